// One undo history for the script and the voices, as a producer uses it in Chromium through the
// web transport: type an edit into a voiced line, regenerate it (a new take), pin the older take,
// delete the newer one; then Ctrl+Z four times and see each step come back in order — the take,
// the pin, the regenerate, the words — and Ctrl+Shift+Z / Ctrl+Y walk forward again. Neither
// direction may voice anything: the speech test server (both hosts speak through it) counts every
// synthesis request, and the back end's job list shows no new voice job.
//
// It runs against its own back end (own port and data folder), like e2e/voices.spec.ts.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend, useSpeechServer } from './support/own-backend';

const { base: BASE, api } = useOwnBackend('undo', 'GOOSEPOD_E2E_UNDO_PORT', 4587);
const speechServer = useSpeechServer();

type Persona = { name: string; voice: Record<string, unknown> };
type Line = { kind: string; id: string; speaker?: string; text: string };
type Take = { hash: string };
type Episode = {
  lines: Line[];
  clips: Record<string, { hash: string }>;
  pinned?: Record<string, string>;
  takes?: Record<string, Take[]>;
};

async function voiceJobs(page: Page): Promise<{ status: string }[]> {
  const { jobs } = await api<{ jobs: { kind: string; status: string }[] }>(page, 'jobList');
  return jobs.filter((j) => j.kind === 'voice');
}

async function saved(page: Page): Promise<Episode> {
  const { projects } = await api<{ projects: { projectId: string; updatedAt: string }[] }>(
    page,
    'projectList',
  );
  const newest = [...projects].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]!;
  return (await api<{ episode: Episode }>(page, 'projectOpen', { projectId: newest.projectId })).episode;
}

/** The takes panel's rows as "current/pinned" flags, e.g. ["current pinned", ""]. */
async function takeFlags(takes: Locator): Promise<string[]> {
  const out: string[] = [];
  for (const row of await takes.all()) {
    const flags = [];
    if ((await row.getAttribute('data-current')) === 'true') flags.push('current');
    if ((await row.getAttribute('data-pinned')) === 'true') flags.push('pinned');
    out.push(flags.join(' '));
  }
  return out;
}

