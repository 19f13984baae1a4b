// The OpenAI (through the real openai client), OpenAI-compatible and ElevenLabs engines against
// the speech test server: request shapes, decoding, and every failure mapped to a typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoiceSettings } from '../../../shared/model/episode';
import { startSpeechServer, toneFrequency, type SpeechServer } from '../test-servers/speech-server';
import { ElevenLabsEngine } from './elevenlabs-engine';
import { OpenAiSpeechEngine } from './openai-speech-engine';
import type { Pcm, VoiceEngineError } from './voice-engine';

const OPENAI_KEY = 'sk-proj-secret-0123456789abcdef';
const XI_KEY = 'xi-secret-fedcba9876543210';
let server: SpeechServer;
const keys: Record<string, string> = {};

beforeAll(async () => {
  server = await startSpeechServer({ openaiKey: OPENAI_KEY, elevenLabsKey: XI_KEY, secPerChar: 0.04 });
  keys.openai = OPENAI_KEY;
  keys.elevenlabs = XI_KEY;
});
afterAll(() => server.close());

const openai = (over: Partial<ConstructorParameters<typeof OpenAiSpeechEngine>[0]> = {}) =>
  new OpenAiSpeechEngine({ id: 'openai', baseURL: server.baseURL, getApiKey: (id) => keys[id], ...over });
const eleven = (over: Partial<ConstructorParameters<typeof ElevenLabsEngine>[0]> = {}) =>
  new ElevenLabsEngine({ baseURL: server.origin, getApiKey: (id) => keys[id], ...over });

function settings(over: Partial<VoiceSettings>): VoiceSettings {
  return { engine: 'openai', voice: 'coral', rate: 175, pitch: 50, ...over };
}

/** Dominant frequency by upward zero crossings over the loud part. */
function frequency(pcm: Pcm): number {
  const x = pcm.samples;
  let a = 0;
  while (a < x.length && Math.abs(x[a]) < 0.1) a++;
  let b = x.length - 1;
  while (b > a && Math.abs(x[b]) < 0.1) b--;
  let crossings = 0;
  let first = -1;
  let last = -1;
  for (let i = a + 1; i <= b; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      crossings++;
      if (first < 0) first = i;
      last = i;
    }
  }
  return ((crossings - 1) * pcm.sampleRate) / (last - first);
}

async function failure(p: Promise<unknown>): Promise<VoiceEngineError> {
  try {
    await p;
  } catch (err) {
    return err as VoiceEngineError;
  }
  throw new Error('expected a failure');
}

describe('OpenAiSpeechEngine (real openai client)', () => {
  it('voices text as 24 kHz WAV with the persona’s style as instructions for gpt-4o-mini-tts', async () => {
    const engine = openai();
    const text = 'Markets rallied on Friday.';
    const pcm = await engine.synthesize({
      text,
      voice: 'coral',
      rate: 175,
      pitch: 50,
      settings: settings({}),
      instructions: 'You are Maya. Speak warmly.',
    });
    expect(pcm.sampleRate).toBe(24000);
    expect(pcm.samples.length / 24000).toBeCloseTo(text.length * 0.04 + 0.5, 2);
    expect(frequency(pcm)).toBeCloseTo(toneFrequency('coral'), 0);
    const req = server.synthesisRequests().at(-1)!;
    expect(req.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(req.body).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: text,
      response_format: 'wav',
      instructions: 'You are Maya. Speak warmly.',
    });
    expect(engine.pricePerChar(settings({}))).toBeGreaterThan(0);
    expect(engine.pricePerChar(settings({ model: 'tts-1-hd' }))).toBe(
      2 * engine.pricePerChar(settings({ model: 'tts-1' })),
    );
  });

  it('sends speed (from the rate) and no instructions to tts-1', async () => {
    await openai().synthesize({
      text: 'Hi.',
      voice: 'onyx',
      rate: 140,
      pitch: 50,
      settings: settings({ model: 'tts-1', voice: 'onyx', rate: 140 }),
      instructions: 'ignored',
    });
    const body = server.synthesisRequests().at(-1)!.body!;
    expect(body.model).toBe('tts-1');
    expect(body.speed).toBe(0.8);
    expect(body).not.toHaveProperty('instructions');
  });

  it('maps failures to typed errors: auth, rate limit with Retry-After, 5xx, garbage, stall, dropped socket', async () => {
    const engine = openai({ timeoutMs: 400, timeoutPerCharMs: 0 });
    const req = { text: 'Hello.', voice: 'coral', rate: 175, pitch: 50, settings: settings({}) };
    server.enqueue(
      { kind: 'status', status: 401 },
      { kind: 'status', status: 429, retryAfter: '3' },
      { kind: 'status', status: 503 },
      { kind: 'garbage' },
      { kind: 'stall' },
      { kind: 'close' },
    );
    const auth = await failure(engine.synthesize(req));
    expect([auth.code, auth.retryable]).toEqual(['auth', false]);
    const limited = await failure(engine.synthesize(req));
    expect([limited.code, limited.retryable, limited.retryAfterMs]).toEqual(['rate-limited', true, 3000]);
    const down = await failure(engine.synthesize(req));
    expect([down.code, down.retryable]).toEqual(['provider', true]);
    const garbage = await failure(engine.synthesize(req));
    expect([garbage.code, garbage.retryable]).toEqual(['provider', false]);
    expect(garbage.message).toMatch(/cannot read/);
    const stalled = await failure(engine.synthesize(req));
    expect([stalled.code, stalled.retryable]).toEqual(['timeout', true]);
    const dropped = await failure(engine.synthesize(req));
    expect(dropped.retryable).toBe(true);
    for (const e of [auth, limited, down, garbage, stalled, dropped])
      expect(e.message).not.toContain(OPENAI_KEY);
  });

  it('refuses without a stored key before any request, and cancels with the signal', async () => {
    const before = server.synthesisRequests().length;
    const noKey = await failure(
      openai({ getApiKey: () => undefined }).synthesize({ text: 'a', voice: 'coral', rate: 175, pitch: 50 }),
    );
    expect(noKey.code).toBe('auth');
    expect(server.synthesisRequests().length).toBe(before);
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const p = openai().synthesize({ text: 'a', voice: 'coral', rate: 175, pitch: 50 }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect((await failure(p)).code).toBe('canceled');
  });

  it('lists OpenAI’s voices', async () => {
    expect((await openai().listVoices()).map((v) => v.id)).toEqual(
      expect.arrayContaining(['alloy', 'coral', 'marin']),
    );
  });
});

