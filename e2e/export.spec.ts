// The export dialog as a producer uses it, in Chromium through the web transport: pick formats,
// bitrate and loudness, see the estimate, export and get the files with the loudness before and
// after; then a two-listener batch whose files are fetched by their URLs, and where the second
// listener re-voiced only the lines naming the listener; then VBR stereo into a folder chosen
// through the dialog's folder browser (rooted at a temp folder), found there and checked with
// ffprobe, and a second export that leaves the first untouched.
//
// It runs against its own back end (own port and data folder), so its jobs do not show up in the
// job lists other specs count.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend } from './support/own-backend';

// The folder browser's root: a temp "home" with one folder in it already.
const exportRoot = mkdtempSync(join(tmpdir(), 'goosepod-e2e-export-root-'));
mkdirSync(join(exportRoot, 'Podcasts'));
test.afterAll(() => rmSync(exportRoot, { recursive: true, force: true }));

const { base: BASE, api } = useOwnBackend('export', 'GOOSEPOD_E2E_EXPORT_PORT', 4557, {
  GOOSEPOD_EXPORT_ROOT: exportRoot,
});

type File = { name: string; url: string; format: string };
type Listener = {
  listener: string;
  files: File[];
  linesVoiced: number;
  linesFromCache: number;
  error?: { message: string };
};
type Job = {
  kind: string;
  status: string;
  result?: {
    kind: string;
    listeners?: Listener[];
    files?: File[];
    synthesized?: string[];
    folder?: string;
    durationSec?: number;
  };
};

async function jobs(page: Page, kind: string, status = 'done'): Promise<Job[]> {
  const { jobs } = await api<{ jobs: Job[] }>(page, 'jobList');
  return jobs.filter((j) => j.kind === kind && j.status === status);
}

