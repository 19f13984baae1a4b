// The studio spine as a producer walks it, in Chromium through the web transport: paste the
// seed's article, draft, edit one line, regenerate it (and only it), see the timeline, export,
// then check the MP3 with ffprobe and the transcript's contents.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_TOKEN } from '../playwright.config';
import { probeDurationSec } from '../electron/services/test-support/media-probe';

const seedArticle = readFileSync(new URL('./fixtures/seed-article.txt', import.meta.url), 'utf8');

/** Calls the back end the way the page does (token header), for assertions only. */
async function api<T>(page: Page, name: string, body: unknown = {}): Promise<T> {
  const res = await page.request.post(`/api/${name}`, {
    data: body,
    headers: { 'x-studio-token': E2E_TOKEN },
  });
  const json = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!json.ok) throw new Error(json.error?.message);
  return json.value;
}

type Job = {
  kind: string;
  status: string;
  result?: {
    kind: string;
    synthesized?: string[];
    cached?: string[];
    files?: { name: string; url: string }[];
  };
};

async function lastJob(page: Page, kind: string): Promise<Job | undefined> {
  const { jobs } = await api<{ jobs: Job[] }>(page, 'jobList');
  return jobs.filter((j) => j.kind === kind).at(-1);
}

async function waitJobDone(page: Page, kind: string, count: number): Promise<Job> {
  await expect
    .poll(
      async () => {
        const { jobs } = await api<{ jobs: Job[] }>(page, 'jobList');
        const done = jobs.filter((j) => j.kind === kind && j.status === 'done');
        return done.length;
      },
      { timeout: 150_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return (await lastJob(page, kind))!;
}

test('paste → draft → edit a line → regenerate only it → timeline → export MP3 + transcript', async ({
  page,
}) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await expect(page.getByTestId('try-sample')).toBeVisible();

  // Nothing to draft from yet: the action is not offered.
  await expect(page.getByTestId('draft-button')).toBeDisabled();

  await expect(page.getByTestId('host-card').first()).toBeVisible();
  await page.getByTestId('listener-name').fill('norristong');
  await page.getByTestId('listener-name').blur();
  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();

  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning norristong', { timeout: 30_000 });
  await expect(editor).toContainText('Goose Pod');
  await expect(page.getByTestId('project-title')).toHaveValue(/China/);

  // Voice everything once.
  await page.getByTestId('voice-all').click();
  const first = await waitJobDone(page, 'voice', 1);
  const speechCount = first.result?.synthesized?.length ?? 0;
  expect(speechCount).toBeGreaterThan(10);
  // One region per voiced line (wavesurfer keeps only the on-screen ones in the DOM).
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-regions', String(speechCount), {
    timeout: 30_000,
  });
  const regions = page.locator('[data-testid="timeline-region"]');
  await expect(regions.first()).toBeVisible();

  // Edit the third script line's text in Monaco, as a producer would: click, End, type.
  const line = page.locator('.monaco-editor .view-line').filter({ hasText: 'Their rapid ascent' }).first();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Remarkable.');
  await expect(editor).toContainText('Remarkable.');

  // Regenerate it with the editor's command (Ctrl+Enter): exactly one line goes to the engine.
  await page.keyboard.press('Control+Enter');
  const second = await waitJobDone(page, 'voice', 2);
  expect(second.result?.synthesized?.length).toBe(1);
  expect(second.result?.cached ?? []).toEqual([]);

  // "Voice all" afterwards costs nothing: every line comes from the clip cache.
  await page.getByTestId('voice-all').click();
  const third = await waitJobDone(page, 'voice', 3);
  expect(third.result?.synthesized).toEqual([]);
  expect(third.result?.cached?.length).toBe(speechCount);

  // Clicking a region selects its line in the editor.
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-regions', String(speechCount));
  await expect(page.locator('.monaco-editor .selected-text')).toHaveCount(0);
  await regions.nth(1).click();
  await expect(page.locator('.monaco-editor .selected-text').first()).toBeVisible();
  await page.getByTestId('play-button').click(); // pause what the click started

  // Export, with progress, then check the files with real tools.
  await page.getByTestId('export-button').click();
  await page.getByTestId('export-start').click();
  const exported = await waitJobDone(page, 'export', 1);
  await page.keyboard.press('Escape'); // the dialog showed the files too; the strip below keeps them
  await expect(page.getByTestId('export-files')).toBeVisible();
  const files = exported.result?.files ?? [];
  const mp3 = files.find((f) => f.name === 'episode.mp3');
  const txt = files.find((f) => f.name === 'transcript.txt');
  expect(mp3 && txt).toBeTruthy();

  const dir = mkdtempSync(join(tmpdir(), 'gp-e2e-export-'));
  const mp3Res = await page.request.get(mp3!.url);
  expect(mp3Res.ok()).toBe(true);
  writeFileSync(join(dir, 'episode.mp3'), await mp3Res.body());
  const probed = probeDurationSec(join(dir, 'episode.mp3'));

  const timecode = (await page.getByTestId('timecode').textContent()) ?? '';
  const total = timecode.split('/')[1]?.trim() ?? '';
  const [m, s] = total.split(':').map(Number);
  expect(Math.abs(probed - (m * 60 + s))).toBeLessThan(1.5);

  const transcript = await (await page.request.get(txt!.url)).text();
  expect(transcript).toContain('Good morning norristong');
  expect(transcript).toContain('Remarkable.');
  expect(transcript).toMatch(/^Maya\n/m);
  expect(transcript).toContain('Read original at Al Jazeera English');
});

