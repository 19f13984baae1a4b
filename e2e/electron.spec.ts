// The same walk in the real Electron app, where its binary exists. On a machine that cannot obtain
// the binary (offline CI), the test is reported as skipped with the reason.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../scripts/electron-binary.mjs';

const { path: binary, reason } = electronBinary();

test('Electron app: sample → draft → voice → timeline', async () => {
  test.skip(!binary, `Electron binary unavailable: ${reason}`);
  const built = existsSync('out/main/index.js');
  test.skip(!built, 'Electron build missing: run `npm run build` first (the test command does)');
  const app = await electron.launch({
    executablePath: binary,
    args: ['.'],
    env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'gp-electron-home-')) },
  });
  const page = await app.firstWindow();
  await page.getByTestId('try-sample').click();
  await page.getByTestId('draft-button').click();
  await expect(page.getByTestId('script-editor')).toContainText('Good morning');
  await page.getByTestId('voice-all').click();
  await expect(page.locator('[data-testid="timeline"] [part~="region"]').first()).toBeVisible({
    timeout: 120_000,
  });
  // Sandboxed, isolated renderer: no Node globals, only the contract's methods on window.studio.
  const exposed = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    studio: Object.keys((globalThis as { studio?: object }).studio ?? {}).includes('draftStart'),
  }));
  expect(exposed).toEqual({ require: 'undefined', process: 'undefined', studio: true });
  await app.close();
});
