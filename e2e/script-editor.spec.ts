// The script editor as a producer uses it, in Chromium through the web transport: voice a drafted
// script, type a new line with host-name completion, see an unknown-speaker error and quick-fix
// it, split a line and undo, then voice all again and check on the back end that only the two
// new lines reached the engine and every untouched line kept its clip.
//
// It runs against its own back end (own port and data folder): its voice jobs would otherwise
// show up in the shared server's job list that e2e/spine.spec.ts counts from zero.
import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { doneVoiceJobs, seedArticle, useOwnBackend, waitVoiceJob } from './support/own-backend';

const { base: BASE, api } = useOwnBackend('script-editor', 'GOOSEPOD_E2E_EDITOR_PORT', 4527);

type Line = { kind: string; id: string; speaker?: string; text: string };
type Opened = { episode: { lines: Line[]; clips: Record<string, { hash: string }> } };

/** The saved episode of the newest project, once it has `clipCount` clips. */
async function savedEpisode(page: Page, clipCount: number): Promise<Opened['episode']> {
  let episode: Opened['episode'] | undefined;
  await expect
    .poll(
      async () => {
        const { projects } = await api<{ projects: { projectId: string; updatedAt: string }[] }>(
          page,
          'projectList',
        );
        const newest = [...projects].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
        if (!newest) return -1;
        episode = (await api<Opened>(page, 'projectOpen', { projectId: newest.projectId })).episode;
        return Object.keys(episode.clips).length;
      },
      { timeout: 30_000 },
    )
    .toBe(clipCount);
  return episode!;
}

test('complete a host name, quick-fix an unknown speaker, split and undo: untouched lines keep their clips', async ({
  page,
}) => {
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  const { personas } = await api<{ personas: { name: string }[] }>(page, 'settingsGet');
  const [first, second] = personas.map((p) => p.name);
  const before = (await doneVoiceJobs(api, page)).length; // 0 on this test's own back end

  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning', { timeout: 30_000 });

  await page.getByTestId('voice-all').click();
  const voiced = await waitVoiceJob(api, page, before + 1);
  const speechCount = (voiced.result?.synthesized?.length ?? 0) + (voiced.result?.cached?.length ?? 0);
  expect(speechCount).toBeGreaterThan(10);
  const original = await savedEpisode(page, speechCount);

  // A new line at the end, the host name completed from the suggestion list.
  await page.locator('.monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(first!.slice(0, 2));
  const suggest = page.locator('.monaco-editor .suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText(first!);
  await page.keyboard.press('Enter');
  await page.keyboard.type('A brand new closing thought.');
  await expect(editor).toContainText(`${first}: A brand new closing thought.`);

  // An unknown speaker is an error squiggle; the quick fix offers the hosts.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Zed: Who is this?');
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await page.keyboard.press('Home');
  await page.keyboard.press('Control+Period');
  const fix = page.locator('.action-widget').getByText(`Change speaker to “${second}”`);
  await expect(fix).toBeVisible();
  await fix.click();
  await expect(editor).toContainText(`${second}: Who is this?`);
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(0);

  // Split a voiced line at the cursor (Alt+S), then take it back (Ctrl+Z).
  const target = original.lines.slice(0, 6).find((l) => l.kind === 'speech' && l.text.split(' ').length > 8)!;
  const words = target.text.split(' ');
  await page.keyboard.press('Control+Home');
  const row = page
    .locator('.monaco-editor .view-line')
    .filter({ hasText: target.text.slice(0, 30) })
    .first();
  await row.click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Home'); // wrapped lines: the first Home stops at the visual line start
  for (let i = 0; i < `${target.speaker}: `.length + words.slice(0, 4).join(' ').length; i++) {
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Alt+s');
  const secondHalf = `${target.speaker}: ${words.slice(4).join(' ').slice(0, 20)}`;
  await expect(editor).toContainText(secondHalf);
  await page.keyboard.press('Control+z');
  await expect(editor).not.toContainText(secondHalf);
  await expect(editor).toContainText(target.text.slice(0, 60));

  // Voice all again: only the two new lines reach the engine.
  await page.getByTestId('voice-all').click();
  const again = await waitVoiceJob(api, page, before + 2);
  expect(again.result?.cached?.length).toBe(speechCount);
  const after = await savedEpisode(page, speechCount + 2);
  const added = after.lines.filter((l) => !original.lines.some((o) => o.id === l.id)).map((l) => l.id);
  expect(after.lines.filter((l) => added.includes(l.id)).map((l) => `${l.speaker}: ${l.text}`)).toEqual([
    `${first}: A brand new closing thought.`,
    `${second}: Who is this?`,
  ]);
  expect([...(again.result?.synthesized ?? [])].sort()).toEqual([...added].sort());
  // Every original line is still there with its id, words and clip.
  for (const line of original.lines) {
    const now = after.lines.find((l) => l.id === line.id);
    expect(now).toEqual(line);
    if (original.clips[line.id]) {
      expect(after.clips[line.id]).toEqual(original.clips[line.id]);
    }
  }
});
