/**
 * Loudness mastering: one gain to an integrated-loudness target, then a true-peak limiter that
 * keeps the oversampled peak under the ceiling with a smooth, look-ahead gain envelope (no hard
 * clipping), then a fresh measurement of the result.
 */
import { interSamplePeak, measureLoudness, truePeak, truePeakKernel, type LoudnessReport } from './loudness';

/** A mastering target: integrated loudness and the highest true peak allowed. */
export interface LoudnessTarget {
  /** Integrated loudness (BS.1770-4), LUFS. */
  integratedLufs: number;
  /** True-peak ceiling, dBTP. */
  truePeakDbtp: number;
}

/**
 * Common delivery targets: `podcast` −16 LUFS (Apple Podcasts and most hosts), `mono` −19 LUFS
 * (the mono equivalent of −16 for speech-only feeds), `streaming` −14 LUFS; all at −1 dBTP.
 */
export const LOUDNESS_PRESETS = {
  podcast: { integratedLufs: -16, truePeakDbtp: -1 },
  mono: { integratedLufs: -19, truePeakDbtp: -1 },
  streaming: { integratedLufs: -14, truePeakDbtp: -1 },
} as const satisfies Record<string, LoudnessTarget>;

/** Name of one of {@link LOUDNESS_PRESETS}. */
export type LoudnessPreset = keyof typeof LOUDNESS_PRESETS;

/** What {@link masterToTarget} returns. */
export interface MasterResult {
  /** The mastered audio (a new array), or the input array itself when nothing could be measured. */
  samples: Float32Array;
  /** Measurement of the input. */
  before: LoudnessReport;
  /** Measurement of `samples`. */
  after: LoudnessReport;
  /** Gain applied ahead of the limiter, dB (0 when the input was left alone). */
  gainDb: number;
  /** Deepest gain reduction of the limiter, dB (0 when it never acted). */
  limiterReductionDb: number;
}

/** Options of {@link limitTruePeak}. */
export interface LimiterOptions {
  /** Gain applied before limiting, dB. Default 0. */
  gainDb?: number;
  /** How far ahead the limiter starts lowering the gain (the attack), ms. Default 5. */
  lookAheadMs?: number;
  /** Time constant of the gain's recovery after a peak, ms. Default 80. */
  releaseMs?: number;
  /** Oversampling used to find inter-sample peaks. Default 8 (finer than the 4× meter). */
  oversample?: number;
  /**
   * Interpolation taps per phase. Default 48: sharper than the meter's 16, so clicks and other
   * content near the Nyquist frequency are caught too (see `truePeakKernel`).
   */
  taps?: number;
}

/** What {@link limitTruePeak} returns. */
export interface LimiterResult {
  /** Gain, then limiting, applied: a new array as long as the input. */
  samples: Float32Array;
  /** Deepest gain reduction, dB (0 when the limiter never acted). */
  reductionDb: number;
}

const LIMITER_OVERSAMPLE = 8;
const LIMITER_TAPS = 48;
/** Sample positions are grouped in chunks this long (a power of two) to find where to work. */
const CHUNK_SHIFT = 6;
const CHUNK = 1 << CHUNK_SHIFT;
/** The release stops (gain snapped to 1) once the remaining reduction is below this. */
const RELEASE_FLOOR = 1e-5;

/**
 * Applies `gainDb`, then limits so the `oversample`× oversampled peak stays ≤ `ceilingDbtp`.
 *
 * The gain envelope is built in three steps that keep it under the gain every sample needs while
 * staying smooth: the lowest needed gain over the next `lookAheadMs` (a sliding minimum, so the
 * envelope is already down when a peak arrives), an exponential recovery of `releaseMs`, and two
 * moving averages of half the look-ahead each (a triangular window: no corners in the envelope).
 * An average of values that are each ≤ a sample's need is itself ≤ that need, so no peak is
 * missed; the gain changes by at most about 1/(look-ahead in samples) per sample, well clear of
 * audible clipping. Only stretches whose loudest sample could exceed the ceiling are inspected,
 * so quiet material costs one pass.
 *
 * Interpolated peaks of the result can exceed the ceiling by a few hundredths of a dB where the
 * gain moves fastest; {@link masterToTarget} checks and runs a second, tiny pass when needed.
 */
