/** Browser build of the studio: `dist-web/`, served by `electron/web/serve.ts` (`npm run web`). */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { rendererRoot, sharedRendererConfig } from './vite.shared.ts';

const shared = sharedRendererConfig();

export default defineConfig({
  ...shared,
  root: rendererRoot,
  base: './',
  build: {
    ...shared.build,
    outDir: fileURLToPath(new URL('../dist-web', import.meta.url)),
    emptyOutDir: true,
  },
});
