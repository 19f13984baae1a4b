/**
 * Registers one IPC handler per contract call (names come from shared/contract.ts, never a generic
 * channel). Each handler checks that the sender is our own window's main frame, parses the payload
 * with the call's schema and returns `{ ok, value } | { ok: false, error: { code, message } }`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { callNames, ipcChannel, type EventName, type EventPayload } from '../../../shared/contract';
import { dispatchCall } from '../../services/dispatch';
import type { Studio } from '../../services/studio';

/** True when the call comes from the top frame of a page we loaded ourselves. */
export function isTrustedSender(event: IpcMainInvokeEvent, trustedOrigin: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && trustedOrigin(frame.url);
}

export function registerCalls(studio: Studio, trustedOrigin: (url: string) => boolean): void {
  for (const name of callNames) {
    ipcMain.handle(ipcChannel(name), async (event, payload: unknown) => {
      if (!isTrustedSender(event, trustedOrigin)) {
        return { ok: false, error: { code: 'bad-request', message: 'Untrusted sender' } };
      }
      return dispatchCall(studio.backend, name, payload);
    });
  }
}

/** Forwards back-end events to a window. */
export function forwardEvents(studio: Studio, target: () => WebContents | undefined): () => void {
  return studio.onEvent(<N extends EventName>(name: N, payload: EventPayload<N>) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(ipcChannel(name), payload);
  });
}
