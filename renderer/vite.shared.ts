/**
 * Renderer build settings shared by the browser build (`vite.web.config.ts`) and the Electron
 * build (`electron.vite.config.ts`), so both bundle the same React, alias and worker setup.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import type { Plugin, UserConfig } from 'vite';

/** Absolute path of the repository's `shared/` folder (the only code the renderer imports). */
export const sharedDir = fileURLToPath(new URL('../shared', import.meta.url));

/** Absolute path of the renderer root (where index.html lives). */
export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server injects an inline React Refresh preamble and talks HMR over a websocket, both of
 * which the production CSP in index.html forbids. Only while serving, widen the meta CSP just
 * enough for them; production builds keep the strict policy byte for byte.
 */
function devServerCsp(): Plugin {
  return {
    name: 'goosepod:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/,
        (_m, a: string, csp: string, z: string) => {
          const widened = csp
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*");
          return `${a}${widened}${z}`;
        },
      );
    },
  };
}

/** Plugins, alias and worker format every renderer build uses. */
export function sharedRendererConfig(): Pick<UserConfig, 'plugins' | 'resolve' | 'worker' | 'build'> {
  return {
    plugins: [react(), devServerCsp()],
    resolve: { alias: { '@shared': sharedDir } },
    // Monaco's editor worker is an ES module worker.
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      // Monaco alone is ~3 MB minified; warn only on something bigger than that.
      chunkSizeWarningLimit: 4096,
    },
  };
}
