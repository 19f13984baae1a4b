// Regenerating part of a script, as a producer does it in Chromium through the web transport:
// with the offline drafter "rewrite this line" explains that it needs a model; with a custom
// OpenAI-compatible provider at the project's test server the producer rewrites one line with an
// instruction (cost shown first; same speaker, same id; Ctrl+Z brings the old words back), then
// redrafts from a line and watches new lines stream in while the lines above and the sign-off
// stay exactly as they were; one Ctrl+Z restores the previous tail.
//
// It runs against its own back end (own port and data folder), like e2e/llm-draft.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import {
  startOpenAiCompatibleServer,
  type OpenAiCompatibleServer,
} from '../electron/services/test-servers/openai-compatible-server';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend } from './support/own-backend';

const { base: BASE, api } = useOwnBackend('llm-partial', 'GOOSEPOD_E2E_PARTIAL_PORT', 4577);
let model: OpenAiCompatibleServer;

test.beforeAll(async () => {
  // Small, slow chunks: a redraft visibly arrives line by line.
  model = await startOpenAiCompatibleServer({ chunkChars: 24, chunkDelayMs: 15 });
});

test.afterAll(async () => {
  await model?.close();
});

type Line = { id: string; kind: string; speaker?: string; text?: string; seconds?: number };

/** The lines of the autosaved episode. */
async function savedLines(page: Page): Promise<Line[]> {
  const { projects } = await api<{ projects: { projectId: string }[] }>(page, 'projectList');
  if (projects.length === 0) return [];
  const { episode } = await api<{ episode: { lines: Line[] } }>(page, 'projectOpen', {
    projectId: projects[0]!.projectId,
  });
  return episode.lines;
}

const words = (l: Line) => `${l.kind}:${l.speaker ?? ''}:${l.text ?? ''}`;
const chatRequests = () => model.requests.filter((r) => r.path === '/v1/chat/completions');

/** Puts the cursor on the editor line that starts with this speech line's first words. */
async function clickLine(page: Page, line: Line): Promise<void> {
  const start = (line.text ?? '')
    .split(/\s+/)
    .slice(0, 5)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s');
  const row = page
    .getByTestId('script-editor')
    .locator('.view-line')
    .filter({ hasText: new RegExp(start) });
  await row.first().scrollIntoViewIfNeeded();
  await row.first().click();
}

