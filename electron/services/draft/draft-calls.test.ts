// The drafting calls through the composed back end and the contract's validation (dispatchCall,
// as every transport uses it), against the project's OpenAI-compatible test server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload, JobUpdate, LlmChoice } from '../../../shared/contract';
import { speechLines } from '../../../shared/model/episode';
import { dispatchCall, type Envelope } from '../dispatch';
import { RESOURCES_DIR } from '../node-host';
import { nodeWorkerFactory } from '../node-workers';
import { createStudio, type Studio } from '../studio';
import {
  startOpenAiCompatibleServer,
  type OpenAiCompatibleServer,
} from '../test-servers/openai-compatible-server';
import { EspeakEngine } from '../voice/espeak-engine';
import { FileSecretStore, MemorySecretStore } from './secret-store';

const KEY = 'sk-live-secret-key-9f8e7d6c5b4a';
let server: OpenAiCompatibleServer;
let studio: Studio;
let settingsData: Record<string, unknown>;
const events: { name: EventName; payload: unknown }[] = [];

async function call(name: string, payload: unknown): Promise<Envelope> {
  return dispatchCall(studio.backend, name, payload);
}
function value<T>(e: Envelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value as T;
}

beforeAll(async () => {
  server = await startOpenAiCompatibleServer({
    apiKey: KEY,
    models: ['deepseek-chat', 'other'],
    chunkChars: 24,
    chunkDelayMs: 3,
  });
  settingsData = {};
  studio = await createStudio({
    transport: 'web',
    version: 'test',
    projectsRoot: await mkdtemp(join(tmpdir(), 'gp-draft-calls-')),
    resourcesDir: RESOURCES_DIR,
    store: { get: (k) => settingsData[k], set: (k, v) => void (settingsData[k] = v) },
    engine: new EspeakEngine({
      createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
      size: 1,
    }),
    createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    secrets: new MemorySecretStore(),
    llm: { idleTimeoutMs: 2_000, retryBaseMs: 10 },
  });
  studio.onEvent(<N extends EventName>(name: N, payload: EventPayload<N>) => events.push({ name, payload }));
});
afterAll(async () => {
  await studio.close();
  await server.close();
});

async function brief() {
  const settings = value<{ personas: unknown[]; show: Record<string, string> }>(
    await call('settingsGet', {}),
  );
  const article = value<{ title: string; text: string }>(await call('articleSample', {}));
  return {
    article,
    show: { ...settings.show, listenerName: 'norristong', date: '2025-11-15' },
    personas: settings.personas,
    targetMinutes: 2,
  };
}

function llm(over: Partial<LlmChoice> = {}): LlmChoice {
  return {
    providerId: 'deepseek',
    baseURL: server.baseURL,
    model: 'deepseek-chat',
    inputPricePerM: 0.28,
    outputPricePerM: 0.42,
    ...over,
  };
}

