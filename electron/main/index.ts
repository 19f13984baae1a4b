/** Electron main: app lifecycle; builds the back end, registers IPC and the media protocol. */
import { app, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import espeakWorkerPath from '../services/voice/espeak-worker?modulePath';
import mp3WorkerPath from '../services/audio/mp3-worker?modulePath';
import { createStudio, type Studio } from '../services/studio';
import { EspeakEngine } from '../services/voice/espeak-engine';
import { forwardEvents, registerCalls } from './ipc/register-calls';
import { builtPaths, createMainWindow, hardenSession } from '../platform/window';
import { handleMediaProtocol, mediaUrl, registerMediaScheme } from '../platform/media-protocol';

registerMediaScheme();
let studio: Studio | undefined;
let win: BrowserWindow | undefined;

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(async () => {
  hardenSession();
  const resourcesDir = app.isPackaged
    ? join(process.resourcesPath, 'resources')
    : join(app.getAppPath(), 'resources');
  studio = await createStudio({
    transport: 'electron',
    version: app.getVersion(),
    projectsRoot: join(app.getPath('documents'), 'Goose Pod Studio'),
    resourcesDir,
    store: new Store({ name: 'settings' }) as unknown as {
      get(k: string): unknown;
      set(k: string, v: unknown): void;
    },
    engine: new EspeakEngine({ createWorker: () => new Worker(espeakWorkerPath), size: 2 }),
    createMp3Worker: () => new Worker(mp3WorkerPath),
    mediaUrl,
  });
  handleMediaProtocol((id) => studio!.projects.dir(id));
  const rendererUrl = process.env.ELECTRON_RENDERER_URL;
  const paths = builtPaths(dirname(fileURLToPath(import.meta.url)));
  const trusted = (url: string): boolean =>
    rendererUrl
      ? url.startsWith(rendererUrl)
      : url.startsWith('file://') && url.includes('/renderer/index.html');
  registerCalls(studio, trusted);
  forwardEvents(studio, () => win?.webContents);
  win = createMainWindow({ ...paths, rendererUrl });
});

app.on('window-all-closed', () => {
  void studio?.close();
  app.quit();
});
