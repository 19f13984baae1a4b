import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/contract';
import { nodeWorkerFactory } from '../node-workers';
import { CURATED_VOICES, EspeakEngine, type SynthesizedAudio } from './espeak-engine';

const factory = nodeWorkerFactory(new URL('./espeak-worker.ts', import.meta.url));
const engines: EspeakEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** An engine whose started workers the test can see (and kill). */
function engine(size = 2): { engine: EspeakEngine; workers: Worker[] } {
  const workers: Worker[] = [];
  const e = new EspeakEngine({
    size,
    createWorker: () => {
      const w = factory();
      workers.push(w);
      return w;
    },
  });
  engines.push(e);
  return { engine: e, workers };
}

/** One warm pool for the tests that do not count or kill workers. */
let shared: EspeakEngine;
beforeAll(() => {
  shared = new EspeakEngine({ createWorker: factory, size: 2 });
});
afterAll(() => shared.close());

const SENTENCE = 'The central bank raised interest rates again this morning, surprising most analysts.';
const LONG = Array.from(
  { length: 100 },
  (_, i) => `Paragraph ${i} covers markets, chips and policy in some detail.`,
).join(' ');

function rms(s: Float32Array): number {
  let sum = 0;
  for (const x of s) sum += x * x;
  return Math.sqrt(sum / Math.max(1, s.length));
}

