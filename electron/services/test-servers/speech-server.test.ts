// The speech test server speaks the protocols faithfully: real WAV/PCM bytes, error shapes,
// auth, faults, and a record of every request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { decodeWav } from '../audio/wav';
import { OPENAI_SPEECH_RATE, startSpeechServer, toneFrequency, type SpeechServer } from './speech-server';

let server: SpeechServer;
beforeAll(async () => {
  server = await startSpeechServer({ openaiKey: 'sk-test', elevenLabsKey: 'xi-test', secPerChar: 0.05 });
});
afterAll(() => server.close());

/** Tone samples for `chars` characters at 0.05 s each, plus 0.25 s of silence on both sides. */
const samplesFor = (chars: number, rate: number) =>
  2 * Math.round(0.25 * rate) + Math.round(chars * 0.05 * rate);

const speech = (body: unknown, key = 'sk-test') =>
  fetch(`${server.baseURL}/audio/speech`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('speech test server: OpenAI /v1/audio/speech', () => {
  it('answers the real OpenAI client with a WAV whose length follows the text', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
    const res = await client.audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: 'x'.repeat(40),
      instructions: 'Warm.',
      response_format: 'wav',
    });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = decodeWav(new Uint8Array(await res.arrayBuffer()));
    expect(wav.sampleRate).toBe(OPENAI_SPEECH_RATE);
    expect(wav.samples.length / wav.sampleRate).toBeCloseTo(40 * 0.05 + 0.5, 2);
    const last = server.synthesisRequests().at(-1)!;
    expect(last.body).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'coral', instructions: 'Warm.' });
    expect(toneFrequency('coral')).not.toBe(toneFrequency('onyx'));
  });

  it('serves raw PCM, refuses bad keys, models, formats and over-long input in OpenAI’s error shape', async () => {
    const pcm = await speech({ model: 'tts-1', voice: 'alloy', input: 'abcd', response_format: 'pcm' });
    expect((await pcm.arrayBuffer()).byteLength).toBe(2 * samplesFor(4, 24000));
    const bad = await speech({ model: 'tts-1', voice: 'alloy', input: 'a', response_format: 'wav' }, 'nope');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect((await speech({ model: 'tts-9', voice: 'a', input: 'a', response_format: 'wav' })).status).toBe(
      404,
    );
    expect((await speech({ model: 'tts-1', voice: 'a', input: 'a' })).status).toBe(400); // mp3 default
    expect(
      (await speech({ model: 'tts-1', voice: 'a', input: 'a'.repeat(4097), response_format: 'wav' })).status,
    ).toBe(400);
  });

  it('injects faults in order, one per request', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'garbage' });
    const limited = await speech({ model: 'tts-1', voice: 'a', input: 'hi', response_format: 'wav' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const garbage = await speech({ model: 'tts-1', voice: 'a', input: 'hi', response_format: 'wav' });
    expect(garbage.status).toBe(200);
    const junk = new Uint8Array(await garbage.arrayBuffer());
    expect(junk.length).toBeGreaterThan(100);
    expect(() => decodeWav(junk)).toThrow(/not a WAV file/);
    const ok = await speech({ model: 'tts-1', voice: 'a', input: 'hi', response_format: 'wav' });
    expect(ok.status).toBe(200);
  });

  it('stalls mid-body when asked (the client sees headers, then nothing)', async () => {
    server.enqueue({ kind: 'stall' });
    const res = await speech({ model: 'tts-1', voice: 'a', input: 'x'.repeat(50), response_format: 'wav' });
    expect(res.status).toBe(200);
    const read = res.arrayBuffer();
    const outcome = await Promise.race([
      read.then(() => 'done'),
      new Promise((r) => setTimeout(r, 300, 'stalled')),
    ]);
    expect(outcome).toBe('stalled');
    void read.catch(() => undefined);
  });
});

describe('speech test server: ElevenLabs', () => {
  const tts = (voice: string, body: unknown, format = 'pcm_22050', key = 'xi-test') =>
    fetch(`${server.origin}/v1/text-to-speech/${voice}?output_format=${format}`, {
      method: 'POST',
      headers: { 'xi-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('returns 16-bit PCM at the asked rate, lists voices, refuses unknown voices and keys', async () => {
    const res = await tts('voice-rachel', { text: 'abcdefghij', model_id: 'eleven_multilingual_v2' });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(2 * samplesFor(10, 22050));
    expect(server.synthesisRequests().at(-1)!.query.output_format).toBe('pcm_22050');
    const voices = await fetch(`${server.origin}/v1/voices`, { headers: { 'xi-api-key': 'xi-test' } });
    expect(
      ((await voices.json()) as { voices: { voice_id: string }[] }).voices.map((v) => v.voice_id),
    ).toContain('voice-adam');
    const unknown = await tts('nobody', { text: 'a' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: { status: string } }).detail.status).toBe('voice_not_found');
    expect((await tts('voice-adam', { text: 'a' }, 'pcm_22050', 'wrong')).status).toBe(401);
    expect((await tts('voice-adam', { text: 'a' }, 'mp3_44100_128')).status).toBe(400);
  });
});
