// Builds the Electron app: main (ESM, dependencies external), the sandboxed preload (one
// self-contained CommonJS bundle) and the renderer (same settings as the browser build).
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import { rendererRoot, sharedRendererConfig } from './renderer/vite.shared';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };
const renderer = sharedRendererConfig();

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: fileURLToPath(new URL('./electron/main/index.ts', import.meta.url)) },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require node_modules: bundle zod and the contract into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: fileURLToPath(new URL('./electron/preload/index.ts', import.meta.url)) },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    root: rendererRoot,
    build: {
      ...renderer.build,
      outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
      rollupOptions: { input: { index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)) } },
    },
  },
});