async function rejection(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

describe('EspeakEngine', () => {
  it('voices a sentence as trimmed audio of plausible length', async () => {
    const e = shared;
    const a = await e.synthesize({ text: SENTENCE, voice: 'en-us+m3', rate: 170, pitch: 50 });
    expect(a.sampleRate).toBe(22050);
    const sec = a.samples.length / a.sampleRate;
    expect(sec).toBeGreaterThan(1);
    expect(sec).toBeLessThan(6);
    expect(rms(a.samples)).toBeGreaterThan(0.02);
    // trimmed: 30 ms of margin, so the first and last 10 ms are near silence but speech follows
    const edge = Math.round(0.01 * a.sampleRate);
    expect(Math.max(...a.samples.subarray(0, edge).map(Math.abs))).toBeLessThan(0.01);
    expect(Math.max(...a.samples.subarray(0, Math.round(0.06 * a.sampleRate)).map(Math.abs))).toBeGreaterThan(
      0.003,
    );
  });

  it('speaks slower at a lower rate', async () => {
    const e = shared;
    const fast = await e.synthesize({ text: SENTENCE, voice: 'en-us', rate: 250, pitch: 50 });
    const slow = await e.synthesize({ text: SENTENCE, voice: 'en-us', rate: 120, pitch: 50 });
    expect(slow.samples.length).toBeGreaterThan(fast.samples.length * 1.5);
  });

  it('gives different audio for different voices', async () => {
    const e = shared;
    const [m, f] = await Promise.all([
      e.synthesize({ text: SENTENCE, voice: 'en-us+m3', rate: 170, pitch: 50 }),
      e.synthesize({ text: SENTENCE, voice: 'en-us+f3', rate: 170, pitch: 50 }),
    ]);
    const n = Math.min(m.samples.length, f.samples.length);
    let diff = 0;
    for (let i = 0; i < n; i++) diff += Math.abs(m.samples[i] - f.samples[i]);
    expect(diff / n).toBeGreaterThan(0.01);
  });

  it('lists curated voices that all exist and sound distinct, then the language voices', async () => {
    const e = shared;
    const voices = await e.listVoices();
    expect(voices.slice(0, CURATED_VOICES.length)).toEqual(CURATED_VOICES);
    expect(voices.length).toBeGreaterThan(100);
    const ids = voices.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('en-us');
    expect(ids).toContain('fr');
    expect(ids).toContain('en-gb-x-rp');
    for (const v of voices) expect(v.id).toMatch(/^[a-zA-Z0-9_/-]+(\+[a-zA-Z0-9_-]+)?$/);
    const clips = await Promise.all(
      CURATED_VOICES.map((v) =>
        e.synthesize({ text: 'Good morning, this is the news.', voice: v.id, rate: 170, pitch: 50 }),
      ),
    );
    const fingerprints = clips.map((c) => `${c.samples.length}:${rms(c.samples).toFixed(5)}`);
    expect(new Set(fingerprints).size).toBe(CURATED_VOICES.length);
  });

  it('rejects unknown voices and variants with an engine error and keeps working', async () => {
    const { engine: e, workers } = engine(1);
    expect(
      (await rejection(e.synthesize({ text: 'hi', voice: 'xx-nowhere', rate: 170, pitch: 50 }))).code,
    ).toBe('engine');
    const bad = await rejection(
      e.synthesize({ text: 'hi', voice: 'en-us+nosuchvariant', rate: 170, pitch: 50 }),
    );
    expect(bad.message).toMatch(/nosuchvariant/);
    const ok = await e.synthesize({ text: 'hi', voice: 'en-gb', rate: 170, pitch: 50 });
    expect(ok.samples.length).toBeGreaterThan(0);
    expect(workers.length).toBe(1);
  });

  it('reads markup characters as text instead of SSML', async () => {
    const e = shared;
    // As SSML this would pause for 8 s; as text it is a few words.
    const a = await e.synthesize({
      text: 'Wait <break time="8s"/> here & now',
      voice: 'en-us',
      rate: 170,
      pitch: 50,
    });
    expect(a.samples.length / a.sampleRate).toBeLessThan(6);
    // As SSML "<b>" would vanish; as text it is spoken, so the line gets longer.
    const plain = await e.synthesize({ text: 'Tom and bold', voice: 'en-us', rate: 170, pitch: 50 });
    const tags = await e.synthesize({
      text: 'Tom <b> and </b> bold <i',
      voice: 'en-us',
      rate: 170,
      pitch: 50,
    });
    expect(tags.samples.length).toBeGreaterThan(plain.samples.length);
  });

  it('gives empty audio for blank text', async () => {
    const e = shared;
    const a = await e.synthesize({ text: '   ', voice: 'en-us', rate: 170, pitch: 50 });
    expect(a.samples.length).toBe(0);
  });

  it('completes many concurrent requests on two workers', async () => {
    const { engine: e, workers } = engine(2);
    const texts = Array.from({ length: 8 }, (_, i) => `Line number ${i + 1} of the concurrent test.`);
    const out = await Promise.all(
      texts.map((text, i) =>
        e.synthesize({ text, voice: i % 2 ? 'en-us+f3' : 'en-us+m3', rate: 170, pitch: 50 }),
      ),
    );
    expect(out.every((a: SynthesizedAudio) => a.samples.length > a.sampleRate * 0.5)).toBe(true);
    expect(workers.length).toBe(2);
  });

  it('aborting a queued request drops it without running it', async () => {
    const { engine: e } = engine(1);
    const first = e.synthesize({ text: SENTENCE, voice: 'en-us', rate: 170, pitch: 50 });
    const ac = new AbortController();
    const queued = e.synthesize({ text: SENTENCE, voice: 'en-us', rate: 170, pitch: 50 }, ac.signal);
    ac.abort();
    expect((await rejection(queued)).code).toBe('canceled');
    expect((await first).samples.length).toBeGreaterThan(0);
    expect(
      (
        await rejection(
          e.synthesize({ text: 'x', voice: 'en-us', rate: 170, pitch: 50 }, AbortSignal.abort()),
        )
      ).code,
    ).toBe('canceled');
  });

  it('aborting a running request rejects at once and frees the worker quickly', async () => {
    const { engine: e, workers } = engine(1);
    await e.synthesize({ text: 'warm up', voice: 'en-us', rate: 170, pitch: 50 });
    let t = performance.now();
    await e.synthesize({ text: LONG, voice: 'en-us', rate: 170, pitch: 50 });
    const fullMs = performance.now() - t;
    const ac = new AbortController();
    t = performance.now();
    const running = e.synthesize({ text: LONG, voice: 'en-us', rate: 170, pitch: 50 }, ac.signal);
    const next = e.synthesize({ text: 'next', voice: 'en-us', rate: 170, pitch: 50 });
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(running)).code).toBe('canceled');
    expect(performance.now() - t).toBeLessThan(fullMs);
    await next;
    // espeak stopped mid-text: the queued line finished well before the long one could have
    expect(performance.now() - t).toBeLessThan(50 + fullMs / 2);
    expect(workers.length).toBe(1);
  });

  it('recovers when a worker dies, idle or mid-synthesis', async () => {
    const { engine: e, workers } = engine(1);
    await e.synthesize({ text: 'one', voice: 'en-us', rate: 170, pitch: 50 });
    await workers[0].terminate();
    const after = await e.synthesize({ text: 'two', voice: 'en-us', rate: 170, pitch: 50 });
    expect(after.samples.length).toBeGreaterThan(0);
    expect(workers.length).toBe(2);

    const running = e.synthesize({ text: LONG, voice: 'en-us', rate: 170, pitch: 50 });
    const queued = e.synthesize({ text: 'three', voice: 'en-us', rate: 170, pitch: 50 });
    await new Promise((r) => setTimeout(r, 100));
    await workers[1].terminate();
    const err = await rejection(running);
    expect(err.code).toBe('engine');
    expect(err.message).toMatch(/crashed/);
    expect((await queued).samples.length).toBeGreaterThan(0);
    expect(workers.length).toBe(3);
  });

  it('reports a worker that cannot start as an engine error', async () => {
    const broken = new EspeakEngine({
      createWorker: nodeWorkerFactory(new URL('./no-such-worker.ts', import.meta.url)),
    });
    engines.push(broken);
    expect(
      (await rejection(broken.synthesize({ text: 'hi', voice: 'en-us', rate: 170, pitch: 50 }))).code,
    ).toBe('engine');
  });

  it('rejects everything after close', async () => {
    const { engine: e } = engine(1);
    const pending = e.synthesize({ text: LONG, voice: 'en-us', rate: 170, pitch: 50 });
    const pendingError = rejection(pending);
    await new Promise((r) => setTimeout(r, 20));
    await e.close();
    expect((await pendingError).code).toBe('canceled');
    expect((await rejection(e.synthesize({ text: 'hi', voice: 'en-us', rate: 170, pitch: 50 }))).code).toBe(
      'canceled',
    );
  });
});
