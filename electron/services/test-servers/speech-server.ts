/**
 * A speech test server for tests, benches and e2e: a real HTTP server on 127.0.0.1 (random port)
 * answering
 * - OpenAI `POST /v1/audio/speech` (`{ model, input, voice, instructions?, response_format:
 *   wav | pcm, speed? }` → a 24 kHz 16-bit mono WAV, streamed with an open-ended data size as
 *   OpenAI does, or raw PCM), errors in OpenAI's `{ error: { message, type, code } }` shape;
 * - Kokoro-style `GET /v1/audio/voices` (`{ voices: [...] }`) for OpenAI-compatible servers;
 * - ElevenLabs `POST /v1/text-to-speech/:voiceId?output_format=pcm_<rate>` (`{ text, model_id,
 *   voice_settings }`, `xi-api-key` header → raw 16-bit PCM) and `GET /v1/voices`, errors in
 *   ElevenLabs' `{ detail: { status, message } }` shape.
 *
 * The "speech" is a sine tone whose pitch depends on the voice and whose length is proportional
 * to the text (`secPerChar`), between fixed stretches of silence, so tests can check duration,
 * pitch and trimming after decoding and resampling. Faults are queued per synthesis request
 * (HTTP errors with Retry-After, stalls, hangs, dropped sockets, garbage bytes) and every request
 * is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { float32ToInt16 } from '../audio/pcm';
import { encodeWav } from '../audio/wav';

/** A fault injected into one synthesis request (taken in order; others get good audio). */
export type SpeechFault =
  /** An HTTP error in the protocol's error shape (429 may carry Retry-After). */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Send the headers and part of the audio, then nothing more (the socket stays open). */
  | { kind: 'stall' }
  /** Never answer at all. */
  | { kind: 'hang' }
  /** Send part of the audio, then destroy the socket. */
  | { kind: 'close' }
  /** 200 with an audio content type and bytes that are not audio. */
  | { kind: 'garbage' };

/** A request as the server saw it. */
export interface SpeechRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for GET). */
  body: Record<string, unknown> | undefined;
  /** Which protocol: OpenAI speech, ElevenLabs, or a listing. */
  kind: 'openai-speech' | 'elevenlabs-tts' | 'list';
  /** Milliseconds since the server started. */
  at: number;
}

/** Options of {@link startSpeechServer}. */
export interface SpeechServerOptions {
  /** OpenAI requests must carry `Authorization: Bearer <key>` (else 401). */
  openaiKey?: string;
  /** ElevenLabs requests must carry `xi-api-key: <key>` (else 401). */
  elevenLabsKey?: string;
  /** OpenAI models served (default gpt-4o-mini-tts, tts-1, tts-1-hd, kokoro). */
  models?: string[];
  /** ElevenLabs voices (default two). */
  elevenLabsVoices?: { voice_id: string; name: string; category?: string }[];
  /** Seconds of tone per character of text (default 0.06). */
  secPerChar?: number;
  /** Silence before and after the tone in seconds (default 0.25). */
  padSec?: number;
  /** Delay before answering, in ms (default 0): makes concurrency observable. */
  latencyMs?: number;
}

/** A running server. */
export interface SpeechServer {
  /** Origin, e.g. http://127.0.0.1:1234 (the ElevenLabs engine's base URL). */
  origin: string;
  /** OpenAI-style base URL: origin + /v1. */
  baseURL: string;
  requests: SpeechRequestRecord[];
  /** Synthesis requests only (OpenAI speech and ElevenLabs), oldest first. */
  synthesisRequests(): SpeechRequestRecord[];
  /** Most synthesis requests in flight at once so far. */
  maxInFlight: number;
  /** Queues faults for the next synthesis requests, one each. */
  enqueue(...faults: SpeechFault[]): void;
  close(): Promise<void>;
}

/** Sample rate of the OpenAI-style WAV/PCM replies (OpenAI's own). */
export const OPENAI_SPEECH_RATE = 24000;

/** The tone frequency the server uses for a voice (deterministic, 200–599 Hz in 10 Hz steps). */
export function toneFrequency(voice: string): number {
  let h = 0;
  for (const c of voice) h = (h * 31 + c.codePointAt(0)!) >>> 0;
  return 200 + (h % 40) * 10;
}

/** The "speech" for a text: silence, a tone of `chars × secPerChar` seconds, silence. */
export function speechTone(
  text: string,
  voice: string,
  sampleRate: number,
  secPerChar = 0.06,
  padSec = 0.25,
): Float32Array {
  const pad = Math.round(padSec * sampleRate);
  const n = Math.round(text.length * secPerChar * sampleRate);
  const f = toneFrequency(voice);
  const out = new Float32Array(pad * 2 + n);
  for (let i = 0; i < n; i++) out[pad + i] = 0.5 * Math.sin((2 * Math.PI * f * i) / sampleRate);
  return out;
}

const DEFAULT_ELEVEN_VOICES = [
  { voice_id: 'voice-rachel', name: 'Rachel', category: 'premade' },
  { voice_id: 'voice-adam', name: 'Adam', category: 'premade' },
];

