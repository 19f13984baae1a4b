// The music bed's mode, as a producer uses it in Chromium through the web transport: a new bed
// plays as intro and outro (two bands on the waveform); choosing "under the whole episode" loops
// it under everything (one band over the whole episode), with a one-line explanation, and the
// setting is saved with the episode. Own back end (own port and data folder) for its jobs.
import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { encodeWav } from '../electron/services/audio/wav';
import { callApi, seedArticle, useOwnBackend } from './support/own-backend';

const { base: BASE } = useOwnBackend('bed-mode', 'GOOSEPOD_E2E_BED_PORT', 4597);

const duration = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('timeline').getAttribute('data-duration'));

test('a new bed plays as intro and outro; "under the whole episode" loops it under every line', async ({
  page,
}) => {
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  await expect(page.getByTestId('script-editor')).toContainText('Good morning', { timeout: 30_000 });
  await page.getByTestId('voice-all').click();
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-status', 'ready', { timeout: 150_000 });
  await expect.poll(() => duration(page), { timeout: 150_000 }).toBeGreaterThan(20);

  const music = new Float32Array(22050 * 5).map((_, i) => 0.25 * Math.sin((2 * Math.PI * 220 * i) / 22050));
  const before = await duration(page);
  await page.getByTestId('bed-file').setInputFiles({
    name: 'theme.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from(encodeWav(music, 22050)),
  });
  await expect(page.getByTestId('music-bed')).toContainText('theme.wav');
  await expect.poll(() => duration(page), { timeout: 20_000 }).toBeGreaterThan(before + 8.9);
  const withBed = await duration(page);
  await page.getByTestId('zoom').fill('0');

  // New beds: intro and outro, two bands, and the "Under speech" setting.
  const mode = page.getByTestId('bed-mode');
  await expect(mode).toHaveValue('intro-outro');
  await expect(page.getByTestId('bed-mode-hint')).toContainText('silent between');
  await expect(page.locator('[data-testid="bed-band"]')).toHaveCount(2);
  await expect(page.getByText('Under speech s')).toBeVisible();

  // Looped under the whole episode: one band from start to end, same length, no "Under speech".
  await mode.selectOption('under-all');
  await expect(page.getByTestId('bed-mode-hint')).toContainText('Looped under every line');
  await expect(page.locator('[data-testid="bed-band"]')).toHaveCount(1, { timeout: 20_000 });
  await expect(page.getByText('Under speech s')).toHaveCount(0);
  expect(await duration(page)).toBeCloseTo(withBed, 2);
  await page.getByTestId('music-bed').screenshot({ path: 'test-results/bed-mode.png' });
  await page.screenshot({ path: 'test-results/bed-mode-page.png' });

  // The mode is part of the episode the page saves.
  await expect
    .poll(
      async () => {
        const { projects } = await callApi<{ projects: { projectId: string }[] }>(page, BASE, 'projectList');
        if (!projects[0]) return undefined;
        const { episode } = await callApi<{ episode: { musicBed?: { mode?: string } } }>(
          page,
          BASE,
          'projectOpen',
          {
            projectId: projects[0].projectId,
          },
        );
        return episode.musicBed?.mode;
      },
      { timeout: 20_000 },
    )
    .toBe('under-all');
});
