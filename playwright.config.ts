// e2e: the real UI in Debian's Chromium against the web transport (the same back end the
// Electron app uses). The `electron` project runs the same walk through `_electron.launch` where
// the Electron binary exists and reports itself skipped (with the reason) where it does not.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from './e2e/support/chromium';

const PORT = Number(process.env.GOOSEPOD_E2E_PORT ?? 4517);
export const E2E_TOKEN = 'e2e-token-not-secret-0123456789';
const dataDir = process.env.GOOSEPOD_E2E_DATA ?? mkdtempSync(join(tmpdir(), 'goosepod-e2e-'));
process.env.GOOSEPOD_E2E_DATA = dataDir;

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx tsx electron/web/serve.ts --port ${PORT} --data ${dataDir} --quiet`,
    url: `http://127.0.0.1:${PORT}/?token=${E2E_TOKEN}`,
    env: { GOOSEPOD_TOKEN: E2E_TOKEN },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
  projects: [
    {
      name: 'web',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1440, height: 900 },
        launchOptions: CHROMIUM_LAUNCH,
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
