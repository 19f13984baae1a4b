/**
 * The sandboxed preload (bundled as CommonJS): exposes `window.studio` with one method per
 * contract call and an `on(event, listener)` that returns its unsubscribe function.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames, ipcChannel, type EventName } from '../../shared/contract';

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const api: Record<string, unknown> = {};
for (const name of callNames) {
  api[name] = async (request: unknown) => {
    const res = (await ipcRenderer.invoke(ipcChannel(name), request ?? {})) as Envelope;
    if (res.ok) return res.value;
    throw Object.assign(new Error(res.error.message), { code: res.error.code });
  };
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!eventNames.includes(event)) throw new Error(`Unknown event ${String(event)}`);
  const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
  ipcRenderer.on(ipcChannel(event), wrapped);
  return () => ipcRenderer.removeListener(ipcChannel(event), wrapped);
};

contextBridge.exposeInMainWorld('studio', api);
