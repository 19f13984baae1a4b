/**
 * The interface every voice engine implements: the embedded espeak-ng engine and the cloud and
 * local-server engines (OpenAI, OpenAI-compatible, ElevenLabs).
 */
import { StudioError, type ErrorCode } from '../../../shared/contract';
import type { VoiceEngineId, VoiceSettings } from '../../../shared/model/episode';

/** Mono PCM as float samples in -1..1. */
export interface Pcm {
  samples: Float32Array;
  sampleRate: number;
}

/** One request to an engine: at most `maxChars` characters of plain text. */
export interface EngineRequest {
  text: string;
  voice: string;
  rate: number;
  pitch: number;
  /** The persona's full voice settings (cloud engines read model, base URL, stability …). */
  settings?: VoiceSettings;
  /** Speaking style for models that take instructions (the persona's role by default). */
  instructions?: string;
}

export interface VoiceEngine {
  /** Engine id as stored in persona voice settings. */
  readonly id: VoiceEngineId;
  /** Identifies the engine build; part of every clip's content hash so an upgrade re-voices. */
  readonly version: string;
  /** Longest text one request may carry; longer lines are split at sentences (default: no limit). */
  readonly maxChars?: number;
  /** Requests this engine runs at once across all jobs (default 2). */
  readonly concurrency?: number;
  /** US dollars per character with these settings (default 0: a local engine). */
  pricePerChar?(settings: VoiceSettings): number;
  /** The model these settings use (part of the clip hash and the take's label). */
  modelFor?(settings: VoiceSettings): string;
  /**
   * Voices `req.text`. Audio may come at any sample rate: the voice service resamples it to the
   * project rate and trims its silence. Failures reject with a {@link VoiceEngineError} (or a
   * `StudioError('canceled')` when `signal` aborts).
   */
  synthesize(req: EngineRequest, signal?: AbortSignal): Promise<Pcm>;
  listVoices(settings?: VoiceSettings): Promise<{ id: string; label: string }[]>;
  close(): Promise<void> | void;
}

/**
 * An engine failure with what the retry loop needs: whether trying again may help and how long
 * the server asked to wait (Retry-After).
 */
export class VoiceEngineError extends StudioError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
    this.name = 'VoiceEngineError';
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The error an engine throws for an HTTP status from its server. */
export function httpError(
  engineLabel: string,
  status: number,
  detail: string,
  retryAfter?: string | null,
): VoiceEngineError {
  const why = detail ? `: ${detail.slice(0, 200)}` : '';
  if (status === 401 || status === 403)
    return new VoiceEngineError('auth', `${engineLabel} refused the API key (HTTP ${status})${why}`, false);
  if (status === 429)
    return new VoiceEngineError(
      'rate-limited',
      `${engineLabel} is rate limiting requests (HTTP 429)${why}`,
      true,
      parseRetryAfter(retryAfter),
    );
  if (status === 408) return new VoiceEngineError('timeout', `${engineLabel} timed out (HTTP 408)`, true);
  if (status >= 500)
    return new VoiceEngineError('provider', `${engineLabel} failed (HTTP ${status})${why}`, true);
  return new VoiceEngineError(
    'provider',
    `${engineLabel} rejected the request (HTTP ${status})${why}`,
    false,
  );
}

/**
 * A signal that aborts when `outer` does or after `ms`, so a stalled body read ends too (the
 * OpenAI client's own timeout stops at the response headers). `timedOut()` tells the two apart.
 */
export function deadline(
  ms: number,
  outer?: AbortSignal,
): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, ms);
  timer.unref?.();
  const onAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** Throws `StudioError('canceled')` when the signal has aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StudioError('canceled', 'Synthesis canceled');
}
