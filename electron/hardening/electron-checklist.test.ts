/**
 * The Electron security checklist as executable checks. There is no Electron binary in CI, so
 * `electron` is replaced by a recorder: the shell's own code runs and we look at what it asked
 * Electron for (webPreferences, handlers) and drive those handlers with hostile input.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';

type Handler = (...args: unknown[]) => unknown;

const rec = vi.hoisted(() => ({
  windowOptions: [] as unknown[],
  contentsHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  windowOpenHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
  permissionRequest: undefined as undefined | ((...a: unknown[]) => void),
  permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
  devicePermission: undefined as undefined | ((...a: unknown[]) => boolean),
  headers: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
  opened: [] as string[],
  exposed: new Map<string, unknown>(),
  ipcHandlers: new Map<string, (...a: unknown[]) => unknown>(),
}));

vi.mock('electron', () => {
  const webContents = {
    on: (name: string, fn: (...args: unknown[]) => unknown) => rec.contentsHandlers.set(name, fn),
    setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => (rec.windowOpenHandler = fn),
  };
  class BrowserWindow {
    webContents = webContents;
    constructor(opts: unknown) {
      rec.windowOptions.push(opts);
    }
    once(): void {}
    loadFile(): Promise<void> {
      return Promise.resolve();
    }
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof rec.headers) => (rec.headers = fn) },
        setPermissionRequestHandler: (fn: typeof rec.permissionRequest) => (rec.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof rec.permissionCheck) => (rec.permissionCheck = fn),
        setDevicePermissionHandler: (fn: typeof rec.devicePermission) => (rec.devicePermission = fn),
      },
    },
    shell: { openExternal: (url: string) => rec.opened.push(url) },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => rec.exposed.set(key, api) },
    ipcRenderer: {
      invoke: () => Promise.resolve({ ok: true, value: 1 }),
      on: () => {},
      removeListener: () => {},
    },
    ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => rec.ipcHandlers.set(ch, fn) },
  };
});

const { APP_CSP, createMainWindow, hardenSession } = await import('../platform/window');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

beforeEach(() => {
  rec.contentsHandlers.clear();
  rec.opened.length = 0;
});

describe('Electron security checklist', () => {
  it('window: context isolation, sandbox, no Node integration, web security, no auxclick', () => {
    createMainWindow({ preloadPath: '/x/preload/index.cjs', rendererFile: '/x/renderer/index.html' });
    const prefs = (rec.windowOptions.at(-1) as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      disableBlinkFeatures: 'Auxclick',
    });
    for (const dangerous of [
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'experimentalFeatures',
      'enableBlinkFeatures',
    ])
      expect(prefs[dangerous], dangerous).toBeFalsy();
  });

  it('navigation, redirects and <webview> are refused; new windows denied, https links go to the browser', () => {
    createMainWindow({ preloadPath: '/p', rendererFile: '/r/index.html' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      (rec.contentsHandlers.get(name) as Handler)(event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    const frame = { preventDefault: vi.fn(), isMainFrame: false };
    (rec.contentsHandlers.get('will-frame-navigate') as Handler)(frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    for (const url of [
      'https://news.example/a',
      'http://news.example/',
      'file:///etc/passwd',
      'javascript:1',
      'https://a@evil.example/',
    ])
      expect(rec.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    expect(rec.opened).toEqual(['https://news.example/a']);
  });

  it('every permission request, check and device request is denied; CSP header on every response', () => {
    hardenSession();
    const cb = vi.fn();
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fileSystem',
    ]) {
      rec.permissionRequest!({}, p, cb);
      expect(cb).toHaveBeenLastCalledWith(false);
      expect(rec.permissionCheck!({}, p, 'file://', {})).toBe(false);
    }
    expect(rec.devicePermission!({ deviceType: 'usb' })).toBe(false);
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    rec.headers!(
      { responseHeaders: { 'Content-Security-Policy': ["default-src *; script-src 'unsafe-eval'"] } },
      (r) => {
        out = r as typeof out;
      },
    );
    expect(out?.responseHeaders['Content-Security-Policy']).toEqual([APP_CSP]);
  });

  it('the CSPs (session header, renderer meta tag, web transport) allow no inline or eval script', async () => {
    const { WEB_CSP } = await import('../web/server');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
      readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8'),
    )?.[1];
    expect(meta, 'renderer/index.html has a CSP meta tag').toBeTruthy();
    for (const [name, csp] of [
      ['APP_CSP', APP_CSP],
      ['WEB_CSP', WEB_CSP],
      ['meta', meta!],
    ] as const) {
      const d = directives(csp);
      const script = d.get('script-src') ?? d.get('default-src') ?? [];
      expect(script, name).toEqual(["'self'"]);
      expect(d.get('default-src'), name).toEqual(["'self'"]);
      expect(csp, name).not.toContain('unsafe-eval');
      expect(csp, name).not.toMatch(/\*|https?:/);
      // Inline styles only: Monaco writes <style> elements and style attributes at run time.
      for (const [k, v] of d)
        if (k !== 'style-src') expect(v.join(' '), `${name} ${k}`).not.toContain('unsafe-inline');
    }
    for (const csp of [APP_CSP, WEB_CSP]) {
      const d = directives(csp);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    }
  });

  it('IPC: one handler per contract call, each refusing senders other than our top frame', async () => {
    const { registerCalls } = await import('../main/ipc/register-calls');
    const backend = Object.fromEntries(callNames.map((n) => [n, vi.fn(async () => ({}))]));
    const trusted = (url: string): boolean => url === 'file:///app/renderer/index.html';
    registerCalls({ backend } as never, trusted);
    expect([...rec.ipcHandlers.keys()].sort()).toEqual(callNames.map((n) => `studio:${n}`).sort());
    const main = { url: 'file:///app/renderer/index.html' };
    const sub = { url: 'file:///app/renderer/index.html' };
    const call = rec.ipcHandlers.get('studio:appInfo')!;
    const cases: [unknown, boolean][] = [
      [{ senderFrame: main, sender: { mainFrame: main } }, true],
      [{ senderFrame: sub, sender: { mainFrame: main } }, false],
      [{ senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame: { url: 'x' } } }, false],
      [{ senderFrame: null, sender: { mainFrame: main } }, false],
    ];
    for (const [event, ok] of cases) {
      const env = (await call(event, {})) as { ok: boolean; error?: { message: string } };
      expect(env.ok, JSON.stringify(event)).toBe(ok);
      if (!ok) expect(env.error?.message).toBe('Untrusted sender');
    }
    expect(backend.appInfo).toHaveBeenCalledTimes(1);
  });

  it('preload: exposes only window.studio, one method per call, no generic invoke or ipcRenderer', async () => {
    await import('../preload/index');
    expect([...rec.exposed.keys()]).toEqual(['studio']);
    const api = rec.exposed.get('studio') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...callNames, 'on'].sort());
    expect(() => (api.on as (e: string, l: () => void) => void)('not-an-event', () => {})).toThrow();
    const src = readFileSync(new URL('../preload/index.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });

  it('main: every web contents gets the guards, and IPC trust uses the exact renderer URL', () => {
    const src = readFileSync(new URL('../main/index.ts', import.meta.url), 'utf8');
    expect(src).toMatch(/app\.on\('web-contents-created',[^\n]*guardWebContents\(contents\)/);
    expect(src).toContain('isTrustedRendererUrl(');
    expect(src).not.toMatch(/url\.startsWith\(rendererUrl\)/);
  });
});
