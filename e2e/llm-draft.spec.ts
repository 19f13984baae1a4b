// Drafting with a model, as a producer does it in Chromium through the web transport: point a
// "custom OpenAI-compatible" provider at the project's test server (real SSE, started here in the
// test's Node process), save a key (only its masked form comes back), see the cost estimate and
// the budget cap, draft with the lines streaming into the editor, cancel a stalled draft and keep
// what arrived, see a grounding warning for a number the "model" made up, and see the sources of
// a line. The key must never reach the page's storage or DOM.
//
// Like e2e/script-editor.spec.ts it runs against its own back end (own port and data folder), so
// its draft jobs do not show up in the job list e2e/spine.spec.ts counts.
import { expect, test, type Page } from '@playwright/test';
import {
  goodDraftJson,
  startOpenAiCompatibleServer,
  type OpenAiCompatibleServer,
} from '../electron/services/test-servers/openai-compatible-server';
import { StreamingLinesScanner } from '../electron/services/draft/tolerant-json';
import { toScriptLines } from '../shared/draft/llm-schema';
import { E2E_TOKEN } from '../playwright.config';
import { seedArticle, useOwnBackend } from './support/own-backend';

const { base: BASE, api } = useOwnBackend('llm-draft', 'GOOSEPOD_E2E_LLM_PORT', 4547);
const FAKE_KEY = 'sk-e2eFAKEkey-0123456789-wxyz';
let model: OpenAiCompatibleServer;

test.beforeAll(async () => {
  // Slow enough chunks that the stream is visibly piecemeal; the key is required.
  model = await startOpenAiCompatibleServer({ apiKey: FAKE_KEY, chunkDelayMs: 20 });
});

test.afterAll(async () => {
  await model?.close();
});

type DraftJob = {
  kind: string;
  status: string;
  result?: {
    draft: { lines: { id: string; kind: string; text: string }[] };
    usage?: { costUsd: number };
    grounding?: { lineId: string; issues: { claim: string }[] }[];
  };
};

async function draftJobs(page: Page): Promise<DraftJob[]> {
  return (await api<{ jobs: DraftJob[] }>(page, 'jobList')).jobs.filter((j) => j.kind === 'draft');
}

async function waitDraft(page: Page, count: number, status: string): Promise<DraftJob> {
  await expect.poll(async () => (await draftJobs(page))[count - 1]?.status, { timeout: 60_000 }).toBe(status);
  return (await draftJobs(page))[count - 1]!;
}

/** The chat requests the test server got, newest last. */
const chatRequests = () => model.requests.filter((r) => r.path === '/v1/chat/completions');

/** The key must not be anywhere the page keeps things. */
async function expectKeyNowhere(page: Page): Promise<void> {
  const leaked = await page.evaluate((key) => {
    const storage = [localStorage, sessionStorage]
      .map((st) => Object.keys(st).map((k) => `${k}=${st.getItem(k)}`))
      .flat()
      .join('\n');
    const values = [...document.querySelectorAll('input, textarea')]
      .map((el) => (el as HTMLInputElement).value)
      .join('\n');
    return [storage, document.documentElement.outerHTML, values].filter((t) => t.includes(key)).length;
  }, FAKE_KEY);
  expect(leaked).toBe(0);
}