test('empty and binary article files get a clear message and lose nothing', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill('Keep this text.');
  await page
    .getByTestId('article-file')
    .setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await expect(page.getByTestId('error-banner')).toContainText(/empty/i);
  await page.getByTestId('article-file').setInputFiles({
    name: 'photo.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]),
  });
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-code', 'binary-input');
  await expect(page.getByTestId('error-banner')).toContainText(/not text/i);
  await expect(page.getByTestId('article-input')).toHaveValue('Keep this text.');
});

test('hosts: add, duplicate and remove, always between two and four', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  const cards = page.getByTestId('host-card');
  const hostNames = () =>
    page.getByTestId('host-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  await expect(cards).toHaveCount(2);
  const defaults = await hostNames();
  await expect(page.getByTestId('host-remove').first()).toBeDisabled();
  await page.getByTestId('host-add').click();
  await expect(cards).toHaveCount(3);
  await page.getByTestId('host-duplicate').first().click();
  await expect(cards).toHaveCount(4);
  await expect(page.getByTestId('host-add')).toBeDisabled();
  const names = await hostNames();
  expect(new Set(names).size).toBe(4);
  // Back to the two defaults, so the shared back end's settings stay as the other tests expect:
  // the added host is last, the copy right after the host it copies.
  expect(names[0]).toBe(defaults[0]);
  expect(names[2]).toBe(defaults[1]);
  // The hosts are saved by a debounced settings update; only the last one carries two hosts.
  const savedTwo = page.waitForResponse(
    (res) =>
      res.url().endsWith('/api/settingsUpdate') &&
      (res.request().postDataJSON() as { personas?: unknown[] }).personas?.length === 2,
    { timeout: 30_000 },
  );
  await page.getByTestId('host-remove').nth(3).click();
  await page.getByTestId('host-remove').nth(1).click();
  await expect(cards).toHaveCount(2);
  await expect.poll(hostNames).toEqual(defaults);
  // Wait for that save to land before the page goes away (its timer would die with it), and see
  // the back end hold the two defaults, so a later run does not start with three or four hosts.
  expect((await savedTwo).ok()).toBe(true);
  await expect
    .poll(async () =>
      (await api<{ personas: { name: string }[] }>(page, 'settingsGet')).personas.map((p) => p.name),
    )
    .toEqual(defaults);
});
