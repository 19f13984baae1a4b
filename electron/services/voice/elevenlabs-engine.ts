/**
 * ElevenLabs over its REST API (`POST /v1/text-to-speech/{voice_id}`, `GET /v1/voices`) with
 * fetch: model, stability / similarity boost / style, and raw 16-bit PCM at 22050 Hz (the project
 * rate, so nothing is lost to an MP3 round trip or resampling).
 */
import { StudioError } from '../../../shared/contract';
import type { VoiceSettings } from '../../../shared/model/episode';
import { int16ToFloat32 } from '../audio/pcm';
import type { GetApiKey } from './openai-speech-engine';
import {
  deadline,
  httpError,
  throwIfAborted,
  VoiceEngineError,
  type EngineRequest,
  type Pcm,
  type VoiceEngine,
} from './voice-engine';

/** US dollars per character by model (API list prices: $0.10 / 1k for v2/v3, $0.05 / 1k flash/turbo). */
export const ELEVENLABS_PRICES: Record<string, number> = {
  eleven_multilingual_v2: 0.1 / 1000,
  eleven_v3: 0.1 / 1000,
  eleven_flash_v2_5: 0.05 / 1000,
  eleven_turbo_v2_5: 0.05 / 1000,
};

/** Options of {@link ElevenLabsEngine}. */
export interface ElevenLabsEngineOptions {
  /** API origin (default https://api.elevenlabs.io); tests pass their server's. */
  baseURL?: string;
  getApiKey: GetApiKey;
  fetch?: typeof fetch;
  /** Whole-request time limit: base + per character (default 30 s + 30 ms). */
  timeoutMs?: number;
  timeoutPerCharMs?: number;
  concurrency?: number;
  prices?: Record<string, number>;
}

const SAMPLE_RATE = 22050;

/** ElevenLabs voices. */
export class ElevenLabsEngine implements VoiceEngine {
  readonly id = 'elevenlabs' as const;
  readonly version = 'elevenlabs-pcm22050-1';
  /** Kept well under the models' limits (10k–40k): shorter requests fail and retry cheaper. */
  readonly maxChars = 5000;
  readonly concurrency: number;
  readonly #opts: ElevenLabsEngineOptions;

  constructor(opts: ElevenLabsEngineOptions) {
    this.#opts = opts;
    this.concurrency = opts.concurrency ?? 4;
  }

  modelFor(settings: VoiceSettings): string {
    return settings.model ?? 'eleven_multilingual_v2';
  }

  pricePerChar(settings: VoiceSettings): number {
    const prices = this.#opts.prices ?? ELEVENLABS_PRICES;
    return prices[this.modelFor(settings)] ?? ELEVENLABS_PRICES.eleven_multilingual_v2;
  }

  async synthesize(req: EngineRequest, signal?: AbortSignal): Promise<Pcm> {
    throwIfAborted(signal);
    const settings = req.settings ?? { engine: this.id, voice: req.voice, rate: req.rate, pitch: req.pitch };
    const key = await this.#key(settings);
    const url = `${this.#base()}/v1/text-to-speech/${encodeURIComponent(req.voice)}?output_format=pcm_${SAMPLE_RATE}`;
    const limit = (this.#opts.timeoutMs ?? 30_000) + (this.#opts.timeoutPerCharMs ?? 30) * req.text.length;
    const d = deadline(limit, signal);
    let bytes: Uint8Array;
    let type: string;
    try {
      const res = await (this.#opts.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'xi-api-key': key, 'content-type': 'application/json', accept: 'audio/pcm' },
        body: JSON.stringify({
          text: req.text,
          model_id: this.modelFor(settings),
          voice_settings: {
            stability: settings.stability ?? 0.5,
            similarity_boost: settings.similarityBoost ?? 0.75,
            style: settings.style ?? 0,
          },
        }),
        signal: d.signal,
      });
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        throw httpError('ElevenLabs', res.status, errorDetail(text), res.headers.get('retry-after'));
      }
      type = res.headers.get('content-type') ?? '';
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      if (signal?.aborted) throw new StudioError('canceled', 'Synthesis canceled');
      if (d.timedOut()) throw new VoiceEngineError('timeout', 'ElevenLabs did not answer in time.', true);
      if (err instanceof StudioError) throw err;
      throw new VoiceEngineError(
        'network',
        `ElevenLabs could not be reached: ${err instanceof Error ? err.message : String(err)}`,
        true,
      );
    } finally {
      d.dispose();
    }
    if (!looksLikePcm(bytes, type))
      throw new VoiceEngineError(
        'provider',
        `ElevenLabs sent audio the studio cannot read (${bytes.length} bytes, ${type || 'no type'}).`,
        false,
      );
    const samples = new Int16Array(bytes.length / 2);
    new Uint8Array(samples.buffer).set(bytes);
    return { samples: int16ToFloat32(samples), sampleRate: SAMPLE_RATE };
  }

  async listVoices(settings?: VoiceSettings): Promise<{ id: string; label: string }[]> {
    const key = await this.#key(settings);
    const res = await (this.#opts.fetch ?? fetch)(`${this.#base()}/v1/voices`, {
      headers: { 'xi-api-key': key },
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw httpError('ElevenLabs', res.status, errorDetail(await res.text().catch(() => '')));
    const json = (await res.json()) as { voices?: { voice_id: string; name?: string; category?: string }[] };
    return (json.voices ?? []).map((v) => ({
      id: v.voice_id,
      label: v.category ? `${v.name ?? v.voice_id} (${v.category})` : (v.name ?? v.voice_id),
    }));
  }

  close(): void {}

  #base(): string {
    return (this.#opts.baseURL ?? 'https://api.elevenlabs.io').replace(/\/+$/, '');
  }

  async #key(settings?: VoiceSettings): Promise<string> {
    const key = await this.#opts.getApiKey(settings?.apiKeyRef ?? this.id);
    if (!key)
      throw new VoiceEngineError(
        'auth',
        'No ElevenLabs API key is stored: add one in Settings to use ElevenLabs voices.',
        false,
      );
    return key;
  }
}

/** ElevenLabs errors are `{ detail: { message } }` or `{ detail: "…" }`. */
function errorDetail(text: string): string {
  try {
    const json = JSON.parse(text) as { detail?: string | { message?: string } };
    return typeof json.detail === 'string' ? json.detail : (json.detail?.message ?? '');
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * Raw PCM: an even, non-empty byte count, not declared as text, and not opening like a JSON,
 * HTML, WAV or ID3-tagged MP3 body. (Prefixes are at least two bytes, so real audio starting
 * with such bytes by chance is rare: 1 in 65536 or less.)
 */
function looksLikePcm(bytes: Uint8Array, type: string): boolean {
  if (bytes.length === 0 || bytes.length % 2 !== 0) return false;
  if (/json|text|html/i.test(type)) return false;
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  return !/^(\{"|\{\s|<!|<h|RIFF|ID3)/i.test(head);
}