test('rewrite a line with an instruction, undo it, then redraft from a line with streaming', async ({
  page,
}) => {
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill(seedArticle);
  await page.getByTestId('draft-button').click();
  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning');
  await expect.poll(async () => (await savedLines(page)).length, { timeout: 20_000 }).toBeGreaterThan(8);
  const original = await savedLines(page);
  const speech = original.filter((l) => l.kind === 'speech');
  // A body line with two sentences or more: "In short: <first sentence>" visibly changes it.
  const target = speech.find((l, i) => i > 2 && /[.!?]\s+\S/.test(l.text ?? ''))!;

  // Offline: the command explains that rewriting needs a model, and where to choose one.
  await clickLine(page, target);
  await page.keyboard.press('Alt+R');
  await expect(page.getByTestId('partial-needs-model')).toContainText('needs a language model');
  await page.getByTestId('partial-choose-model').click();
  await expect(page.getByTestId('llm-provider')).toBeFocused();
  await page.getByTestId('partial-close').click();
  await expect(page.getByTestId('partial-prompt')).toHaveCount(0);

  // The provider: custom, at the test server, with prices so the estimate is not $0.
  await page.getByTestId('llm-provider').selectOption('custom');
  await page.getByTestId('llm-base-url').fill(model.baseURL);
  await page.getByTestId('llm-model').fill('test-model');
  await page.getByTestId('llm-price-in').fill('2');
  await page.getByTestId('llm-price-out').fill('8');

  // Rewrite: prompt at the line, cost before confirming, then the new words in place.
  await clickLine(page, target);
  await page.keyboard.press('Alt+R');
  const prompt = page.getByTestId('partial-prompt');
  await expect(prompt).toHaveAttribute('data-mode', 'rewrite-line');
  await expect(page.getByTestId('partial-confirm')).toBeDisabled(); // no instruction yet
  await page.getByTestId('partial-instruction').fill('shorter');
  await expect(page.getByTestId('partial-estimate')).toContainText(/\$0\.\d+/);
  await expect(page.getByTestId('partial-estimate')).toHaveAttribute('data-within-budget', 'true');
  await page.screenshot({ path: 'test-results/partial-rewrite-prompt.png' });
  const before = chatRequests().length;
  await page.getByTestId('partial-confirm').click();
  const first = /^.*?[.!?][”"’]?(?=\s|$)/.exec(target.text!)![0];
  const rewritten = `In short: ${first}`;
  await expect(page.getByTestId('partial-usage')).toContainText('$');
  await expect(editor).toContainText(rewritten.slice(0, 60));
  expect(chatRequests()).toHaveLength(before + 1);
  const sent = chatRequests()
    .at(-1)!
    .body!.messages!.map((m) => m.content)
    .join('\n');
  expect(sent).toContain('- Instruction: shorter');
  expect(sent).toContain(`>>> ${target.speaker}: ${target.text}`);
  // Same id, same speaker, new words; nothing else changed.
  await expect
    .poll(async () => (await savedLines(page)).find((l) => l.id === target.id)?.text, { timeout: 15_000 })
    .toBe(rewritten);
  const afterRewrite = await savedLines(page);
  expect(afterRewrite.map((l) => (l.id === target.id ? words(target) : words(l)))).toEqual(
    original.map(words),
  );
  expect(afterRewrite.find((l) => l.id === target.id)?.speaker).toBe(target.speaker);

  // Ctrl+Z in the editor brings the old words back.
  await page.keyboard.press('Control+z');
  await expect
    .poll(async () => (await savedLines(page)).find((l) => l.id === target.id)?.text, { timeout: 15_000 })
    .toBe(target.text);
  await page.getByTestId('partial-close').click();

  // Redraft from a line: the toolbar button, an optional instruction, the cost, then streaming.
  const from = speech[4]!;
  const fromAt = original.findIndex((l) => l.id === from.id);
  const signOffAt = original.findIndex((l) => l.kind === 'heading' && /sign-off/i.test(l.text ?? ''));
  await clickLine(page, from);
  await page.getByTestId('redraft-from-button').click();
  await expect(prompt).toHaveAttribute('data-mode', 'redraft-from');
  await expect(prompt).toContainText('the sign-off (which stays)');
  await page.getByTestId('partial-instruction').fill('more sceptical');
  await expect(page.getByTestId('partial-estimate')).toContainText(/\$0\.\d+/);
  await page.screenshot({ path: 'test-results/partial-redraft-prompt.png' });
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { seen: number[] }).seen = seen;
    new MutationObserver(() => {
      const n = document.querySelector('[data-testid="partial-running"]')?.getAttribute('data-lines');
      if (n && Number(n) !== seen.at(-1)) seen.push(Number(n));
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-lines'],
    });
  });
  await page.getByTestId('partial-confirm').click();
  await expect(prompt).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/partial-redraft-done.png' });
  const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
  expect(seen.length).toBeGreaterThan(1); // lines appeared one after another
  expect(
    chatRequests()
      .at(-1)!
      .body!.messages!.map((m) => m.content)
      .join('\n'),
  ).toContain('- Instruction: more sceptical');

  const jobs = (
    await api<{ jobs: { kind: string; result?: { kind: string; lines: Line[] } }[] }>(page, 'jobList')
  ).jobs;
  const redraft = jobs.filter((j) => j.result?.kind === 'draft-partial').at(-1)!.result!;
  const expected = [
    ...original.slice(0, fromAt).map(words),
    ...redraft.lines.map(words),
    ...original.slice(signOffAt).map(words),
  ];
  await expect.poll(async () => (await savedLines(page)).map(words), { timeout: 15_000 }).toEqual(expected);
  const afterRedraft = await savedLines(page);
  // The lines above kept their ids and words; so did the sign-off.
  expect(afterRedraft.slice(0, fromAt)).toEqual(original.slice(0, fromAt));
  expect(afterRedraft.slice(-3).map(words)).toEqual(original.slice(-3).map(words));
  await expect(editor).toContainText((redraft.lines[0]!.text ?? '').slice(0, 40));

  // One Ctrl+Z restores the previous tail.
  await clickLine(page, original[fromAt - 1]!);
  await page.keyboard.press('Control+z');
  await expect
    .poll(async () => (await savedLines(page)).map(words), { timeout: 15_000 })
    .toEqual(original.map(words));
});