describe('provider presets and API keys', () => {
  it('lists the ten presets, stores a key in the back end and only ever returns it masked', async () => {
    const before = value<{ presets: { id: string; hasKey: boolean }[] }>(await call('providerPresets', {}));
    expect(before.presets.map((p) => p.id)).toEqual([
      'openai',
      'deepseek',
      'qwen',
      'moonshot',
      'zai',
      'minimax',
      'openrouter',
      'ollama',
      'lmstudio',
      'custom',
    ]);
    expect(before.presets.every((p) => !p.hasKey)).toBe(true);

    const saved = value<{ maskedKey: string }>(
      await call('settingsSetApiKey', { providerId: 'deepseek', apiKey: KEY }),
    );
    expect(saved.maskedKey).toBe('sk-…5b4a');
    const after = value<{ presets: { id: string; hasKey: boolean; maskedKey?: string }[] }>(
      await call('providerPresets', {}),
    );
    expect(after.presets.find((p) => p.id === 'deepseek')).toMatchObject({
      hasKey: true,
      maskedKey: 'sk-…5b4a',
    });
    expect(JSON.stringify(after)).not.toContain(KEY);
    expect(JSON.stringify(settingsData)).not.toContain(KEY);
  });

  it('tests a connection with the stored key or a key being tried, in producer words', async () => {
    const ok = value<{ models: string[]; modelAvailable: boolean }>(
      await call('providerTest', { baseURL: server.baseURL, providerId: 'deepseek', model: 'deepseek-chat' }),
    );
    expect(ok).toEqual({ models: ['deepseek-chat', 'other'], modelAvailable: true });
    const wrong = await call('providerTest', { baseURL: server.baseURL, apiKey: 'sk-wrong-000000000000' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'auth' } });
    if (!wrong.ok) expect(wrong.error.message).not.toContain('sk-wrong');
    const badUrl = await call('providerTest', { baseURL: 'file:///etc', providerId: 'deepseek' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('fetches articles by URL in the back end and explains refusals', async () => {
    // The model server wants a key, so to a browser-like fetch it is a page behind a login.
    const refused = await call('articleFromUrl', { url: `${server.baseURL}/models` });
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/HTTP 401.*login or paywall/);
    expect(await call('articleFromUrl', { url: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('never accepts an API key inside a draft request', async () => {
    const sent = await call('draftStart', { ...(await brief()), llm: { ...llm(), apiKey: KEY } });
    expect(sent).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('model drafts through the back end', () => {
  it('estimates cost and budget before drafting', async () => {
    const e = value<{ inputTokens: number; outputTokens: number; costUsd: number; withinBudget: boolean }>(
      await call('draftEstimate', { ...(await brief()), llm: llm({ budgetUsd: 0.0001 }) }),
    );
    expect(e.inputTokens).toBeGreaterThan(500);
    expect(e.costUsd).toBeCloseTo((e.inputTokens * 0.28 + e.outputTokens * 0.42) / 1e6, 10);
    expect(e.withinBudget).toBe(false);
  });

  it('refuses to start over budget or without a stored key, before any request', async () => {
    const requests = server.requests.length;
    const over = await call('draftStart', { ...(await brief()), llm: llm({ budgetUsd: 0.0001 }) });
    expect(over).toMatchObject({ ok: false, error: { code: 'over-budget' } });
    const keyless = await call('draftStart', { ...(await brief()), llm: llm({ providerId: 'openai' }) });
    expect(keyless).toMatchObject({ ok: false, error: { code: 'auth' } });
    if (!keyless.ok) expect(keyless.error.message).toMatch(/No API key is stored for OpenAI/);
    expect(server.requests.length).toBe(requests);
  });

  it('streams draftLines events, then finishes with usage, grounding and sources', async () => {
    events.length = 0;
    const { jobId } = value<{ jobId: string }>(await call('draftStart', { ...(await brief()), llm: llm() }));
    const end = await studio.jobs.wait(jobId);
    expect(end.status).toBe('done');
    if (end.result?.kind !== 'draft') throw new Error('no draft');
    const { draft, usage, grounding, sources, drafter } = end.result;
    expect(drafter).toBe('llm');
    expect(speechLines(draft.lines)[0].text).toContain('Good morning norristong');
    expect(usage?.inputTokens).toBeGreaterThan(500);
    expect(usage?.requests).toBe(1);
    expect(grounding).toEqual([]);
    expect(Object.keys(sources ?? {}).length).toBeGreaterThan(0);

    const streamed = events.filter((e) => e.name === 'draftLines') as {
      payload: EventPayload<'draftLines'>;
    }[];
    expect(streamed.length).toBeGreaterThan(3);
    expect(streamed.every((e) => e.payload.jobId === jobId)).toBe(true);
    expect(streamed[streamed.length - 1].payload.lines).toEqual(draft.lines);
    // Lines came before the job finished.
    const doneAt = events.findIndex(
      (e) => e.name === 'jobUpdate' && (e.payload as JobUpdate).status === 'done',
    );
    expect(events.findIndex((e) => e.name === 'draftLines')).toBeLessThan(doneAt);
    expect(server.requests[server.requests.length - 1].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('cancels a model draft mid-way; the lines that arrived were already sent', async () => {
    events.length = 0;
    const { jobId } = value<{ jobId: string }>(await call('draftStart', { ...(await brief()), llm: llm() }));
    await new Promise<void>((resolve) => {
      const off = studio.onEvent((name) => {
        if (name === 'draftLines') {
          off();
          resolve();
        }
      });
    });
    expect(value<{ canceled: boolean }>(await call('jobCancel', { jobId })).canceled).toBe(true);
    expect((await studio.jobs.wait(jobId)).status).toBe('canceled');
    const streamed = events.filter((e) => e.name === 'draftLines');
    expect(streamed.length).toBeGreaterThan(0);
  });

  it('reports provider failures as a failed job in producer words', async () => {
    server.enqueue({ kind: 'status', status: 404 });
    const { jobId } = value<{ jobId: string }>(await call('draftStart', { ...(await brief()), llm: llm() }));
    const end = await studio.jobs.wait(jobId);
    expect(end.status).toBe('failed');
    expect(end.error?.code).toBe('not-found');
    expect(end.error?.message).toContain('“deepseek-chat”');
  });

  it('still drafts offline without a model, now with grounding', async () => {
    const { jobId } = value<{ jobId: string }>(await call('draftStart', await brief()));
    const end = await studio.jobs.wait(jobId);
    if (end.result?.kind !== 'draft') throw new Error('no draft');
    expect(end.result.drafter).toBe('offline');
    expect(Array.isArray(end.result.grounding)).toBe(true);
  });
});

describe('rewrite a line and redraft from here through the back end', () => {
  async function partialBrief() {
    const b = await brief();
    const offline = value<{ jobId: string }>(await call('draftStart', b));
    const end = await studio.jobs.wait(offline.jobId);
    if (end.result?.kind !== 'draft') throw new Error('no draft');
    const lines = end.result.draft.lines;
    const speech = speechLines(lines);
    return { ...b, lines, speech };
  }

  it('estimates a partial call with the mode, less than a whole draft', async () => {
    const { speech, lines, ...b } = await partialBrief();
    const whole = value<{ costUsd: number }>(await call('draftEstimate', { ...b, llm: llm() }));
    const rewrite = value<{ costUsd: number; outputTokens: number; withinBudget: boolean }>(
      await call('draftEstimate', {
        ...b,
        llm: llm({ budgetUsd: 1 }),
        partial: { mode: 'rewrite-line', lines, lineId: speech[3].id, instruction: 'shorter' },
      }),
    );
    expect(rewrite.costUsd).toBeGreaterThan(0);
    expect(rewrite.costUsd).toBeLessThan(whole.costUsd);
    expect(rewrite.withinBudget).toBe(true);
    const bad = await call('draftEstimate', {
      ...b,
      llm: llm(),
      partial: { mode: 'rewrite-line', lines, lineId: lines[0].id },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('rewrites a line as a draft job whose result keeps the id and speaker', async () => {
    const { speech, ...b } = await partialBrief();
    const line = speech[4];
    const { jobId } = value<{ jobId: string }>(
      await call('draftRewriteLine', { ...b, lineId: line.id, instruction: 'shorter', llm: llm() }),
    );
    const end = await studio.jobs.wait(jobId);
    expect(end.kind).toBe('draft');
    if (end.result?.kind !== 'draft-partial') throw new Error(`no result: ${end.error?.message}`);
    expect(end.result.mode).toBe('rewrite-line');
    expect(end.result.lines).toEqual([
      { kind: 'speech', id: line.id, speaker: line.speaker, text: expect.stringMatching(/^In short: /) },
    ]);
    expect(end.result.fromLineId).toBe(line.id);
    expect(end.result.usage?.requests).toBe(1);
    // A rewrite needs a model and an instruction; refusals come at once, in words.
    const noLlm = await call('draftRewriteLine', { ...b, lineId: line.id, instruction: 'shorter' });
    expect(noLlm).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const noWords = await call('draftRewriteLine', { ...b, lineId: line.id, instruction: '  ', llm: llm() });
    if (noWords.ok) throw new Error('accepted an empty instruction');
    expect(noWords.error.message).toMatch(/say how the line should change/);
    const gone = await call('draftRewriteLine', { ...b, lineId: 'l999', instruction: 'x', llm: llm() });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('redrafts from a line with a model, streaming draftPartialLines of the new lines only', async () => {
    const { speech, ...b } = await partialBrief();
    events.length = 0;
    const from = speech[3];
    const { jobId } = value<{ jobId: string }>(
      await call('draftRedraftFrom', { ...b, lineId: from.id, instruction: 'more sceptical', llm: llm() }),
    );
    const end = await studio.jobs.wait(jobId);
    if (end.result?.kind !== 'draft-partial') throw new Error(`no result: ${end.error?.message}`);
    const streamed = events.filter((e) => e.name === 'draftPartialLines') as {
      payload: EventPayload<'draftPartialLines'>;
    }[];
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed.at(-1)!.payload.lines).toEqual(end.result.lines);
    const keptIds = new Set(b.lines.map((l) => l.id));
    expect(end.result.lines.some((l) => keptIds.has(l.id))).toBe(false);
    expect(end.result.fromLineId).toBe(from.id);
    expect(end.result.untilLineId).toBe(
      b.lines.find((l) => l.kind === 'heading' && l.text === 'Sign-off')!.id,
    );
    expect(events.some((e) => e.name === 'draftLines')).toBe(false);
  });

  it('redrafts from a line offline, and refuses a line that is gone before starting', async () => {
    const { speech, ...b } = await partialBrief();
    const { jobId } = value<{ jobId: string }>(
      await call('draftRedraftFrom', { ...b, lineId: speech[3].id }),
    );
    const end = await studio.jobs.wait(jobId);
    if (end.result?.kind !== 'draft-partial') throw new Error(`no result: ${end.error?.message}`);
    expect(end.result.drafter).toBe('offline');
    expect(end.result.lines.length).toBeGreaterThan(0);
    expect(end.result.grounding).toEqual([]);
    const gone = await call('draftRedraftFrom', { ...b, lineId: 'l999' });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('FileSecretStore', () => {
  it('keeps keys encrypted on disk, survives a restart and forgets removed keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gp-secrets-'));
    const store = new FileSecretStore(dir);
    await store.set('deepseek', KEY);
    await store.set('openai', 'sk-other-key-1234567890');
    const onDisk = await readFile(join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain('sk-other');
    expect((await readdir(dir)).sort()).toEqual(['secrets.json', 'secrets.key']);
    const again = new FileSecretStore(dir);
    expect(await again.get('deepseek')).toBe(KEY);
    await again.set('deepseek', '');
    expect(await new FileSecretStore(dir).get('deepseek')).toBeUndefined();
    expect(await new FileSecretStore(dir).get('openai')).toBe('sk-other-key-1234567890');
    // Without its install key the file is useless.
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'secrets.key'));
    expect(await new FileSecretStore(dir).get('openai')).toBeUndefined();
  });
});
