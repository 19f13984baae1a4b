/**
 * Composition root for plain Node (the web transport, the CLI, tests and benches): the same
 * back end as the Electron app, with `conf` for settings and worker_threads started through the
 * tsx bootstrap.
 */
import Conf from 'conf';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createStudio, type Studio } from './studio';
import { nodeWorkerFactory } from './node-workers';
import { EspeakEngine } from './voice/espeak-engine';
import { FileSecretStore } from './draft/secret-store';

/** The repository's resources/ folder. */
export const RESOURCES_DIR = fileURLToPath(new URL('../../resources/', import.meta.url));

/** Where settings and projects live when no folder is given (XDG data home). */
export function defaultDataDir(): string {
  if (process.env.GOOSEPOD_DATA_DIR) return process.env.GOOSEPOD_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'goose-pod-studio');
}

/** The app version from package.json. */
export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the back end for plain Node. */
export async function createNodeStudio(opts: {
  dataDir?: string;
  transport?: 'web' | 'electron';
  mediaUrl?: (projectId: string, relPath: string) => string;
  voiceWorkers?: number;
  /** Root of the export folder browser (the web transport passes the home folder or --export-root). */
  exportRoot?: string;
}): Promise<Studio> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const store = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: 'settings',
    projectName: 'goose-pod-studio',
  });
  const engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('./voice/espeak-worker.ts', import.meta.url)),
    size: opts.voiceWorkers ?? 2,
  });
  return createStudio({
    transport: opts.transport ?? 'web',
    version: appVersion(),
    projectsRoot: join(dataDir, 'projects'),
    resourcesDir: RESOURCES_DIR,
    store,
    secrets: new FileSecretStore(join(dataDir, 'secrets')),
    engine,
    createMp3Worker: nodeWorkerFactory(new URL('./audio/mp3-worker.ts', import.meta.url)),
    mediaUrl: opts.mediaUrl ?? ((projectId, rel) => join(dataDir, 'projects', projectId, rel)),
    ...(opts.exportRoot ? { exportFolders: { browseRoot: opts.exportRoot } } : {}),
  });
}
