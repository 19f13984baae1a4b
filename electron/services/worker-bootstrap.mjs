// Runs a TypeScript worker entry under tsx (dev, tests, CLI). The packaged app bundles workers
// with electron-vite and never loads this file.
//
// workerData arrives as { entry, workerData }: the entry URL plus the data meant for the real
// entry. The real entry reads `workerData` from node:worker_threads as usual, so the wrapper is
// replaced on the builtin module (and its ESM live bindings re-synced) before the entry loads.
import workerThreads from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
import { register } from 'tsx/esm/api';

const wrapped = workerThreads.workerData;
if (!wrapped || typeof wrapped.entry !== 'string') {
  throw new Error('worker-bootstrap.mjs needs workerData { entry: string, workerData?: unknown }');
}
workerThreads.workerData = wrapped.workerData;
syncBuiltinESMExports();
register();
await import(wrapped.entry);
