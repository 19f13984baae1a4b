// Voices as a producer uses them, in Chromium through the web transport: give one host an
// OpenAI-compatible speech server (the project's speech test server, running in this test's Node
// process), preview the voice, voice all, edit two of that host's lines, voice all again and check
// that exactly two new requests reached the server; then open the takes of an edited line, pin
// the older take and check the timeline now plays it.
//
// It runs against its own back end (own port and data folder), like e2e/script-editor.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend, useSpeechServer, waitVoiceJob } from './support/own-backend';

const { base: BASE, api } = useOwnBackend('voices', 'GOOSEPOD_E2E_VOICES_PORT', 4567);
const speechServer = useSpeechServer();

type Line = { kind: string; id: string; speaker?: string; text: string };
type Clip = { hash: string; durationSec: number };
type Episode = {
  lines: Line[];
  clips: Record<string, Clip>;
  pinned?: Record<string, string>;
  takes?: Record<string, { hash: string; durationSec: number }[]>;
};

async function savedProject(page: Page): Promise<{ projectId: string; episode: Episode }> {
  const { projects } = await api<{ projects: { projectId: string; updatedAt: string }[] }>(
    page,
    'projectList',
  );
  const newest = [...projects].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]!;
  return api(page, 'projectOpen', { projectId: newest.projectId });
}

test('a host on an OpenAI-compatible server: only edited lines are sent again, and a pinned older take is what the timeline plays', async ({
  page,
}) => {
  const speech = speechServer.server;
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  const { personas } = await api<{ personas: { name: string }[] }>(page, 'settingsGet');
  const host = personas[0]!.name;

  // The first host speaks through the speech test server.
  const card = page.getByTestId('host-card').first();
  await card.getByTestId('host-engine').selectOption('openai-compatible');
  await card.getByTestId('host-base-url').fill(speech.baseURL);
  await card.getByTestId('host-base-url').press('Enter');
  const voice = card.getByTestId('host-voice');
  await expect(voice.locator('option[value="af_bella"]')).toHaveCount(1);
  await voice.selectOption('af_bella');
  await expect(card).toHaveAttribute('data-engine', 'openai-compatible');

  // Preview plays a sample sentence from the server.
  await card.getByTestId('preview-voice').click();
  await expect(card.getByTestId('preview-audio')).toHaveAttribute('src', /^blob:/);
  expect(speech.synthesisRequests().at(-1)?.body?.voice).toBe('af_bella');

  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning', { timeout: 30_000 });

  // Voice all: every line of that host goes to the server once (the local server is free).
  const before = speech.synthesisRequests().length;
  await page.getByTestId('voice-all').click();
  const first = await waitVoiceJob(api, page, 1);
  expect(first.result?.failed ?? []).toEqual([]);
  let saved = await savedProject(page);
  await expect
    .poll(async () => Object.keys((saved = await savedProject(page)).episode.clips).length)
    .toBe((first.result?.synthesized?.length ?? 0) + (first.result?.cached?.length ?? 0));
  const hostLines = saved.episode.lines.filter((l) => l.kind === 'speech' && l.speaker === host);
  expect(hostLines.length).toBeGreaterThan(2);
  expect(speech.synthesisRequests().length - before).toBe(hostLines.length);
  await expect(page.getByTestId('voice-estimate')).toHaveText('all cached');

  // Edit two of the host's lines: "Well, " after the speaker label.
  const edited = [hostLines[1]!, hostLines[2]!];
  for (const line of edited) {
    const row = page
      .locator('.monaco-editor .view-line')
      .filter({ hasText: `${host}: ${line.text.slice(0, 24)}` })
      .first();
    await row.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Home');
    for (let i = 0; i < `${host}: `.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('Well, ');
    await expect(editor).toContainText(`${host}: Well, ${line.text.slice(0, 20)}`);
  }
  await expect(page.getByTestId('voice-estimate')).toContainText('2 to voice');

  // Voice all again: exactly two new requests.
  const mid = speech.synthesisRequests().length;
  await page.getByTestId('voice-all').click();
  const second = await waitVoiceJob(api, page, 2);
  expect([...(second.result?.synthesized ?? [])].sort()).toEqual(edited.map((l) => l.id).sort());
  expect(speech.synthesisRequests().length - mid).toBe(2);
  expect(
    speech
      .synthesisRequests()
      .slice(mid)
      .map((r) => String(r.body?.input))
      .every((t) => t.startsWith('Well, ')),
  ).toBe(true);

  // The takes of the first edited line: the older one (before "Well, ") and the new one.
  const target = edited[0]!;
  await page
    .locator('.monaco-editor .view-line')
    .filter({ hasText: `${host}: Well, ${target.text.slice(0, 18)}` })
    .first()
    .click();
  const panel = page.getByTestId('takes-panel');
  await expect(panel).toHaveAttribute('data-line', target.id);
  const takes = panel.getByTestId('take');
  await expect(takes).toHaveCount(2);
  const older = takes.nth(0);
  const newer = takes.nth(1);
  await expect(newer).toHaveAttribute('data-current', 'true');
  await expect(older).toHaveAttribute('data-current', 'false');
  const olderHash = (await older.getAttribute('data-hash'))!;
  const olderDuration = Number(await older.getAttribute('data-duration'));
  const newerDuration = Number(await newer.getAttribute('data-duration'));
  expect(newerDuration - olderDuration).toBeGreaterThan(0.2); // six more characters of "speech"

  await older.getByTestId('take-pin').click();
  await expect(older).toHaveAttribute('data-pinned', 'true');
  await expect(older).toHaveAttribute('data-current', 'true');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-status', 'ready');

  // The saved episode uses (and pins) the older take, and the mix's region for the line has its length.
  await expect.poll(async () => (await savedProject(page)).episode.clips[target.id]?.hash).toBe(olderHash);
  saved = await savedProject(page);
  expect(saved.episode.pinned?.[target.id]).toBe(olderHash);
  const timeline = await api<{ regions: { lineId: string; start: number; end: number }[] }>(
    page,
    'timelineGet',
    saved,
  );
  const region = timeline.regions.find((r) => r.lineId === target.id)!;
  expect(Math.abs(region.end - region.start - olderDuration)).toBeLessThan(0.02);

  // "Voice all" keeps the pinned take: nothing new is sent.
  const last = speech.synthesisRequests().length;
  await page.getByTestId('voice-all').click();
  const third = await waitVoiceJob(api, page, 3);
  expect(third.result?.synthesized ?? []).toEqual([]);
  expect(speech.synthesisRequests().length).toBe(last);
  await expect(older).toHaveAttribute('data-pinned', 'true');
});