describe('OpenAI-compatible engine (Kokoro, openedai-speech)', () => {
  const compat = new OpenAiSpeechEngine({ id: 'openai-compatible', getApiKey: () => undefined });
  const local = (over: Partial<VoiceSettings> = {}) =>
    settings({
      engine: 'openai-compatible',
      baseURL: server.baseURL,
      model: 'kokoro',
      voice: 'af_bella',
      ...over,
    });

  it('speaks to the base URL in the persona’s settings, free of charge', async () => {
    const s = new OpenAiSpeechEngine({ id: 'openai-compatible', getApiKey: () => undefined });
    const open = await startSpeechServer(); // no key required, like a local server
    try {
      const pcm = await s.synthesize({
        text: 'Local voice.',
        voice: 'af_bella',
        rate: 175,
        pitch: 50,
        settings: local({ baseURL: open.baseURL }),
      });
      expect(pcm.sampleRate).toBe(24000);
      expect(open.synthesisRequests()[0].body).toMatchObject({ model: 'kokoro', voice: 'af_bella' });
      expect(s.pricePerChar(local())).toBe(0);
      expect((await s.listVoices(local({ baseURL: open.baseURL }))).map((v) => v.id)).toContain('af_bella');
    } finally {
      await open.close();
    }
  });

  it('asks for a base URL when the persona has none', async () => {
    const err = await failure(
      compat.synthesize({
        text: 'a',
        voice: 'x',
        rate: 175,
        pitch: 50,
        settings: local({ baseURL: undefined }),
      }),
    );
    expect(err.code).toBe('bad-request');
  });
});

describe('ElevenLabsEngine', () => {
  const el = (over: Partial<VoiceSettings> = {}): VoiceSettings => ({
    engine: 'elevenlabs',
    voice: 'voice-rachel',
    rate: 175,
    pitch: 50,
    ...over,
  });

  it('posts text, model and voice settings and decodes 22050 Hz PCM', async () => {
    const text = 'The committee met on Tuesday.';
    const pcm = await eleven().synthesize({
      text,
      voice: 'voice-rachel',
      rate: 175,
      pitch: 50,
      settings: el({ model: 'eleven_flash_v2_5', stability: 0.3, similarityBoost: 0.9, style: 0.2 }),
    });
    expect(pcm.sampleRate).toBe(22050);
    expect(pcm.samples.length / 22050).toBeCloseTo(text.length * 0.04 + 0.5, 2);
    expect(frequency(pcm)).toBeCloseTo(toneFrequency('voice-rachel'), 0);
    const req = server.synthesisRequests().at(-1)!;
    expect(req.path).toBe('/v1/text-to-speech/voice-rachel');
    expect(req.query.output_format).toBe('pcm_22050');
    expect(req.headers['xi-api-key']).toBe(XI_KEY);
    expect(req.body).toEqual({
      text,
      model_id: 'eleven_flash_v2_5',
      voice_settings: { stability: 0.3, similarity_boost: 0.9, style: 0.2 },
    });
  });

  it('lists the account’s voices and maps failures', async () => {
    expect((await eleven().listVoices()).map((v) => v.id)).toEqual(['voice-rachel', 'voice-adam']);
    const engine = eleven({ timeoutMs: 300, timeoutPerCharMs: 0 });
    const req = { text: 'Hello.', voice: 'voice-adam', rate: 175, pitch: 50, settings: el() };
    server.enqueue(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'garbage' },
      { kind: 'status', status: 500 },
      { kind: 'stall' },
    );
    const limited = await failure(engine.synthesize(req));
    expect([limited.code, limited.retryAfterMs]).toEqual(['rate-limited', 1000]);
    expect((await failure(engine.synthesize(req))).code).toBe('provider');
    expect((await failure(engine.synthesize(req))).retryable).toBe(true);
    expect((await failure(engine.synthesize(req))).code).toBe('timeout');
    const unknown = await failure(engine.synthesize({ ...req, voice: 'nobody' }));
    expect([unknown.code, unknown.retryable]).toEqual(['provider', false]);
    expect(unknown.message).toContain('was not found');
    const badKey = await failure(eleven({ getApiKey: () => 'wrong' }).synthesize(req));
    expect(badKey.code).toBe('auth');
  });
});
