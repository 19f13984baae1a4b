// The timeline as a producer uses it, in Chromium through the web transport: draft and voice the
// seed's article, zoom (keys and Ctrl+wheel), click a region (the editor's selection follows),
// drag a region's end to lengthen the pause after its line (the mix grows by as much), refuse a
// damaged music file, add a music bed (a WAV made here), export, and check the exported MP3's
// loudness with ffmpeg's ebur128 (mastered to −16 LUFS). Zoomed in far, the page fetches windows of a finer
// peak level and never decodes the audio (decodeAudioData is counted).
//
// It runs against its own back end (own port and data folder) so its jobs stay out of the
// shared server's job list that e2e/spine.spec.ts counts from zero.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend } from './support/own-backend';
import { ffmpegEbur128, probeDurationSec } from '../electron/services/test-support/media-probe';

const { base: BASE, api } = useOwnBackend('timeline', 'GOOSEPOD_E2E_TIMELINE_PORT', 4537);

type Job = {
  kind: string;
  status: string;
  result?: { synthesized?: string[]; files?: { name: string; url: string }[] };
};

async function waitJobDone(page: Page, kind: string, count: number): Promise<Job> {
  let found: Job | undefined;
  await expect
    .poll(
      async () => {
        const { jobs } = await api<{ jobs: Job[] }>(page, 'jobList');
        const done = jobs.filter((j) => j.kind === kind && j.status === 'done');
        found = done[count - 1];
        return done.length;
      },
      { timeout: 150_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return found!;
}

/** A 16-bit stereo 44.1 kHz WAV of a soft chord (the studio resamples it to 22050 Hz mono). */
function chordWav(seconds: number): Buffer {
  const rate = 44100;
  const frames = Math.round(seconds * rate);
  const out = Buffer.alloc(44 + frames * 4);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + frames * 4, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 4, 28);
  out.writeUInt16LE(4, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const v = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 277.2 * t);
    const s = Math.round(v * 32767);
    out.writeInt16LE(s, 44 + i * 4);
    out.writeInt16LE(s, 46 + i * 4);
  }
  return out;
}

/** Share of pixel columns of the first drawn waveform canvas that hold a bar (at mid-height). */
function drawnColumns(page: Page): Promise<number> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="timeline"]')!;
    const root = [...host.querySelectorAll('*')].find((e) => e.shadowRoot)?.shadowRoot;
    const canvas = root?.querySelector<HTMLCanvasElement>('.canvases canvas');
    if (!canvas || canvas.width === 0) return 0;
    const row = canvas.getContext('2d')!.getImageData(0, Math.floor(canvas.height / 2), canvas.width, 1).data;
    let drawn = 0;
    for (let x = 0; x < canvas.width; x++) if (row[x * 4 + 3]! > 0) drawn++;
    return drawn / canvas.width;
  });
}

/** The media element's current time (wavesurfer keeps it in its shadow root). */
function currentTime(page: Page): Promise<number> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="timeline"]')!;
    const root = [...host.querySelectorAll('*')].find((e) => e.shadowRoot)?.shadowRoot;
    return root?.querySelector('audio')?.currentTime ?? -1;
  });
}

/**
 * A region click starts playback from the region (the 'play' event comes a moment later): wait for
 * it to have started, then pause it and wait until it has stopped. Checking once right after the
 * click would miss a start still on its way and leave it playing.
 */
async function pausePlayback(page: Page): Promise<void> {
  const play = page.getByTestId('play-button');
  await expect(play).toHaveAttribute('aria-label', 'Pause');
  await play.click();
  await expect(play).toHaveAttribute('aria-label', 'Play');
}

const duration = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('timeline').getAttribute('data-duration'));
const zoomPx = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('zoom').getAttribute('data-px-per-sec'));

