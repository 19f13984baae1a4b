/**
 * The URL rules of the Electron shell as pure functions (no `electron` import, so the hardening
 * tests fuzz them in plain Node): which page may call IPC, which links may open in the browser,
 * and which file a `studio-media://` URL may read.
 */
import { normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * True when `url` is our own renderer: the dev server's exact origin in `electron-vite dev`, or
 * exactly the built `index.html` (any query or fragment). A prefix test would also accept
 * `http://localhost:51730` or `file:///elsewhere/renderer/index.html`.
 */
export function isTrustedRendererUrl(
  url: string,
  renderer: { rendererUrl?: string; rendererFile: string },
): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (renderer.rendererUrl) {
    try {
      return u.origin !== 'null' && u.origin === new URL(renderer.rendererUrl).origin;
    } catch {
      return false;
    }
  }
  if (u.protocol !== 'file:' || u.host !== '') return false;
  return u.pathname === pathToFileURL(renderer.rendererFile).pathname;
}

/**
 * Links that may open in the default browser: https only, with no user name or password in them
 * (`https://good.example@evil.example/` tricks the eye), at most 2,000 characters.
 */
export function isAllowedExternalUrl(url: string): boolean {
  if (url.length > 2000) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
}

/**
 * The file a `studio-media://project/<projectId>/<path>` URL names, or undefined when it is not a
 * project file: a bad id (`projectDir` throws), a malformed %-escape, a dot-file or dot-folder
 * (`..` included), or anything that resolves outside the project folder.
 */
export function resolveMediaPath(projectDir: (projectId: string) => string, url: string): string | undefined {
  let parts: string[];
  try {
    const u = new URL(url);
    if (u.hostname !== 'project') return undefined;
    parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [projectId, ...rest] = parts;
  if (!projectId || rest.length === 0) return undefined;
  if (rest.some((s) => s.startsWith('.') || s.includes('/') || s.includes('\\') || s.includes('\0')))
    return undefined;
  let base: string;
  try {
    base = resolve(projectDir(projectId));
  } catch {
    return undefined;
  }
  const full = resolve(base, normalize(rest.join('/')));
  return full.startsWith(base + sep) ? full : undefined;
}
