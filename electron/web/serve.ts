/**
 * `npm run web`: serves the built renderer and the back end on 127.0.0.1 with a per-run token.
 * Options: --port N (default: a free port), --data DIR (settings and projects), --export-root DIR
 * (the folder the export dialog may browse and export into; default GOOSEPOD_EXPORT_ROOT, else the
 * home folder). GOOSEPOD_TOKEN fixes the token (tests); otherwise it is random for every run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createNodeStudio, defaultDataDir } from '../services/node-host';
import { mediaPath, startWebServer } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    quiet: { type: 'boolean' },
    'export-root': { type: 'string' },
  },
});
const staticDir = fileURLToPath(new URL('../../dist-web/', import.meta.url));
if (!existsSync(`${staticDir}/index.html`)) {
  console.error('The renderer is not built: run `npm run build:web` first (npm run web does it for you).');
  process.exit(1);
}
const token = process.env.GOOSEPOD_TOKEN || randomBytes(24).toString('base64url');
const dataDir = values.data ?? defaultDataDir();
const exportRoot = values['export-root'] || process.env.GOOSEPOD_EXPORT_ROOT || homedir();
const studio = await createNodeStudio({ dataDir, transport: 'web', mediaUrl: mediaPath, exportRoot });
const { url } = await startWebServer({
  studio,
  staticDir,
  token,
  port: values.port ? Number(values.port) : 0,
});
console.log(`Goose Pod Studio is running. Open this address in a browser (it carries this run's token):`);
console.log(`${url}?token=${token}`);
if (!values.quiet) console.log(`Projects and settings: ${dataDir}`);

const stop = async (): Promise<void> => {
  await studio.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
