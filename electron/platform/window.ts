/**
 * The studio window with Electron's security checklist applied: context isolation, sandbox, no
 * Node integration, a strict CSP, no navigation, no new windows, every permission request denied.
 */
import { studioCsp } from '../../shared/csp';
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { isAllowedExternalUrl } from './url-policy';

/** CSP for the packaged app (no unsafe-eval; Monaco needs inline styles). */
export const APP_CSP = studioCsp({ mediaScheme: 'studio-media' });

/** Applies session-wide guards once: CSP header and a deny-all permission handler. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // USB/HID/serial/bluetooth device pickers: never.
  session.defaultSession.setDevicePermissionHandler(() => false);
}

/**
 * Guards every web contents the app ever creates (windows, devtools, anything a bug opens): no
 * navigation or redirect away from the loaded page, no new windows (https links the user clicks go
 * to the default browser), no <webview>. Called from `web-contents-created` in main/index.ts.
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Opens the main window on the built renderer (or the dev server in `electron-vite dev`). */
export function createMainWindow(opts: {
  preloadPath: string;
  rendererUrl?: string;
  rendererFile: string;
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1000,
    minHeight: 640,
    backgroundColor: '#15171c',
    title: 'Goose Pod Studio',
    show: false,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      // Middle-click must not open links in a new window (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Navigation, redirects, new windows, webviews: see guardWebContents (applied to all contents).
  guardWebContents(win.webContents);
  if (opts.rendererUrl) void win.loadURL(opts.rendererUrl);
  else void win.loadFile(opts.rendererFile);
  return win;
}

/** Paths of the built preload and renderer relative to the built main bundle. */
export function builtPaths(mainDir: string): { preloadPath: string; rendererFile: string } {
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererFile: join(mainDir, '../renderer/index.html'),
  };
}
