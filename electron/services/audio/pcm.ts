/**
 * Mono PCM helpers. Audio inside the services is mono `Float32Array` in [-1, 1] plus a sample rate;
 * int16 appears only at the edges (espeak output, WAV files).
 */

/** Converts signed 16-bit samples to floats in [-1, 1). */
export function int16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] / 32768;
  return out;
}

/** Converts floats to signed 16-bit samples, clamping to [-1, 1] and rounding to nearest. */
export function float32ToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    // NaN would otherwise become 0 through Math.round anyway; clamp keeps ±1 from wrapping.
    const c = s > 1 ? 1 : s < -1 ? -1 : s || 0;
    out[i] = Math.round(c < 0 ? c * 32768 : c * 32767);
  }
  return out;
}

/** Concatenates chunks into one new array. */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Concatenates int16 chunks into one new array. */
export function concatInt16(parts: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Int16Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Options of {@link trimSilence}. */
export interface TrimSilenceOptions {
  /** Level below which a sample counts as silence, in dBFS. Default -50. */
  thresholdDb?: number;
  /** Silence kept before the first and after the last audible sample, in ms. Default 30. */
  keepMs?: number;
}

/**
 * Cuts leading and trailing silence, keeping `keepMs` of it on both sides so every clip starts and
 * ends with the same short margin (the mixer then adds the real pauses). Returns a new compact
 * array; an all-silent input gives an empty array.
 */
export function trimSilence(
  samples: Float32Array,
  sampleRate: number,
  { thresholdDb = -50, keepMs = 30 }: TrimSilenceOptions = {},
): Float32Array {
  const threshold = Math.pow(10, thresholdDb / 20);
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]) < threshold) first++;
  if (first === samples.length) return new Float32Array(0);
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]) < threshold) last--;
  const keep = Math.max(0, Math.round((keepMs / 1000) * sampleRate));
  const start = Math.max(0, first - keep);
  const end = Math.min(samples.length, last + 1 + keep);
  return samples.slice(start, end);
}

/** Length of `samples` (an array or a sample count) in seconds. */
export function durationSec(samples: ArrayLike<number> | number, sampleRate: number): number {
  const n = typeof samples === 'number' ? samples : samples.length;
  return n / sampleRate;
}
