/**
 * OpenAI speech (`POST /v1/audio/speech` through the official client): `gpt-4o-mini-tts` with the
 * persona's style as `instructions`, `tts-1` and `tts-1-hd`. The same class, with id
 * `openai-compatible`, speaks to any server of that protocol by base URL (Kokoro-FastAPI,
 * openedai-speech). Audio is requested as WAV (24 kHz for OpenAI) and decoded here; the voice
 * service resamples it to the project rate.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { StudioError } from '../../../shared/contract';
import type { VoiceSettings } from '../../../shared/model/episode';
import { decodeWav } from '../audio/wav';
import {
  deadline,
  httpError,
  throwIfAborted,
  VoiceEngineError,
  type EngineRequest,
  type Pcm,
  type VoiceEngine,
} from './voice-engine';

/** Looks up a stored API key by id (the engine id unless the persona names another). */
export type GetApiKey = (keyId: string) => string | undefined | Promise<string | undefined>;

/** OpenAI's built-in speech voices. */
export const OPENAI_VOICES = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
] as const;

/** US dollars per character (list prices; gpt-4o-mini-tts is billed by tokens, ≈ this). */
export const OPENAI_SPEECH_PRICES: Record<string, number> = {
  'gpt-4o-mini-tts': 15 / 1_000_000,
  'tts-1': 15 / 1_000_000,
  'tts-1-hd': 30 / 1_000_000,
};

/** Models that take `instructions` (the others ignore or reject them). */
const INSTRUCTED = /^gpt-4o.*tts/;

/** Options of {@link OpenAiSpeechEngine}. */
export interface OpenAiSpeechEngineOptions {
  /** `openai` (api.openai.com unless `baseURL` says otherwise) or `openai-compatible` (base URL per persona). */
  id?: 'openai' | 'openai-compatible';
  /** Base URL ending in /v1 (OpenAI: default https://api.openai.com/v1; compatible: per persona). */
  baseURL?: string;
  getApiKey: GetApiKey;
  fetch?: typeof fetch;
  /** Whole-request time limit including the audio body: base + per character (default 30 s + 30 ms). */
  timeoutMs?: number;
  timeoutPerCharMs?: number;
  /** Requests at once (default 4). */
  concurrency?: number;
  /** Price per character by model (default {@link OPENAI_SPEECH_PRICES}; compatible servers: 0). */
  prices?: Record<string, number>;
}

/** OpenAI speech, or any OpenAI-compatible speech server. */
export class OpenAiSpeechEngine implements VoiceEngine {
  readonly id: 'openai' | 'openai-compatible';
  readonly version = 'openai-speech-wav-1';
  /** The API's input limit. */
  readonly maxChars = 4096;
  readonly concurrency: number;
  readonly #opts: OpenAiSpeechEngineOptions;

  constructor(opts: OpenAiSpeechEngineOptions) {
    this.#opts = opts;
    this.id = opts.id ?? 'openai';
    this.concurrency = opts.concurrency ?? 4;
  }

  modelFor(settings: VoiceSettings): string {
    return settings.model ?? (this.id === 'openai' ? 'gpt-4o-mini-tts' : 'tts-1');
  }

  pricePerChar(settings: VoiceSettings): number {
    const prices = this.#opts.prices ?? (this.id === 'openai' ? OPENAI_SPEECH_PRICES : {});
    return prices[this.modelFor(settings)] ?? 0;
  }