test('zoom, click a region, drag a pause, add a music bed, export at −16 LUFS', async ({ page }) => {
  // The page must never decode the episode: count every decodeAudioData and every script fetch of
  // the mix (the media element's own range requests are playback, not decoding).
  await page.addInitScript(() => {
    const w = window as unknown as { __decodes: number };
    w.__decodes = 0;
    const original = BaseAudioContext.prototype.decodeAudioData;
    BaseAudioContext.prototype.decodeAudioData = function (this: BaseAudioContext, ...args) {
      w.__decodes++;
      return original.apply(this, args as Parameters<typeof original>);
    } as typeof original;
  });
  const peakRequests: { level: number; count: number }[] = [];
  /** Sum of the peaks of each window the back end sent, by level and mix. */
  const windowSums: { level: number; mixVersion: number; sum: number }[] = [];
  page.on('response', async (res) => {
    if (!res.url().includes('/api/timelinePeaks')) return;
    const json = (await res.json().catch(() => null)) as {
      ok: boolean;
      value?: { level: number; mixVersion: number; peaks: number[] };
    } | null;
    const v = json?.value;
    if (v)
      windowSums.push({ level: v.level, mixVersion: v.mixVersion, sum: v.peaks.reduce((a, b) => a + b, 0) });
  });
  const mixFetches: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/timelinePeaks')) peakRequests.push(req.postDataJSON());
    if (req.url().includes('mix.wav') && ['fetch', 'xhr'].includes(req.resourceType()))
      mixFetches.push(req.url());
  });
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  await expect(page.getByTestId('script-editor')).toContainText('Good morning', { timeout: 30_000 });
  await page.getByTestId('voice-all').click();
  const voiced = await waitJobDone(page, 'voice', 1);
  const speechCount = voiced.result?.synthesized?.length ?? 0;
  expect(speechCount).toBeGreaterThan(10);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-regions', String(speechCount), { timeout: 30_000 });
  await expect(timeline).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('loudness-lufs')).toContainText('LUFS');

  // Zoom: + / − keys on the focused timeline, Ctrl+wheel over the waveform.
  const z0 = await zoomPx(page);
  await timeline.hover();
  await page.getByRole('region', { name: 'Timeline' }).focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect.poll(() => zoomPx(page)).toBeGreaterThan(z0 * 2);
  const z1 = await zoomPx(page);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 400);
  await page.keyboard.up('Control');
  await expect.poll(() => zoomPx(page)).toBeLessThan(z1);
  // Back to a zoom where a drag of 100 px is a known time.
  await page.getByRole('region', { name: 'Timeline' }).focus();
  await page.keyboard.press('+');

  // Select a line from its region and stop there: the playhead and the selection must survive
  // every peaks swap below.
  // (not the first line: it starts at 0, where a playhead reset by the swap would also be)
  const firstRegion = page.locator('[data-testid="timeline-region"]').nth(2);
  const selectedId = await firstRegion.getAttribute('data-line-id');
  await firstRegion.click({ position: { x: 8, y: 30 } });
  await expect(page.getByTestId('line-inspector')).toHaveAttribute('data-line-id', selectedId!);
  await pausePlayback(page);
  const timeBefore = await currentTime(page);
  expect(timeBefore).toBeGreaterThan(0);
  const timecodeBefore = await page.getByTestId('timecode').textContent();

  // Zoom in as far as it goes (single words): the page asks the back end for windows of a finer
  // peak level, swaps them in, keeps every region, and never decodes audio.
  const slider = page.getByTestId('zoom');
  const sliderBefore = await slider.inputValue();
  const levelBefore = Number(await timeline.getAttribute('data-peak-level'));
  expect(levelBefore).toBeLessThan(2000);
  const requestsBefore = peakRequests.length;
  await slider.fill('1000');
  await expect.poll(() => zoomPx(page)).toBeGreaterThan(900);
  await expect(timeline).toHaveAttribute('data-peak-level', '2000');
  await expect
    .poll(() => peakRequests.slice(requestsBefore).filter((r) => r.level === 2000).length)
    .toBeGreaterThan(0);
  // The windows arrived and were written into the level on screen: the page shows how many tiles
  // it wrote and the sum of the peaks it wrote, which must be the sum of the 2,000/s windows the
  // back end sent for the current mix (both stay 0 if a reply is dropped instead of applied).
  await expect.poll(async () => Number(await timeline.getAttribute('data-peaks-loaded'))).toBeGreaterThan(0);
  await expect
    .poll(async () => {
      const sent = windowSums.filter((w) => w.level === 2000);
      const version = sent[sent.length - 1]?.mixVersion;
      const want = sent.filter((w) => w.mixVersion === version).reduce((a, w) => a + w.sum, 0);
      const shown = Number(await timeline.getAttribute('data-peaks-sum'));
      return want > 0 && Math.abs(shown - want) < 1e-3 * want + 0.01;
    })
    .toBe(true);
  // Drawn bars cover the view (a weak check on its own: stretched coarse peaks cover it too).
  await expect.poll(() => drawnColumns(page), { timeout: 10_000 }).toBeGreaterThan(0.4);
  // Windows only: a few tiles around the view, never the whole level (an hour would be 7.2 M).
  for (const r of peakRequests) expect(r.count).toBeLessThanOrEqual(16384);
  await page.screenshot({ path: 'test-results/timeline-zoomed.png' });
  // Part way out: a middle level; all the way back: the coarse peaks the timeline came with.
  await slider.fill('600');
  await expect.poll(() => timeline.getAttribute('data-peak-level')).not.toBe('2000');
  await slider.fill('0');
  await expect(timeline).toHaveAttribute('data-peak-level', '20');
  // Every region is still there (the regions plugin only puts those in view into the page).
  await expect(page.locator('[data-testid="timeline-region"]')).toHaveCount(speechCount);
  await slider.fill(sliderBefore);
  await expect(timeline).toHaveAttribute('data-peak-level', String(levelBefore));
  // The swaps moved neither the playhead nor the selection.
  expect(await currentTime(page)).toBe(timeBefore);
  await expect(page.getByTestId('timecode')).toHaveText(timecodeBefore!);
  await expect(page.getByTestId('line-inspector')).toHaveAttribute('data-line-id', selectedId!);
  expect(await page.evaluate(() => (window as unknown as { __decodes: number }).__decodes)).toBe(0);
  expect(mixFetches).toEqual([]);

  // Clicking a region selects its line in the editor and in the inspector.
  const region = page.locator('[data-testid="timeline-region"]').nth(1);
  const lineId = await region.getAttribute('data-line-id');
  await region.click({ position: { x: 8, y: 30 } });
  await expect(page.locator('.monaco-editor .selected-text').first()).toBeVisible();
  await expect(page.getByTestId('line-inspector')).toHaveAttribute('data-line-id', lineId!);
  // Stopped, so the playhead cannot scroll the view between measuring the handle and grabbing it.
  await pausePlayback(page);

  // Drag the region's right edge 100 px to the right: the pause after it grows by 100 px of time.
  const before = await duration(page);
  const px = await zoomPx(page);
  const handle = region.locator('[part~="region-handle-right"]');
  const box = (await handle.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 50, y, { steps: 5 });
  await page.mouse.move(box.x + box.width / 2 + 100, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => duration(page), { timeout: 15_000 }).toBeGreaterThan(before + 0.5 * (100 / px));
  const grown = (await duration(page)) - before;
  expect(Math.abs(grown - 100 / px)).toBeLessThan(0.15 + 10 / px);
  await expect(page.getByTestId('line-pause')).not.toHaveValue('');

  // A damaged music file is refused with a clear message.
  const fileInput = page.getByTestId('bed-file');
  await fileInput.setInputFiles({
    name: 'broken.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from('RIFF....WAVEjunk'),
  });
  await expect(page.getByTestId('bed-error')).toContainText('Cannot read');

  // A real bed: intro 4 s + outro 5 s are added around the speech, shown as its own band.
  const withPause = await duration(page);
  await fileInput.setInputFiles({ name: 'bed.wav', mimeType: 'audio/wav', buffer: chordWav(6) });
  await expect(page.getByTestId('music-bed')).toContainText('bed.wav');
  await expect.poll(() => duration(page), { timeout: 20_000 }).toBeGreaterThan(withPause + 8.9);
  expect(Math.abs((await duration(page)) - withPause - 9)).toBeLessThan(0.01);
  // The bed is heard at the start (intro) and at the end (outro): one band each (whole episode in
  // view, since the regions plugin only puts what is on screen into the page).
  await page.getByTestId('zoom').fill('0');
  await expect(page.locator('[data-testid="bed-band"]')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/timeline.png' });

  // Export and measure the MP3 with ffmpeg's ebur128.
  await page.getByTestId('export-button').click();
  await page.getByTestId('export-start').click();
  const exported = await waitJobDone(page, 'export', 1);
  await page.keyboard.press('Escape');
  const mp3 = exported.result?.files?.find((f) => f.name === 'episode.mp3');
  expect(mp3).toBeTruthy();
  const dir = mkdtempSync(join(tmpdir(), 'gp-e2e-timeline-'));
  const res = await page.request.get(new URL(mp3!.url, BASE).href);
  writeFileSync(join(dir, 'episode.mp3'), await res.body());
  expect(res.ok()).toBe(true);
  const { integrated, log: stderr } = ffmpegEbur128(join(dir, 'episode.mp3'));
  expect(Math.abs(integrated - -16), stderr.slice(-600)).toBeLessThan(1);
  const probed = probeDurationSec(join(dir, 'episode.mp3'));

  expect(Math.abs(probed - (await duration(page)))).toBeLessThan(0.5);
  expect(await page.evaluate(() => (window as unknown as { __decodes: number }).__decodes)).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});
