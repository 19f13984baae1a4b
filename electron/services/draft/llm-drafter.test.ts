// LlmDrafter against the project's OpenAI-compatible test server, through the real `openai`
// client: streaming, cancel, stalls, retries, auth and model errors, JSON repair, speakers, budget.
import { describe, expect, it } from 'vitest';
import type { ScriptLine } from '../../../shared/model/episode';
import { speechLines } from '../../../shared/model/episode';
import {
  article,
  context,
  failure,
  personas,
  server,
  show,
  slow,
  TEST_API_KEY,
  testProvider,
  useLlmTestServers,
} from '../test-support/llm-drafter-setup';
import { LlmDrafter, retryAfterMs, type LlmDraftInput } from './llm-drafter';

useLlmTestServers({ chunkChars: 16, chunkDelayMs: 15 });

function input(
  over: Partial<LlmDraftInput['provider']> = {},
  extra: Partial<LlmDraftInput> = {},
): LlmDraftInput {
  return {
    article,
    show,
    personas,
    targetMinutes: 2,
    provider: testProvider(over),
    ...extra,
  };
}

const drafter = new LlmDrafter({ idleTimeoutMs: 2_000, retryBaseMs: 10 });

describe('LlmDrafter with a good model', () => {
  it('streams lines as they arrive and returns a validated draft, usage and grounding', async () => {
    const snapshots: ScriptLine[][] = [];
    const out = await drafter.draft(context(), input(), (lines) => snapshots.push(lines));

    // Lines arrived one by one, well before the reply ended.
    expect(snapshots.length).toBeGreaterThan(3);
    expect(snapshots[0].filter((l) => l.kind === 'speech')).toHaveLength(1);
    const speech = speechLines(out.draft.lines);
    expect(speechLines(snapshots[snapshots.length - 1])).toHaveLength(speech.length);

    expect(speech[0].speaker).toBe('Maya');
    expect(speech[0].text).toContain('Good morning norristong');
    expect(speech[0].text).toContain('Saturday, November 15th');
    expect(new Set(speech.map((l) => l.speaker))).toEqual(new Set(['Maya', 'Theo']));
    expect(out.draft.lines[0]).toMatchObject({ kind: 'heading', id: 'l1', text: 'Introduction' });
    expect(out.draft.analysis.coreEvent.length).toBeGreaterThan(20);
    expect(out.grounding).toEqual([]);
    expect(Object.keys(out.sources).length).toBeGreaterThan(2);

    // The request: streamed, usage asked for, strict JSON schema, the key, the article.
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(req.body?.stream).toBe(true);
    expect(req.body?.stream_options).toEqual({ include_usage: true });
    expect(req.body?.response_format?.type).toBe('json_schema');
    const prompt = req.body?.messages?.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain('norristong');
    expect(prompt).toContain('Saturday, November 15th');
    expect(prompt).toContain(personas[1].role);
    expect(prompt).toContain(article.text.slice(0, 200));

    // Usage is what the server reported in its last chunk, priced per million tokens.
    const promptChars = req.body?.messages?.map((m) => m.content).join('\n').length ?? 0;
    expect(out.usage.inputTokens).toBe(Math.ceil(promptChars / 4));
    expect(out.usage.estimated).toBe(false);
    expect(out.usage.costUsd).toBeCloseTo(
      (out.usage.inputTokens * 0.5 + out.usage.outputTokens * 1.5) / 1e6,
      10,
    );
  });

  it('asks for json_object when the provider has no JSON schema support, and falls back on a 400', async () => {
    await drafter.draft(context(), input({ supportsJsonSchema: false }), () => undefined);
    expect(server.requests[0].body?.response_format).toEqual({ type: 'json_object' });
    server.requests.length = 0;
    server.enqueue({ kind: 'reject-json-schema' });
    await drafter.draft(context(), input(), () => undefined);
    expect(server.requests.map((r) => r.body?.response_format?.type)).toEqual(['json_schema', 'json_object']);
  });

  it('flags numbers the article does not support', async () => {
    const good = {
      title: 'Libraries',
      category: 'Culture',
      lines: [
        {
          speaker: 'Maya',
          text: 'Good morning norristong, I am Maya. Today is Saturday, November 15th.',
          sources: [],
          chapter: '',
        },
        {
          speaker: 'Theo',
          text: 'And I am Theo. Apparently 97% of readers agree.',
          sources: [],
          chapter: '',
        },
      ],
      summary: 's',
      analysis: { conflict: '', relatedInfo: '', coreEvent: '', background: '', impact: '', future: '' },
    };
    server.enqueue({ kind: 'text', text: JSON.stringify(good) });
    const out = await drafter.draft(context(), input(), () => undefined);
    expect(out.grounding).toHaveLength(1);
    expect(out.grounding[0].lineId).toBe('l2');
    expect(out.grounding[0].issues[0]).toMatchObject({ kind: 'percent', claim: '97%' });
  });
});