export function limitTruePeak(
  samples: Float32Array,
  sampleRate: number,
  ceilingDbtp: number,
  { gainDb = 0, lookAheadMs = 5, releaseMs = 80, oversample = LIMITER_OVERSAMPLE, taps = LIMITER_TAPS }: LimiterOptions = {},
): LimiterResult {
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`limitTruePeak: sample rate must be positive, got ${sampleRate}`);
  }
  for (const [name, v] of [
    ['ceilingDbtp', ceilingDbtp],
    ['gainDb', gainDb],
  ] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`limitTruePeak: ${name} must be finite, got ${v}`);
  }
  if (!(lookAheadMs > 0) || !(releaseMs > 0)) {
    throw new RangeError('limitTruePeak: lookAheadMs and releaseMs must be > 0');
  }
  const kernel = truePeakKernel(oversample, taps);
  const gain = Math.pow(10, gainDb / 20);
  const ceiling = Math.pow(10, ceilingDbtp / 20);
  const n = samples.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = samples[i] * gain;

  // Which chunks could hold a point above the ceiling (neighbours included: the filter reaches them).
  const chunks = Math.ceil(n / CHUNK);
  const chunkMax = new Float32Array(chunks);
  for (let c = 0; c < chunks; c++) {
    const end = Math.min(n, (c + 1) * CHUNK);
    let m = 0;
    for (let i = c * CHUNK; i < end; i++) {
      const v = samples[i];
      if (v > m) m = v;
      else if (-v > m) m = -v;
    }
    chunkMax[c] = m;
  }
  const local = new Float32Array(chunks);
  const hot = new Uint8Array(chunks);
  let anyHot = false;
  for (let c = 0; c < chunks; c++) {
    local[c] = Math.max(chunkMax[c], c > 0 ? chunkMax[c - 1] : 0, c + 1 < chunks ? chunkMax[c + 1] : 0);
    if (local[c] * gain * kernel.gainBound > ceiling) {
      hot[c] = 1;
      anyHot = true;
    }
  }
  if (!anyHot) return { samples: out, reductionDb: 0 };

  const half = Math.max(1, Math.round((lookAheadMs / 2000) * sampleRate));
  const span = 2 * half - 1; // support of the triangular smoothing = look-ahead in samples
  const release = Math.exp(-1000 / (releaseMs * sampleRate));
  const tail = span + Math.ceil(Math.log(1 / RELEASE_FLOOR) * (releaseMs / 1000) * sampleRate);

  // Largest interpolated |value| between i and i+1 after the gain, or 0 when it provably stays
  // under the ceiling (then it cannot lower the gain anyway).
  const between = (i: number): number => {
    if (i < 0 || i >= n) return 0;
    const c = i >> CHUNK_SHIFT;
    let near = 0;
    for (let j = i - 1; j <= i + 2; j++) {
      const v = j >= 0 && j < n ? Math.abs(samples[j]) : 0;
      if (v > near) near = v;
    }
    if (gain * (near * kernel.coreBound + local[c] * kernel.tailBound) <= ceiling) return 0;
    return gain * interSamplePeak(samples, i, kernel);
  };

  const dequeIdx = new Int32Array(span + 1);
  const dequeVal = new Float64Array(span + 1);
  const ring1 = new Float64Array(half);
  const ring2 = new Float64Array(half);
  let deepest = 1;

  let c = 0;
  while (c < chunks) {
    if (!hot[c]) {
      c++;
      continue;
    }
    // One segment: from `span` before the first hot chunk until the release has died out after
    // the last hot chunk that starts before the previous one's release ended.
    const start = Math.max(0, c * CHUNK - span);
    let end = Math.min(n, (c + 1) * CHUNK) + tail;
    for (c++; c < chunks && c * CHUNK - span < end; c++) {
      if (hot[c]) end = Math.min(n, (c + 1) * CHUNK) + tail;
    }

    // Streaming state, idle (gain 1) at the segment start.
    let head = 0;
    let size = 0;
    let held = 1;
    ring1.fill(1);
    ring2.fill(1);
    let sum1 = half;
    let sum2 = half;
    let pos = 0;
    let prevBetween = between(start - 1);
    for (let j = start; j < end + span - 1; j++) {
      // Gain sample j needs: ceiling / its largest neighbourhood peak.
      let need = 1;
      if (j < n && hot[j >> CHUNK_SHIFT]) {
        const here = between(j);
        const q = Math.max(Math.abs(out[j]), prevBetween, here);
        prevBetween = here;
        if (q > ceiling) need = ceiling / q;
      } else {
        prevBetween = j + 1 < n && hot[(j + 1) >> CHUNK_SHIFT] ? between(j) : 0;
      }
      // Sliding minimum of `need` over the last `span` samples (monotonic deque).
      while (size > 0 && dequeVal[(head + size - 1) % (span + 1)] >= need) size--;
      dequeIdx[(head + size) % (span + 1)] = j;
      dequeVal[(head + size) % (span + 1)] = need;
      size++;
      if (dequeIdx[head] <= j - span) {
        head = (head + 1) % (span + 1);
        size--;
      }
      const held0 = dequeVal[head];
      // Instant attack (the look-ahead already leads it), exponential release.
      const recovered = 1 - (1 - held) * release;
      held = held0 < recovered ? held0 : recovered;
      // Two moving averages → triangular smoothing over `span` samples.
      sum1 += held - ring1[pos];
      ring1[pos] = held;
      const u = sum1 / half;
      sum2 += u - ring2[pos];
      ring2[pos] = u;
      pos = pos + 1 === half ? 0 : pos + 1;
      const env = Math.min(1, sum2 / half);
      const k = j - span + 1;
      if (k >= start && k < n) {
        out[k] *= env;
        if (env < deepest) deepest = env;
      }
    }
  }
  return { samples: out, reductionDb: deepest < 1 ? -20 * Math.log10(deepest) : 0 };
}

