/**
 * Worker factories for plain Node (tsx, vitest, the CLI).
 *
 * Services never construct workers themselves: they take a `createWorker: () => Worker` factory so
 * the Electron build can hand them workers bundled by electron-vite instead.
 */
import { Worker } from 'node:worker_threads';

/**
 * Returns a factory that starts `entry` as a worker thread with `workerData`.
 *
 * A `.ts` entry (running under tsx or vitest) is started through `worker-bootstrap.mjs`, which
 * registers tsx inside the worker and hands the entry the original `workerData`; any other entry
 * (a compiled `.js`/`.mjs` file) is started directly.
 */
export function nodeWorkerFactory(entry: URL, workerData?: unknown): () => Worker {
  if (entry.pathname.endsWith('.ts') || entry.pathname.endsWith('.mts')) {
    return () =>
      new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
        workerData: { entry: entry.href, workerData },
      });
  }
  return () => new Worker(entry, { workerData });
}