test('custom provider → key → estimate → streamed draft → cancel keeps lines → grounding and sources', async ({
  page,
}) => {
  await page.goto(`${BASE}/?token=${E2E_TOKEN}`);
  await page.getByTestId('article-input').fill(seedArticle);

  // A URL that fails: the message is clear and the pasted text stays.
  await page.getByTestId('article-url').fill(`http://127.0.0.1:${model.port}/no-such-article`);
  await page.getByTestId('article-fetch').click();
  await expect(page.getByTestId('article-url-error')).toContainText(/HTTP 40[14]/);
  await expect(page.getByTestId('article-input')).toHaveValue(seedArticle.replace(/\r\n/g, '\n'));

  // The provider: custom, at the test server.
  await page.getByTestId('llm-provider').selectOption('custom');
  await page.getByTestId('llm-base-url').fill(model.baseURL);
  await page.getByTestId('llm-model').fill('test-model');

  // Without a key the server refuses the model list.
  await page.getByTestId('llm-test').click();
  await expect(page.getByTestId('llm-test-result')).toHaveAttribute('data-status', 'error');

  await page.getByTestId('llm-key').fill(FAKE_KEY);
  await page.getByTestId('llm-key-save').click();
  await expect(page.getByTestId('llm-key-masked')).toHaveText('sk-…wxyz');
  await expect(page.getByTestId('llm-key')).toHaveValue('');
  await expectKeyNowhere(page);

  await page.getByTestId('llm-test').click();
  await expect(page.getByTestId('llm-test-result')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('llm-test-result')).toContainText('2 models');
  await expect(page.locator('#llm-model-options option')).toHaveCount(2);

  // Prices and the estimate; a budget below it turns drafting off, with the reason.
  await page.getByTestId('llm-price-in').fill('2');
  await page.getByTestId('llm-price-out').fill('8');
  await page.getByTestId('llm-budget').fill('0.0001');
  await expect(page.getByTestId('draft-estimate')).toHaveAttribute('data-within-budget', 'false');
  await expect(page.getByTestId('draft-over-budget')).toBeVisible();
  await expect(page.getByTestId('draft-button')).toBeDisabled();
  await page.getByTestId('llm-budget').fill('1');
  await expect(page.getByTestId('draft-estimate')).toHaveAttribute('data-within-budget', 'true');
  await expect(page.getByTestId('draft-estimate')).toContainText('$');
  await expect(page.getByTestId('draft-button')).toBeEnabled();

  // Draft 1: the lines stream into the editor. Every line count shown is recorded.
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { seenLines: number[] }).seenLines = seen;
    const record = () => {
      const n = document.querySelector('[data-testid="draft-stream"]')?.getAttribute('data-lines');
      if (n && Number(n) !== seen.at(-1)) seen.push(Number(n));
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-lines'],
    });
  });
  await page.getByTestId('draft-button').click();
  const stream = page.getByTestId('draft-stream');
  const editor = page.getByTestId('script-editor');
  await expect(editor).toContainText('Good morning');
  const first = await waitDraft(page, 1, 'done');
  const finalCount = first.result!.draft.lines.length;
  const seen = await page.evaluate(() => (window as unknown as { seenLines: number[] }).seenLines);
  expect(seen.length).toBeGreaterThan(1);
  expect(Math.min(...seen)).toBeLessThan(finalCount);
  await expect(page.getByTestId('draft-usage')).toContainText('$');
  expect(chatRequests().at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
  await expect(page.getByTestId('script-editor')).toContainText('Good morning');

  // Sources: put the cursor on a line that cites the article; its sentences are listed.
  const good = goodDraftJson(chatRequests().at(-1)!.body!.messages!) as {
    lines: { speaker: string; text: string; sources: string[] }[];
  };
  const cited = good.lines.find((l) => l.sources.length > 0)!;
  const words = cited.text
    .split(/\s+/)
    .slice(0, 5)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  await editor
    .locator('.view-line')
    .filter({ hasText: new RegExp(words.join('\\s')) })
    .first()
    .click();
  await expect(page.getByTestId('line-source').first()).toContainText(cited.sources[0]!.slice(0, 40));

  // Draft 2 stalls mid-way: cancel it, and what arrived stays in the editor.
  const stallsBefore = model.stalls.length;
  model.enqueue({ kind: 'stall', afterChunks: 60 });
  await page.getByTestId('draft-button').click();
  // Wait for the server to enter the stall (a quiet spell proves nothing on a slow machine): from
  // then on nothing more is sent, so the lines that can arrive are the complete lines of the text
  // already sent, read the way the back end reads a stream.
  await expect.poll(() => model.stalls.length, { timeout: 30_000 }).toBe(stallsBefore + 1);
  const stall = model.stalls[stallsBefore]!;
  expect(stall.request).toBe(model.requests.indexOf(chatRequests().at(-1)!));
  const scanner = new StreamingLinesScanner();
  scanner.push(stall.textSent);
  const arrived = toScriptLines(scanner.lines).lines.length;
  expect(arrived).toBeGreaterThan(1);
  expect(arrived).toBeLessThan(finalCount);
  // All of them reach the editor before the cancel; none can come after it.
  await expect(stream).toHaveAttribute('data-lines', String(arrived), { timeout: 30_000 });
  await page.getByTestId('job-cancel').click();
  await waitDraft(page, 2, 'canceled');
  await expect(page.getByTestId('draft-kept')).toContainText(`the ${arrived} lines that arrived`);
  await expect(editor).toContainText('Good morning');
  // The autosaved episode holds exactly the lines that arrived.
  await expect
    .poll(
      async () => {
        const { projects } = await api<{ projects: { projectId: string }[] }>(page, 'projectList');
        const { episode } = await api<{ episode: { lines: unknown[] } }>(page, 'projectOpen', {
          projectId: projects[0]!.projectId,
        });
        return episode.lines.length;
      },
      { timeout: 15_000 },
    )
    .toBe(arrived);

  // Draft 3: the "model" makes up a number in a line; the editor flags it.
  const invented = structuredClone(good);
  invented.lines[good.lines.indexOf(cited)]!.text += ' Listeners grew 97% this year.';
  model.enqueue({ kind: 'text', text: JSON.stringify(invented) });
  await page.getByTestId('draft-button').click();
  const third = await waitDraft(page, 3, 'done');
  const flagged = third.result!.grounding!.flatMap((g) => g.issues.map((i) => i.claim));
  expect(flagged).toContain('97%');
  await expect(editor).toContainText('Listeners grew 97% this year.');
  // A warning squiggle under the claim, and its message on hover.
  const squiggles = editor.locator('.squiggly-warning');
  await expect(squiggles.first()).toBeAttached();
  // Squiggles sit in an overlay layer, not in the line: try the ones nearest the claim's row first.
  const row = editor.locator('.view-line').filter({ hasText: 'Listeners grew 97% this year.' }).first();
  await row.scrollIntoViewIfNeeded();
  const rowY = (await row.boundingBox())!.y;
  const boxes = [];
  for (let i = 0; i < (await squiggles.count()); i++) {
    const box = await squiggles.nth(i).boundingBox();
    if (box) boxes.push(box);
  }
  boxes.sort((a, b) => Math.abs(a.y - rowY) - Math.abs(b.y - rowY));
  let shown = false;
  for (const box of boxes.slice(0, 4)) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    shown = await page
      .locator('.monaco-hover')
      .filter({ hasText: /97%.*article|article.*97%/ })
      .first()
      .waitFor({ state: 'visible', timeout: 8_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) break;
    await page.mouse.move(0, 0);
  }
  expect(shown).toBe(true);

  await expectKeyNowhere(page);
  // The remembered choice has no key in it.
  const remembered = await page.evaluate(() => localStorage.getItem('goosepod.drafter') ?? '');
  expect(remembered).toContain('custom');
  expect(remembered).not.toContain(FAKE_KEY);
});
