/**
 * Test support: the studio's real back end in the test process, as `npm run web` serves it — the
 * web transport on 127.0.0.1 with a per-run token and a throwaway data folder — plus the project's
 * OpenAI-compatible test server as the model, so renderer tests can point the real web client at
 * it and run the whole protocol (calls over HTTP, events over Server-Sent Events).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeStudio } from '../services/node-host';
import {
  startOpenAiCompatibleServer,
  type Fault,
  type OpenAiCompatibleServerOptions,
} from '../services/test-servers/openai-compatible-server';
import { mediaPath, startWebServer } from './server';

/** A running back end (see {@link startTestBackend}). */
export interface TestBackend {
  /** Base URL of the web transport, without a trailing slash. */
  url: string;
  token: string;
  /** Base URL of the model server (ends in /v1), for a custom provider. */
  modelBaseURL: string;
  /** Queues faults for the model's next chat completions, one each. */
  enqueue(...faults: Fault[]): void;
  /**
   * Loses the event stream as a network drop would: from now on events reach no client, until
   * the returned function cuts the open streams (clients reconnect and get events again).
   */
  dropEvents(): () => void;
  /** Stops both servers (cutting open event streams and stalled replies) and removes the data. */
  close(): Promise<void>;
}

/** Starts the model server and the web transport over a fresh data folder. */
export async function startTestBackend(model: OpenAiCompatibleServerOptions = {}): Promise<TestBackend> {
  const dir = await mkdtemp(join(tmpdir(), 'gp-backend-'));
  const staticDir = join(dir, 'static');
  await mkdir(staticDir);
  const llm = await startOpenAiCompatibleServer(model);
  const studio = await createNodeStudio({
    dataDir: join(dir, 'data'),
    transport: 'web',
    mediaUrl: mediaPath,
    voiceWorkers: 1,
  });
  const token = `test-token-${Math.random().toString(36).slice(2, 14)}`;
  let dropping = false;
  const events: typeof studio.onEvent = (listener) =>
    studio.onEvent((name, payload) => {
      if (!dropping) listener(name, payload);
    });
  const { server, port } = await startWebServer({ studio: { ...studio, onEvent: events }, staticDir, token });
  // The open event streams, to cut only those (calls in flight go on).
  const streams = new Set<ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/api/events')) return;
    streams.add(res);
    res.on('close', () => streams.delete(res));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    modelBaseURL: llm.baseURL,
    enqueue: (...faults) => llm.enqueue(...faults),
    dropEvents() {
      dropping = true;
      return () => {
        dropping = false;
        for (const res of streams) res.socket?.destroy();
      };
    },
    async close() {
      // Event streams stay open until cut; a stalled model reply too.
      server.closeAllConnections();
      server.close();
      await llm.close();
      await studio.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP server that accepts connections and never answers, until released (see {@link startSilentServer}). */
export interface SilentServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Cuts every open connection: the waiting clients see the server fail. */
  release(): void;
  close(): Promise<void>;
}

/** Starts a {@link SilentServer}: a provider that takes requests and goes quiet. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    release,
    async close() {
      release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