describe('LlmDrafter when things go wrong', () => {
  it('keeps the lines that arrived when the draft is canceled mid-way', async () => {
    const ctx = context();
    const seen: ScriptLine[][] = [];
    const run = drafter.draft(ctx, input({ baseURL: slow.baseURL, apiKey: undefined }), (lines) => {
      seen.push(lines);
      if (speechLines(lines).length === 2) ctx.controller.abort();
    });
    const err = await failure(run);
    expect(err.code).toBe('canceled');
    expect(speechLines(err.partialLines)).toHaveLength(2);
    expect(err.partialLines).toEqual(seen[seen.length - 1]);
    expect(slow.requests).toHaveLength(1);
  });

  it('stops a stream that stalls mid-way, says so, and keeps what arrived', async () => {
    server.enqueue({ kind: 'stall', afterChunks: 40 });
    const quick = new LlmDrafter({ idleTimeoutMs: 300, retryBaseMs: 10 });
    const seen: ScriptLine[][] = [];
    const t0 = Date.now();
    const err = await failure(quick.draft(context(), input(), (l) => seen.push(l)));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/stopped sending mid-way: nothing arrived for 0\.3 seconds after \d+ lines/);
    expect(err.message).toMatch(/lines? are kept/);
    expect(speechLines(err.partialLines).length).toBeGreaterThan(0);
    expect(err.partialLines).toEqual(seen[seen.length - 1]);
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(err.usage?.estimated ?? true).toBe(true);
  });

  it('retries a request that never answers, then succeeds', async () => {
    server.enqueue({ kind: 'hang' });
    const quick = new LlmDrafter({ idleTimeoutMs: 300, retryBaseMs: 10 });
    const ctx = context();
    const out = await quick.draft(ctx, input(), () => undefined);
    expect(speechLines(out.draft.lines).length).toBeGreaterThan(3);
    expect(server.requests).toHaveLength(2);
    expect(ctx.messages.some((m) => /did not answer in time\. Retrying/.test(m))).toBe(true);
  });

  it('retries a dropped connection', async () => {
    server.enqueue({ kind: 'close', afterChunks: 10 });
    const out = await drafter.draft(context(), input(), () => undefined);
    expect(speechLines(out.draft.lines).length).toBeGreaterThan(3);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '0.3' });
    const patient = new LlmDrafter({ idleTimeoutMs: 2_000, retryBaseMs: 30_000 });
    const t0 = Date.now();
    await patient.draft(context(), input(), () => undefined);
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1].at - server.requests[0].at;
    expect(gap).toBeGreaterThanOrEqual(280);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('gives up after two retries of 429 and 5xx, in producer words', async () => {
    server.enqueue(
      ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: '0' })),
    );
    const limited = await failure(drafter.draft(context(), input(), () => undefined));
    expect(limited.code).toBe('rate-limited');
    expect(limited.message).toMatch(/rate-limiting requests \(HTTP 429\) \(tried 3 times\)/);
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500 })));
    const broken = await failure(drafter.draft(context(), input(), () => undefined));
    expect(broken.code).toBe('provider');
    expect(broken.message).toMatch(/server error \(HTTP 500\)/);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses a Retry-After longer than it is willing to wait', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '3600' });
    const err = await failure(drafter.draft(context(), input(), () => undefined));
    expect(err.code).toBe('rate-limited');
    expect(err.message).toMatch(/asks to wait 60 minute/);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a wrong key (401) and an unknown model (404) without retrying', async () => {
    const auth = await failure(
      drafter.draft(context(), input({ apiKey: 'sk-wrong-key-000000' }), () => undefined),
    );
    expect(auth.code).toBe('auth');
    expect(auth.message).toMatch(/refused the API key \(HTTP 401\)/);
    expect(auth.message).not.toContain('sk-wrong');
    const model = await failure(drafter.draft(context(), input({ model: 'gpt-nope' }), () => undefined));
    expect(model.code).toBe('not-found');
    expect(model.message).toContain('“gpt-nope”');
    expect(server.requests).toHaveLength(2);
  });

  it('repairs truncated JSON with one extra request', async () => {
    server.enqueue({ kind: 'truncated' });
    const ctx = context();
    const out = await drafter.draft(ctx, input(), () => undefined);
    expect(speechLines(out.draft.lines).length).toBeGreaterThan(3);
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1].body?.messages ?? [];
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[3].content).toMatch(/cut off/);
    expect(out.usage.inputTokens).toBeGreaterThan(2 * Math.ceil(repair[1].content.length / 4));
  });

  it('accepts fenced JSON with trailing commas without a repair, and fails after one failed repair', async () => {
    server.enqueue({ kind: 'fenced' });
    await drafter.draft(context(), input(), () => undefined);
    expect(server.requests).toHaveLength(1);
    server.requests.length = 0;
    server.enqueue({ kind: 'malformed' }, { kind: 'malformed' });
    const err = await failure(drafter.draft(context(), input(), () => undefined));
    expect(err.code).toBe('provider');
    expect(err.message).toMatch(/did not return a usable script, even after being asked to fix/);
    expect(server.requests).toHaveLength(2);
  });

  it('asks once more with the host list when the model invents speakers', async () => {
    server.enqueue({ kind: 'unknown-speakers', names: ['Narrator', 'Guest'] });
    const out = await drafter.draft(context(), input(), () => undefined);
    expect(new Set(speechLines(out.draft.lines).map((l) => l.speaker))).toEqual(new Set(['Maya', 'Theo']));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body?.messages?.[3].content).toMatch(/"Narrator", "Guest".*"Maya", "Theo"/);
    server.requests.length = 0;
    server.enqueue({ kind: 'unknown-speakers' }, { kind: 'unknown-speakers' });
    const err = await failure(drafter.draft(context(), input(), () => undefined));
    expect(err.message).toMatch(/not hosts of the show \(Narrator, Guest\)/);
  });

  it('refuses to start a draft whose estimate is over the budget', async () => {
    const estimate = drafter.estimate(input());
    const err = await failure(
      drafter.draft(context(), input({}, { budgetUsd: estimate.costUsd / 2 }), () => undefined),
    );
    expect(err.code).toBe('over-budget');
    expect(err.message).toMatch(/more than the episode's budget/);
    expect(server.requests).toHaveLength(0);
    await drafter.draft(context(), input({}, { budgetUsd: estimate.costUsd * 1.01 }), () => undefined);
    expect(server.requests).toHaveLength(1);
  });
});