/** Most limiter passes before giving up on residual overshoot. */
const MAX_LIMIT_PASSES = 3;
/** Most gain corrections when limiting costs loudness. */
const MAX_GAIN_ROUNDS = 4;
/** Integrated loudness this close to the target (LU) is good enough. */
const LOUDNESS_TOLERANCE_LU = 0.05;

/**
 * Masters `samples` to `target` (default {@link LOUDNESS_PRESETS}.podcast: −16 LUFS, −1 dBTP).
 *
 * Measures the input, applies the gain that brings its integrated loudness to the target, and
 * limits true peaks to the ceiling with {@link limitTruePeak}. Limiting lowers the loudness a
 * little, so the gain is corrected and the limiter re-run (up to 4 rounds) until the result is
 * within 0.05 LU of the target or limiting stops paying off; `gainDb` is the final gain. When the
 * input cannot be measured (digital silence, or shorter than one 400 ms block) it is returned
 * unchanged — the same array — with `gainDb: 0` and `after` equal to `before`.
 *
 * About 1–2 s of CPU per hour of 22.05 kHz speech: run it off the main thread.
 *
 * @throws RangeError for a target outside −70…0 LUFS or −20…0 dBTP.
 */
export function masterToTarget(
  samples: Float32Array,
  sampleRate: number,
  target: LoudnessTarget = LOUDNESS_PRESETS.podcast,
): MasterResult {
  const { integratedLufs, truePeakDbtp } = target;
  if (!(integratedLufs >= -70 && integratedLufs <= 0)) {
    throw new RangeError(`masterToTarget: integratedLufs must be in −70…0, got ${integratedLufs}`);
  }
  if (!(truePeakDbtp >= -20 && truePeakDbtp <= 0)) {
    throw new RangeError(`masterToTarget: truePeakDbtp must be in −20…0, got ${truePeakDbtp}`);
  }
  const before = measureLoudness(samples, sampleRate);
  if (!Number.isFinite(before.integratedLufs)) {
    return { samples, before, after: before, gainDb: 0, limiterReductionDb: 0 };
  }

  let gainDb = integratedLufs - before.integratedLufs;
  let best: Omit<MasterResult, 'before'> | undefined;
  for (let round = 0; round < MAX_GAIN_ROUNDS; round++) {
    const limited = limitWithCheck(samples, sampleRate, truePeakDbtp, gainDb);
    const after = measureLoudness(limited.samples, sampleRate);
    const miss = integratedLufs - after.integratedLufs;
    if (!best || Math.abs(miss) < Math.abs(integratedLufs - best.after.integratedLufs)) {
      best = { samples: limited.samples, after, gainDb, limiterReductionDb: limited.reductionDb };
    }
    // Done when on target, or when the limiter is idle (then more gain would have been exact).
    if (Math.abs(miss) <= LOUDNESS_TOLERANCE_LU || limited.reductionDb === 0) break;
    gainDb += miss;
  }
  return { before, ...best! };
}

/**
 * {@link limitTruePeak} plus verification: where the moving gain let an interpolated peak slip a
 * hair over the ceiling, another pass (with no gain) takes it back down.
 */
function limitWithCheck(
  samples: Float32Array,
  sampleRate: number,
  ceilingDbtp: number,
  gainDb: number,
): LimiterResult {
  const ceiling = Math.pow(10, ceilingDbtp / 20);
  let result = limitTruePeak(samples, sampleRate, ceilingDbtp, { gainDb });
  for (let pass = 1; pass < MAX_LIMIT_PASSES && truePeak(result.samples, LIMITER_OVERSAMPLE, LIMITER_TAPS) > ceiling; pass++) {
    const again = limitTruePeak(result.samples, sampleRate, ceilingDbtp);
    result = { samples: again.samples, reductionDb: result.reductionDb + again.reductionDb };
  }
  return result;
}