test('export dialog: formats, estimate, files and loudness; a two-listener batch re-voices only name lines', async ({
  page,
}) => {
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  const { show } = await api<{ show: { listenerName: string } }>(page, 'settingsGet');

  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  await expect(page.getByTestId('script-editor')).toContainText('Good morning', { timeout: 30_000 });
  await page.getByTestId('voice-all').click();
  await expect.poll(async () => (await jobs(page, 'voice')).length, { timeout: 150_000 }).toBe(1);
  await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-regions', '0');

  // The dialog: untick two formats, 48 kbps, streaming loudness; the estimate follows the bitrate.
  await page.getByTestId('export-button').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-duration')).toHaveText(/^\d+:\d\d$/);
  await page.getByTestId('export-format-json').uncheck();
  await page.getByTestId('export-format-show-notes').uncheck();
  const size64 = await page.getByTestId('export-size').textContent();
  await page.getByTestId('export-bitrate').selectOption('48');
  await expect(page.getByTestId('export-size')).not.toHaveText(size64 ?? '');
  await page.getByTestId('export-loudness-preset').selectOption('streaming');
  await dialog.screenshot({ path: test.info().outputPath('export-dialog.png') });

  await page.getByTestId('export-start').click();
  const result = page.getByTestId('export-result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('export-loudness')).toContainText(/→ −1[34]\.\d LUFS/);
  for (const name of ['episode-mp3', 'transcript-txt', 'transcript-srt', 'transcript-vtt', 'transcript-json'])
    await expect(page.getByTestId(`export-result-file-${name}`)).toBeVisible();
  await expect(page.getByTestId('export-result-file-episode-json')).toHaveCount(0);
  await expect(page.getByTestId('export-result-file-show-notes-md')).toHaveCount(0);
  const mp3Url = await page.getByTestId('export-result-file-episode-mp3').getAttribute('href');
  const mp3 = await page.request.get(new URL(mp3Url!, BASE).href);
  expect(mp3.ok()).toBe(true);
  expect((await mp3.body()).subarray(0, 3).toString()).toBe('ID3');

  // Choices are remembered for the next time the dialog opens.
  await page.keyboard.press('Escape');
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-format-json')).not.toBeChecked();
  await expect(page.getByTestId('export-bitrate')).toHaveValue('48');

  // Two listeners, one job.
  await page.getByTestId('export-per-listener').check();
  await page.getByTestId('export-listeners').fill('Ann\nBob\n');
  await expect(page.getByTestId('export-start')).toHaveText('Export 2 episodes');
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-batch-result')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('export-batch-row')).toHaveCount(2);
  await expect(page.getByTestId('export-batch-error')).toHaveCount(0);

  const batch = (await jobs(page, 'export')).find((j) => j.result?.kind === 'export-batch');
  const listeners = batch!.result!.listeners!;
  expect(listeners.map((l) => l.listener)).toEqual(['Ann', 'Bob']);
  const { projects } = await api<{ projects: { projectId: string }[] }>(page, 'projectList');
  const { episode } = await api<{ episode: { lines: { kind: string; text?: string }[] } }>(
    page,
    'projectOpen',
    { projectId: projects[0].projectId },
  );
  const speech = episode.lines.filter((l) => l.kind === 'speech');
  const naming = speech.filter((l) => new RegExp(`\\b${show.listenerName}\\b`).test(l.text ?? ''));
  expect(naming.length).toBeGreaterThan(0);
  expect(listeners[1].linesVoiced).toBe(naming.length);
  expect(listeners[1].linesFromCache).toBe(speech.length - naming.length);
  await expect(page.getByTestId('export-batch-voiced').nth(1)).toHaveText(
    `${naming.length} / ${speech.length - naming.length}`,
  );

  for (const l of listeners) {
    expect(l.files.map((f) => f.name).sort()).toEqual(
      ['episode.mp3', 'transcript.json', 'transcript.srt', 'transcript.txt', 'transcript.vtt'].sort(),
    );
    for (const f of l.files) {
      const res = await page.request.get(new URL(f.url, BASE).href);
      expect(res.ok(), f.url).toBe(true);
      if (f.name === 'transcript.txt') {
        const text = await res.text();
        expect(text).toContain(l.listener);
        expect(text).not.toContain(show.listenerName);
      }
    }
  }
  // The links in the dialog are the same URLs.
  await expect(page.getByTestId('export-batch-file-1-transcript-txt')).toHaveAttribute(
    'href',
    listeners[1].files.find((f) => f.name === 'transcript.txt')!.url,
  );
  await dialog.screenshot({ path: test.info().outputPath('export-dialog-batch.png') });

  // VBR, stereo, into a folder chosen in the dialog: Podcasts → new folder "Goose exports".
  await page.getByLabel('One episode').check();
  await page.getByTestId('export-mode').selectOption('vbr');
  await expect(page.getByTestId('export-size')).toHaveText(/–/); // a range, not one figure
  await page.getByTestId('export-channels').selectOption('2');
  await page.getByTestId('export-folder-choose').click();
  const browser = page.getByTestId('folder-browser');
  await expect(browser).toBeVisible();
  await browser.locator('[data-testid="folder-entry"][data-name="Podcasts"]').click();
  await expect(browser).toHaveAttribute('data-path', join(exportRoot, 'Podcasts'));
  await page.getByTestId('folder-new-name').fill('Goose exports');
  await page.getByTestId('folder-create').click();
  await expect(browser).toHaveAttribute('data-path', join(exportRoot, 'Podcasts', 'Goose exports'));
  await dialog.screenshot({ path: test.info().outputPath('export-folder-browser.png') });
  await page.getByTestId('folder-use').click();
  await expect(browser).toHaveCount(0);
  const chosen = join(exportRoot, 'Podcasts', 'Goose exports');
  await expect(page.getByTestId('export-folder-path')).toHaveText(chosen);
  await dialog.screenshot({ path: test.info().outputPath('export-dialog-folder.png') });

  const range = (await page.getByTestId('export-size-mp3').textContent())!;
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('export-result')).toContainText(chosen);
  const [first] = readdirSync(chosen);
  expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
  expect(readdirSync(join(chosen, first)).sort()).toEqual(
    ['episode.mp3', 'transcript.json', 'transcript.srt', 'transcript.txt', 'transcript.vtt'].sort(),
  );
  const mp3File = join(chosen, first, 'episode.mp3');
  const probe = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_streams',
      '-show_chapters',
      '-of',
      'json',
      mp3File,
    ]).toString(),
  ) as {
    streams: { codec_type: string; channels?: number; duration?: string; start_time?: string }[];
    chapters: { tags: { title: string } }[];
  };
  const audio = probe.streams.find((st) => st.codec_type === 'audio')!;
  expect(audio.channels).toBe(2);
  expect(probe.streams.some((st) => st.codec_type === 'video')).toBe(true); // the cover
  expect(probe.chapters.length).toBeGreaterThan(0);
  const exportJob = (await jobs(page, 'export')).find(
    (j) => j.result?.kind === 'export' && j.result.folder?.startsWith(chosen),
  );
  const durationSec = exportJob!.result!.durationSec!;
  expect(Math.abs(Number(audio.duration) - Number(audio.start_time) - durationSec)).toBeLessThan(0.05);
  const bytes = readFileSync(mp3File);
  // The VBR file lands inside the range the dialog promised.
  const [low, high] = [...range.matchAll(/([\d.]+) (KB|MB)/g)].map(
    (m) => Number(m[1]) * (m[2] === 'MB' ? 1024 * 1024 : 1024),
  );
  expect(bytes.length).toBeGreaterThanOrEqual(low * 0.97);
  expect(bytes.length).toBeLessThanOrEqual(high * 1.03);
  expect(bytes[3]).toBe(4); // ID3v2.4
  expect(bytes.includes(Buffer.from('Xing'))).toBe(true);

  // The choices, folder included, are remembered; a second export gets its own folder.
  await page.keyboard.press('Escape');
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-folder-path')).toHaveText(chosen);
  await expect(page.getByTestId('export-mode')).toHaveValue('vbr');
  await expect(page.getByTestId('export-channels')).toHaveValue('2');
  const firstMtime = statSync(mp3File).mtimeMs;
  await page.getByTestId('export-start').click();
  await expect.poll(() => readdirSync(chosen).length, { timeout: 120_000 }).toBe(2);
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 120_000 });
  expect(statSync(mp3File).mtimeMs).toBe(firstMtime);
  expect(readdirSync(join(chosen, first)).some((n) => n.endsWith('.tmp'))).toBe(false);
});