describe('estimates', () => {
  it('counts a quarter token per character, CJK characters as one each, priced per million', () => {
    const e = drafter.estimate(input({ inputPricePerM: 2, outputPricePerM: 10 }));
    expect(e.inputTokens).toBeGreaterThan(article.text.length / 4);
    expect(e.inputTokens).toBeLessThan(article.text.length / 4 + 1_500);
    expect(e.costUsd).toBeCloseTo((e.inputTokens * 2 + e.outputTokens * 10) / 1e6, 12);
    const longer = drafter.estimate({ ...input(), targetMinutes: 10 });
    expect(longer.outputTokens).toBeGreaterThan(e.outputTokens * 3);
    const zh = drafter.estimate({
      ...input(),
      article: { title: '新闻', text: '这是一个新闻故事。'.repeat(200) },
    });
    expect(zh.inputTokens).toBeGreaterThan(1_800);
  });

  it('condenses a 100k-word article for the model instead of refusing it', async () => {
    const huge = {
      title: 'Long',
      text: Array.from(
        { length: 4000 },
        (_, i) =>
          `Paragraph ${i} has twenty five words about the harbour board and the budget and the tides and the birds that came back in 2025.`,
      ).join('\n\n'),
    };
    const e = drafter.estimate({ ...input(), article: huge });
    expect(e.inputTokens).toBeLessThan(20_000);
    const out = await drafter.draft(context(), { ...input(), article: huge }, () => undefined);
    expect(out.condensed).toBe(true);
    expect(server.requests[0].body?.messages?.[1].content).toContain('[…]');
  });

  it('reads Retry-After as seconds, milliseconds or a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