  async synthesize(req: EngineRequest, signal?: AbortSignal): Promise<Pcm> {
    throwIfAborted(signal);
    const settings = req.settings ?? { engine: this.id, voice: req.voice, rate: req.rate, pitch: req.pitch };
    const model = this.modelFor(settings);
    const speed = Math.round(Math.min(4, Math.max(0.25, req.rate / 175)) * 100) / 100;
    const body: OpenAI.Audio.SpeechCreateParams = {
      model,
      voice: req.voice,
      input: req.text,
      response_format: 'wav',
      ...(INSTRUCTED.test(model)
        ? req.instructions
          ? { instructions: req.instructions }
          : {}
        : speed !== 1
          ? { speed }
          : {}),
    };
    const limit = (this.#opts.timeoutMs ?? 30_000) + (this.#opts.timeoutPerCharMs ?? 30) * req.text.length;
    const client = await this.#client(settings, limit);
    const d = deadline(limit, signal);
    let bytes: Uint8Array;
    try {
      const res = await client.audio.speech.create(body, { signal: d.signal });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw this.#mapError(err, signal, d.timedOut());
    } finally {
      d.dispose();
    }
    try {
      return decodeWav(bytes);
    } catch {
      throw new VoiceEngineError(
        'provider',
        `${this.#label()} sent audio the studio cannot read (${bytes.length} bytes, not WAV).`,
        false,
      );
    }
  }

  async listVoices(settings?: VoiceSettings): Promise<{ id: string; label: string }[]> {
    const builtIn = OPENAI_VOICES.map((v) => ({ id: v, label: v[0].toUpperCase() + v.slice(1) }));
    if (this.id === 'openai') return builtIn;
    // Kokoro-FastAPI and openedai-speech list their voices here; other servers may not.
    try {
      const base = this.#baseURL(settings);
      const key = await this.#opts.getApiKey(settings?.apiKeyRef ?? this.id);
      const res = await (this.#opts.fetch ?? fetch)(`${base}/audio/voices`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) return builtIn;
      const json = (await res.json()) as { voices?: (string | { id?: string; name?: string })[] };
      const voices = (json.voices ?? [])
        .map((v) => (typeof v === 'string' ? v : (v.id ?? v.name ?? '')))
        .filter(Boolean);
      return voices.length ? voices.map((v) => ({ id: v, label: v })) : builtIn;
    } catch {
      return builtIn;
    }
  }

  close(): void {}

  #label(): string {
    return this.id === 'openai' ? 'OpenAI speech' : 'The speech server';
  }

  #baseURL(settings?: VoiceSettings): string {
    const base =
      this.id === 'openai-compatible'
        ? (settings?.baseURL ?? this.#opts.baseURL)
        : (this.#opts.baseURL ?? 'https://api.openai.com/v1');
    if (!base)
      throw new VoiceEngineError(
        'bad-request',
        'This voice uses an OpenAI-compatible speech server: set its base URL in the host’s voice settings.',
        false,
      );
    return base.replace(/\/+$/, '');
  }

  async #client(settings: VoiceSettings, timeout: number): Promise<OpenAI> {
    const keyId = settings.apiKeyRef ?? this.id;
    const apiKey = await this.#opts.getApiKey(keyId);
    if (!apiKey && this.id === 'openai')
      throw new VoiceEngineError(
        'auth',
        'No OpenAI API key is stored: add one in Settings to use OpenAI voices.',
        false,
      );
    return new OpenAI({
      apiKey: apiKey || 'not-needed',
      baseURL: this.#baseURL(settings),
      organization: null,
      project: null,
      maxRetries: 0, // the voice service retries, honouring Retry-After, and counts requests
      timeout,
      // The client's own logging could print request details; errors are reported by the studio.
      logLevel: 'off',
      ...(this.#opts.fetch ? { fetch: this.#opts.fetch } : {}),
    });
  }

  #mapError(err: unknown, signal: AbortSignal | undefined, timedOut: boolean): Error {
    if (signal?.aborted) return new StudioError('canceled', 'Synthesis canceled');
    if (timedOut || err instanceof APIConnectionTimeoutError)
      return new VoiceEngineError('timeout', `${this.#label()} did not answer in time.`, true);
    if (err instanceof APIUserAbortError) return new StudioError('canceled', 'Synthesis canceled');
    if (err instanceof APIConnectionError)
      return new VoiceEngineError('network', `${this.#label()} could not be reached.`, true);
    if (err instanceof APIError && typeof err.status === 'number') {
      const detail =
        (err.error as { message?: string } | undefined)?.message ?? (err.message || '').slice(0, 200);
      return httpError(this.#label(), err.status, detail, err.headers?.get('retry-after'));
    }
    if (err instanceof StudioError) return err;
    // A body that broke off mid-way (socket closed) surfaces as a plain fetch error.
    return new VoiceEngineError(
      'network',
      `${this.#label()} failed: ${err instanceof Error ? err.message : String(err)}`,
      true,
    );
  }
}
