/** Electron main: app lifecycle; builds the back end, registers IPC and the media protocol. */
import { app, Menu, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import espeakWorkerPath from '../services/voice/espeak-worker?modulePath';
import mp3WorkerPath from '../services/audio/mp3-worker?modulePath';
import { createStudio, type Studio } from '../services/studio';
import { EspeakEngine } from '../services/voice/espeak-engine';
import { SafeStorageSecretStore } from '../platform/safe-storage-secrets';
import { forwardEvents, registerCalls } from './ipc/register-calls';
import { builtPaths, createMainWindow, guardWebContents, hardenSession } from '../platform/window';
import { isTrustedRendererUrl } from '../platform/url-policy';
import { handleMediaProtocol, mediaUrl, registerMediaScheme } from '../platform/media-protocol';
import { nativeFolderChooser } from '../platform/folder-dialog';
import { buildMenuTemplate, menuCommandPayload } from '../platform/menu-template';
import { ipcChannel } from '../../shared/contract';

registerMediaScheme();
let studio: Studio | undefined;
let win: BrowserWindow | undefined;

// Every web contents, not only the main window's, gets the navigation/window/webview guards.
app.on('web-contents-created', (_e, contents) => guardWebContents(contents));

void app.whenReady().then(async () => {
  hardenSession();
  const resourcesDir = app.isPackaged
    ? join(process.resourcesPath, 'resources')
    : join(app.getAppPath(), 'resources');
  const settingsStore = new Store<Record<string, unknown>>({ name: 'settings' });
  studio = await createStudio({
    transport: 'electron',
    version: app.getVersion(),
    projectsRoot: join(app.getPath('documents'), 'Goose Pod Studio'),
    resourcesDir,
    store: settingsStore,
    secrets: new SafeStorageSecretStore(new Store<Record<string, unknown>>({ name: 'secrets' })),
    engine: new EspeakEngine({ createWorker: () => new Worker(espeakWorkerPath), size: 2 }),
    createMp3Worker: () => new Worker(mp3WorkerPath),
    mediaUrl,
    exportFolders: { chooseFolder: nativeFolderChooser(() => win) },
  });
  handleMediaProtocol((id) => studio!.projects.dir(id));
  const rendererUrl = process.env.ELECTRON_RENDERER_URL;
  const paths = builtPaths(dirname(fileURLToPath(import.meta.url)));
  // Exact origin (dev server) or exactly the built index.html; a prefix test let look-alikes in.
  const trusted = (url: string): boolean => isTrustedRendererUrl(url, { ...paths, rendererUrl });
  registerCalls(studio, trusted);
  forwardEvents(studio, () => win?.webContents);
  win = createMainWindow({ ...paths, rendererUrl });
  // Our own menu: Electron's default Edit menu would undo inside Chromium, past the episode history.
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        appName: app.getName(),
        isMac: process.platform === 'darwin',
        isDev: !app.isPackaged,
        send: (command) => {
          const wc = win?.webContents;
          if (wc && !wc.isDestroyed()) wc.send(ipcChannel('menuCommand'), menuCommandPayload(command));
        },
      }),
    ),
  );
});

app.on('window-all-closed', () => {
  void studio?.close();
  app.quit();
});