test('Ctrl+Z walks back a text edit, a regenerate, a pin and a take deletion in order, and redo walks forward, voicing nothing', async ({
  page,
}) => {
  const speech = speechServer.server;
  // Both hosts speak through the speech test server, so every synthesis is counted there.
  const { personas } = await api<{ personas: Persona[] }>(page, 'settingsGet');
  await api(page, 'settingsUpdate', {
    personas: personas.map((p) => ({
      ...p,
      voice: { ...p.voice, engine: 'openai-compatible', baseURL: speech.baseURL, voice: 'af_bella' },
    })),
  });
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning', { timeout: 30_000 });

  await page.getByTestId('voice-all').click();
  await expect
    .poll(async () => (await voiceJobs(page)).filter((j) => j.status === 'done').length, {
      timeout: 150_000,
    })
    .toBe(1);
  await expect(page.getByTestId('voice-estimate')).toHaveText('all cached');
  // The clips reach the saved episode by an autosave after the job: wait for it rather than count
  // on its timing (-1: no speech lines saved yet).
  let voiced: Episode = { lines: [], clips: {} };
  await expect
    .poll(async () => {
      voiced = await saved(page);
      const speech = voiced.lines.filter((l) => l.kind === 'speech');
      return speech.length === 0 ? -1 : speech.filter((l) => !voiced.clips[l.id]).length;
    })
    .toBe(0);
  const speechLines = voiced.lines.filter((l) => l.kind === 'speech');
  const target = speechLines.find((l, i) => i >= 2 && l.text.length > 40)!;
  const originalClip = voiced.clips[target.id]!.hash;
  const undoHint = page.getByTestId('undo-hint');
  const panel = page.getByTestId('takes-panel');
  const takes = panel.getByTestId('take');
  const row = (text: string) => page.locator('.monaco-editor .view-line').filter({ hasText: text }).first();

  // 1. A script edit: "Indeed—" before the words (no space: Monaco makes one undo step of it,
  // where a space would start a step of its own, word by word as in VS Code).
  await row(`${target.speaker}: ${target.text.slice(0, 24)}`).click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');
  for (let i = 0; i < `${target.speaker}: `.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.insertText('Indeed—');
  const edited = `${target.speaker}: Indeed—${target.text.slice(0, 20)}`;
  await expect(editor).toContainText(edited);
  await expect(panel).toHaveAttribute('data-line', target.id);
  await expect(page.getByTestId('stale-count')).toHaveText('1 stale');
  await expect(undoHint).toHaveText('Undo script edit');
  const lineNo = /line (\d+)$/;

  // 2. Regenerate the line (Ctrl+Enter): one request, a second take, current.
  const beforeRegen = speech.synthesisRequests().length;
  await page.keyboard.press('Control+Enter');
  await expect
    .poll(async () => (await voiceJobs(page)).filter((j) => j.status === 'done').length, {
      timeout: 60_000,
    })
    .toBe(2);
  expect(speech.synthesisRequests().length - beforeRegen).toBe(1);
  await expect(takes).toHaveCount(2);
  await expect.poll(() => takeFlags(takes)).toEqual(['', 'current']);
  await expect(page.getByTestId('stale-count')).toHaveCount(0);
  await expect(undoHint).toHaveText(/^Undo regenerate line \d+$/);
  const n = (await undoHint.textContent())!.match(lineNo)![1];
  const newerHash = (await takes.nth(1).getAttribute('data-hash'))!;

  // 3. Pin the older take.
  await takes.nth(0).getByTestId('take-pin').click();
  await expect.poll(() => takeFlags(takes)).toEqual(['current pinned', '']);
  await expect(undoHint).toHaveText(`Undo pin take #1 on line ${n}`);

  // 4. Delete the newer take: its audio goes to the project's trash.
  await takes.nth(1).getByTestId('take-delete').click();
  await expect(takes).toHaveCount(1);
  await expect(undoHint).toHaveText(`Undo delete take #2 on line ${n}`);
  await expect(page.getByTestId('undo-button')).toHaveAttribute(
    'title',
    `Undo delete take #2 on line ${n} (Ctrl+Z)`,
  );
  await expect.poll(async () => (await saved(page)).takes?.[target.id]?.length).toBe(1);

  const requests = speech.synthesisRequests().length;
  const jobs = (await voiceJobs(page)).length;
  await page.screenshot({ path: test.info().outputPath('undo-before.png') });

  // Ctrl+Z #1, outside the editor (focus left with the deleted row): the take comes back.
  await page.keyboard.press('Control+z');
  await expect(takes).toHaveCount(2);
  await expect.poll(() => takeFlags(takes)).toEqual(['current pinned', '']);
  await expect(takes.nth(1)).toHaveAttribute('data-hash', newerHash);
  await expect(takes.nth(1).getByTestId('take-play')).toBeEnabled(); // its audio is back
  await expect(undoHint).toHaveText(`Undo pin take #1 on line ${n}`);
  await expect.poll(async () => (await saved(page)).takes?.[target.id]?.length).toBe(2);

  // The rest in the editor, on the edited line.
  await row(edited).click();
  // Ctrl+Z #2: the pin is undone, the regenerated take is current again.
  await page.keyboard.press('Control+z');
  await expect.poll(() => takeFlags(takes)).toEqual(['', 'current']);
  await expect(undoHint).toHaveText(`Undo regenerate line ${n}`);
  await expect(editor).toContainText(edited);

  // Ctrl+Z #3: the regenerate is undone — the first take is current and the line is stale again;
  // the paid-for take stays in the list.
  await page.keyboard.press('Control+z');
  await expect.poll(() => takeFlags(takes)).toEqual(['current', '']);
  await expect(page.getByTestId('stale-count')).toHaveText('1 stale');
  await expect(undoHint).toHaveText('Undo script edit');
  await expect.poll(async () => (await saved(page)).clips[target.id]?.hash).toBe(originalClip);

  // Ctrl+Z #4: the words come back, the line is current with its first clip.
  await page.keyboard.press('Control+z');
  await expect(editor).not.toContainText(edited);
  await expect(editor).toContainText(`${target.speaker}: ${target.text.slice(0, 40)}`);
  await expect(page.getByTestId('stale-count')).toHaveCount(0);
  await expect.poll(() => takeFlags(takes)).toEqual(['current', '']);
  await expect(page.getByTestId('voice-estimate')).toHaveText('all cached');

  expect(speech.synthesisRequests().length).toBe(requests);
  expect((await voiceJobs(page)).length).toBe(jobs);

  // Redo all four: Ctrl+Shift+Z and Ctrl+Y.
  await page.keyboard.press('Control+Shift+z');
  await expect(editor).toContainText(edited);
  await expect(page.getByTestId('stale-count')).toHaveText('1 stale');
  await page.keyboard.press('Control+y');
  await expect.poll(() => takeFlags(takes)).toEqual(['', 'current']);
  await expect(page.getByTestId('stale-count')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => takeFlags(takes)).toEqual(['current pinned', '']);
  await page.keyboard.press('Control+y');
  await expect(takes).toHaveCount(1);
  await expect.poll(() => takeFlags(takes)).toEqual(['current pinned']);
  await expect(undoHint).toHaveText(`Undo delete take #2 on line ${n}`);
  await expect(page.getByTestId('redo-button')).toBeDisabled();

  // The redone state reaches the saved episode by autosave: wait for it as a whole.
  await expect
    .poll(async () => {
      const end = await saved(page);
      return {
        takes: end.takes?.[target.id]?.map((t) => t.hash),
        pinned: end.pinned?.[target.id],
        text: end.lines.find((l) => l.id === target.id)?.text,
      };
    })
    .toEqual({ takes: [originalClip], pinned: originalClip, text: `Indeed—${target.text}` });
  expect(speech.synthesisRequests().length).toBe(requests);
  expect((await voiceJobs(page)).length).toBe(jobs);
  await page.screenshot({ path: test.info().outputPath('undo-after.png') });
});
