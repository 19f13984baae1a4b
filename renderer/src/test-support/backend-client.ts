/**
 * Test support for renderer state tests: starts the studio's real back end in the test process
 * (electron/web/test-backend.ts: the web transport plus the project's OpenAI-compatible test
 * server) and points `window.studio` at it through the renderer's real web client, with events
 * over Server-Sent Events. Import '../test-support/dom-globals' before the state modules, then call
 * {@link connectTestBackend} in `beforeAll` and `close()` in `afterAll`.
 */
import { vi } from 'vitest';
import { FetchEventSource } from './event-source-polyfill';
import { createWebClient } from '../transport/studio-client';

/** A fault the model test server injects into its next chat completion. */
export type ModelFault =
  | { kind: 'malformed' }
  | { kind: 'unknown-speakers'; names?: [string, string] }
  | { kind: 'stall'; afterChunks: number };

/** What renderer tests use of electron/web/test-backend.ts (Node code, outside the renderer's program). */
export interface TestBackend {
  url: string;
  token: string;
  /** Base URL of the model server (ends in /v1), for a custom provider. */
  modelBaseURL: string;
  enqueue(...faults: ModelFault[]): void;
  /** Events reach no client until the returned function cuts the streams (they reconnect). */
  dropEvents(): () => void;
  close(): Promise<void>;
}

/** A provider that takes requests and goes quiet until released (electron/web/test-backend.ts). */
export interface SilentServer {
  url: string;
  connections(): number;
  release(): void;
  close(): Promise<void>;
}

// Loaded at run time by path: the renderer's program (typecheck, import rules) stays browser code,
// while the test still runs the real back end in its own process.
const BACKEND_MODULE = '../../../electron/web/test-backend';

type BackendModule = {
  startTestBackend(opts: { chunkChars?: number; chunkDelayMs?: number }): Promise<TestBackend>;
  startSilentServer(): Promise<SilentServer>;
};
const backendModule = () => import(/* @vite-ignore */ BACKEND_MODULE) as Promise<BackendModule>;

/** Starts a server that accepts connections and never answers until released. */
export async function startSilentServer(): Promise<SilentServer> {
  return (await backendModule()).startSilentServer();
}

/** Starts the back end (model streaming options as the test server takes them) and connects this window. */
export async function connectTestBackend(
  model: { chunkChars?: number; chunkDelayMs?: number } = {},
): Promise<TestBackend> {
  const { startTestBackend } = await backendModule();
  const backend = await startTestBackend(model);
  vi.stubGlobal('EventSource', FetchEventSource);
  window.studio = createWebClient(backend.token, backend.url);
  return {
    ...backend,
    enqueue: (...faults) => backend.enqueue(...faults),
    dropEvents: () => backend.dropEvents(),
    async close() {
      FetchEventSource.closeAll();
      await backend.close();
    },
  };
}