/** Starts the server on 127.0.0.1 with a random free port. */
export async function startSpeechServer(options: SpeechServerOptions = {}): Promise<SpeechServer> {
  const models = options.models ?? ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd', 'kokoro'];
  const elevenVoices = options.elevenLabsVoices ?? DEFAULT_ELEVEN_VOICES;
  const secPerChar = options.secPerChar ?? 0.06;
  const padSec = options.padSec ?? 0.25;
  const faults: SpeechFault[] = [];
  const requests: SpeechRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const started = Date.now();
  let inFlight = 0;

  const state = {
    maxInFlight: 0,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: Record<string, unknown> | undefined;
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
    }
    const path = url.pathname;
    const openaiSpeech = req.method === 'POST' && path === '/v1/audio/speech';
    const eleven = /^\/v1\/text-to-speech\/([^/]+)$/.exec(path);
    const elevenTts = req.method === 'POST' && !!eleven;
    requests.push({
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      kind: openaiSpeech ? 'openai-speech' : elevenTts ? 'elevenlabs-tts' : 'list',
      at: Date.now() - started,
    });

    if (req.method === 'GET' && path === '/v1/voices') {
      if (options.elevenLabsKey && req.headers['xi-api-key'] !== options.elevenLabsKey)
        return elevenError(res, 401, 'invalid_api_key', 'Invalid API key');
      return json(res, 200, { voices: elevenVoices });
    }
    if (req.method === 'GET' && path === '/v1/audio/voices') {
      return json(res, 200, { voices: ['af_bella', 'af_sky', 'am_adam', 'bf_emma'] });
    }
    if (!openaiSpeech && !elevenTts) return json(res, 404, { error: { message: `No route ${path}` } });

    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    if (openaiSpeech) {
      if (options.openaiKey && req.headers.authorization !== `Bearer ${options.openaiKey}`)
        return openaiError(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
      const fault = faults.shift();
      if (fault?.kind === 'status')
        return openaiError(
          res,
          fault.status,
          fault.message ?? `Injected ${fault.status}`,
          null,
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        );
      const model = String(body?.model ?? '');
      const input = body?.input;
      const voice = body?.voice;
      const format = String(body?.response_format ?? 'mp3');
      if (!body) return openaiError(res, 400, 'The body is not valid JSON.', null);
      if (!models.includes(model))
        return openaiError(res, 404, `The model '${model}' does not exist`, 'model_not_found');
      if (typeof input !== 'string' || !input) return openaiError(res, 400, "Missing 'input'.", null);
      if (input.length > 4096)
        return openaiError(res, 400, 'Input is longer than 4096 characters.', 'string_above_max_length');
      if (typeof voice !== 'string' || !voice) return openaiError(res, 400, "Missing 'voice'.", null);
      if (format !== 'wav' && format !== 'pcm')
        return openaiError(res, 400, `This test server serves wav and pcm, not ${format}.`, null);
      const samples = speechTone(input, voice, OPENAI_SPEECH_RATE, secPerChar, padSec);
      const bytes = format === 'wav' ? streamingWav(samples) : pcmBytes(samples);
      return sendAudio(res, format === 'wav' ? 'audio/wav' : 'audio/pcm', bytes, fault);
    }

    // ElevenLabs
    if (options.elevenLabsKey && req.headers['xi-api-key'] !== options.elevenLabsKey)
      return elevenError(res, 401, 'invalid_api_key', 'Invalid API key');
    const fault = faults.shift();
    if (fault?.kind === 'status')
      return elevenError(
        res,
        fault.status,
        fault.status === 429 ? 'too_many_concurrent_requests' : 'injected',
        fault.message ?? `Injected ${fault.status}`,
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
    const voiceId = decodeURIComponent(eleven![1]);
    if (!elevenVoices.some((v) => v.voice_id === voiceId))
      return elevenError(res, 404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
    const text = body?.text;
    if (typeof text !== 'string' || !text) return elevenError(res, 400, 'invalid_text', 'Text is required.');
    if (text.length > 10_000) return elevenError(res, 400, 'text_too_long', 'Text is too long.');
    const fmt = /^pcm_(\d+)$/.exec(url.searchParams.get('output_format') ?? 'mp3_44100_128');
    const rate = fmt ? Number(fmt[1]) : 0;
    if (![16000, 22050, 24000, 44100].includes(rate))
      return elevenError(res, 400, 'invalid_output_format', 'This test server serves pcm_* formats only.');
    return sendAudio(res, 'audio/pcm', pcmBytes(speechTone(text, voiceId, rate, secPerChar, padSec)), fault);
  };

  const sendAudio = (res: ServerResponse, type: string, bytes: Uint8Array, fault?: SpeechFault): void => {
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'garbage') {
      const junk = new TextEncoder().encode(
        '<html><body>502 Bad Gateway from a proxy</body></html>'.repeat(9),
      );
      res.writeHead(200, { 'content-type': type, 'content-length': String(junk.length) });
      res.end(junk);
      return;
    }
    if (fault?.kind === 'stall' || fault?.kind === 'close') {
      res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 3) & ~1));
      if (fault.kind === 'close') setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
    res.end(bytes);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(err) } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseURL: `${origin}/v1`,
    requests,
    synthesisRequests: () => requests.filter((r) => r.kind !== 'list'),
    get maxInFlight() {
      return state.maxInFlight;
    },
    enqueue: (...f) => faults.push(...f),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify(value));
}

function openaiError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string | null,
  extra: Record<string, string> = {},
): void {
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  json(res, status, { error: { message, type, param: null, code } }, extra);
}

function elevenError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  json(res, status, { detail: { status: code, message } }, extra);
}

/** Little-endian 16-bit PCM bytes. */
function pcmBytes(samples: Float32Array): Uint8Array {
  const pcm = float32ToInt16(samples);
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** A WAV whose RIFF and data sizes say 0xFFFFFFFF, as OpenAI's streamed WAV replies do. */
function streamingWav(samples: Float32Array): Uint8Array {
  const wav = encodeWav(samples, OPENAI_SPEECH_RATE);
  const v = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  v.setUint32(4, 0xffffffff, true);
  v.setUint32(40, 0xffffffff, true);
  return wav;
}
