/**
 * Loudness mastering: one gain to an integrated-loudness target, then a true-peak limiter that
 * keeps the oversampled peak under the ceiling with a smooth, look-ahead gain envelope (no hard
 * clipping), then a fresh measurement of the result.
 */
import {
  integratedLoudness,
  interSamplePeak,
  measureLoudness,
  truePeakKernel,
  type LoudnessReport,
} from './loudness';

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
   * Interpolate every interval that could exceed the ceiling, not only the waveform's turning
   * points near it. Slower on loud material; catches inter-sample peaks more than 3 dB above
   * both neighbouring samples, which take strong content near the Nyquist frequency. Default false.
   */
  thorough?: boolean;
}

/** What {@link limitTruePeak} returns. */
export interface LimiterResult {
  /** Gain, then limiting, applied: a new array as long as the input. */
  samples: Float32Array;
  /** Deepest gain reduction, dB (0 when the limiter never acted). */
  reductionDb: number;
}

/**
 * The gain envelope is computed on a grid of blocks this long (more than half the interpolation
 * filter) and interpolated in between; blocks also tell where there is work to do.
 */
const BLOCK_SHIFT = 4;
const BLOCK = 1 << BLOCK_SHIFT;
/**
 * By default inter-sample peaks are looked for at the waveform's turning points where a sample
 * beside them is at most this far below the ceiling (−3 dB). In espeak speech no inter-sample
 * peak rises more than 0.85 dB above the samples beside it; rising 3 dB above both takes strong
 * content near the Nyquist frequency, and the thorough mode finds that.
 */
const TURN_RANGE = Math.SQRT1_2;
/** Gains above this (−0.00001 dB) count as 1. */
const SNAP = 1 - 1e-6;

/**
 * Applies `gainDb`, then limits so the `oversample`× oversampled peak stays ≤ `ceilingDbtp`.
 *
 * Each sample needs the gain `ceiling / (its level, or the inter-sample peak beside it if that is
 * higher)`. The gain envelope is built from those needs on a grid of 16-sample blocks, in three
 * steps that keep it under every need while staying smooth: the lowest need over the next
 * `lookAheadMs` (a sliding minimum, so the gain is already down when a peak arrives), an
 * exponential recovery of `releaseMs`, and two moving averages of half the look-ahead each (a
 * triangular window, so no corners). An average of values each ≤ a need is itself ≤ that need,
 * and every grid point also respects the block before it, so the straight line between two grid
 * points stays under every sample's need: no peak is missed, and the gain moves by at most about
 * 1/(look-ahead in samples) per sample — nothing like the distortion of clipping.
 *
 * By default inter-sample peaks are looked for at the waveform's turning points (where the slope
 * changes sign) within 3 dB of the ceiling, which is fast and finds them in speech and music;
 * `thorough` looks everywhere a peak could be. Where the gain moves fastest an interpolated peak of the result can also sit a
 * few hundredths of a dB above the ceiling. {@link masterToTarget} re-measures and runs a
 * thorough second pass when either happens.
 */
export function limitTruePeak(
  samples: Float32Array,
  sampleRate: number,
  ceilingDbtp: number,
  { gainDb = 0, lookAheadMs = 5, releaseMs = 80, oversample = 8, thorough = false }: LimiterOptions = {},
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
  const kernel = truePeakKernel(oversample);
  const gain = Math.pow(10, gainDb / 20);
  const ceiling = Math.pow(10, ceilingDbtp / 20);
  const turnFloor = ceiling * TURN_RANGE;
  const n = samples.length;
  const blocks = (n >> BLOCK_SHIFT) + 1;

  // 0. The plain gain, and each block's loudest sample.
  const out = new Float32Array(n);
  const blockMax = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const end = Math.min(n, (b + 1) << BLOCK_SHIFT);
    let m = 0;
    for (let i = b << BLOCK_SHIFT; i < end; i++) {
      const v = samples[i] * gain;
      out[i] = v;
      if (v > m) m = v;
      else if (-v > m) m = -v;
    }
    blockMax[b] = m;
  }

  // 1. The gain each block needs (the lowest need of its samples).
  const need = new Float32Array(blocks).fill(1);
  const lower = (k: number, v: number): void => {
    if (k >= 0 && k < n && v > ceiling) {
      const g = ceiling / v;
      if (g < need[k >> BLOCK_SHIFT]) need[k >> BLOCK_SHIFT] = g;
    }
  };
  const level = (i: number): number => (i >= 0 && i < n ? Math.abs(out[i]) : 0);
  let limited = false;
  for (let b = 0; b < blocks; b++) {
    const start = b << BLOCK_SHIFT;
    const end = Math.min(n, start + BLOCK);
    // Intervals starting in this block end at most one sample into the next, and the
    // interpolation filter (16 taps) reaches at most one block either side.
    const next = b + 1 < blocks ? blockMax[b + 1] : 0;
    if (thorough) {
      const local = Math.max(blockMax[b], b > 0 ? blockMax[b - 1] : 0, next);
      if (local * kernel.gainBound <= ceiling) continue;
      for (let i = start; i < end; i++) {
        const v = level(i);
        if (v > ceiling) {
          lower(i, v);
          limited = true;
        }
        const near = Math.max(level(i - 1), v, level(i + 1), level(i + 2));
        if (near * kernel.coreBound + local * kernel.tailBound <= ceiling) continue;
        const p = gain * interSamplePeak(samples, i, kernel);
        if (p > ceiling) {
          lower(i, p);
          lower(i + 1, p);
          limited = true;
        }
      }
      continue;
    }
    if (blockMax[b] <= turnFloor && next <= turnFloor) continue; // nothing here nears the ceiling
    for (let i = start; i < end; i++) {
      const a = out[i];
      const v = a < 0 ? -a : a;
      if (v > ceiling) {
        lower(i, v);
        limited = true;
      }
      // Interval (i, i+1) holds a turning point of the waveform when the slope into it and the
      // slope out of it differ in sign: that is where an inter-sample peak can rise.
      const c = i + 1 < n ? out[i + 1] : 0;
      if (v <= turnFloor && (c < 0 ? -c : c) <= turnFloor) continue;
      const slopeIn = a - (i > 0 ? out[i - 1] : 0);
      const slopeOut = (i + 2 < n ? out[i + 2] : 0) - c;
      if ((slopeIn > 0 && slopeOut > 0) || (slopeIn < 0 && slopeOut < 0)) continue;
      const p = gain * interSamplePeak(samples, i, kernel);
      if (p > ceiling) {
        lower(i, p);
        lower(i + 1, p);
        limited = true;
      }
    }
  }
  if (!limited) return { samples: out, reductionDb: 0 };

  // 2. The envelope on the block grid: point b sits at sample b·BLOCK and must respect blocks b−1
  // and b (it is interpolated into both). Sliding minimum over `span` points, release, then two
  // moving averages of `half` points; point b then reads position b + span − 1 of the stream.
  const half = Math.max(1, Math.round((lookAheadMs / 2000) * (sampleRate / BLOCK)));
  const span = 2 * half - 1;
  const release = Math.exp(-(1000 * BLOCK) / (releaseMs * sampleRate));
  const points = blocks + 1;
  const env = new Float32Array(points);
  let cap = 1;
  while (cap < span + 1) cap <<= 1;
  const mask = cap - 1;
  const dequeIdx = new Int32Array(cap);
  const dequeVal = new Float64Array(cap);
  const ring1 = new Float64Array(half).fill(1);
  const ring2 = new Float64Array(half).fill(1);
  let sum1 = half;
  let sum2 = half;
  let pos = 0;
  let head = 0;
  let size = 0;
  let held = 1;
  for (let j = 0; j < points + span - 1; j++) {
    const a = j < blocks ? need[j] : 1;
    const b = j > 0 && j - 1 < blocks ? need[j - 1] : 1;
    const want = a < b ? a : b;
    while (size > 0 && dequeVal[(head + size - 1) & mask] >= want) size--;
    dequeIdx[(head + size) & mask] = j;
    dequeVal[(head + size) & mask] = want;
    size++;
    if (dequeIdx[head] <= j - span) {
      head = (head + 1) & mask;
      size--;
    }
    // Instant attack (the look-ahead already leads it), exponential release.
    const recovered = 1 - (1 - held) * release;
    held = dequeVal[head] < recovered ? dequeVal[head] : recovered;
    if (held > SNAP) held = 1; // an exponential never arrives; let the untouched blocks be skipped
    sum1 += held - ring1[pos];
    ring1[pos] = held;
    const u = sum1 / half;
    sum2 += u - ring2[pos];
    ring2[pos] = u;
    pos = pos + 1 === half ? 0 : pos + 1;
    const k = j - span + 1;
    if (k >= 0) env[k] = sum2 < half * SNAP ? sum2 / half : 1;
  }

  // 3. Apply, interpolating linearly between grid points; untouched blocks keep the plain gain.
  let deepest = 1;
  for (let b = 0; b < blocks; b++) {
    const e0 = env[b];
    const e1 = env[b + 1];
    if (e0 === 1 && e1 === 1) continue;
    if (e0 < deepest) deepest = e0;
    const start = b << BLOCK_SHIFT;
    const end = Math.min(n, start + BLOCK);
    const step = (e1 - e0) / BLOCK;
    for (let i = start; i < end; i++) out[i] *= e0 + (i - start) * step;
  }
  return { samples: out, reductionDb: deepest < 1 ? -20 * Math.log10(deepest) : 0 };
}

/** Most limiter passes before giving up on residual overshoot. */
const MAX_LIMIT_PASSES = 3;
/** Most gain settings tried when limiting costs loudness. */
const MAX_GAIN_ROUNDS = 5;
/** Integrated loudness this close to the target (LU) is good enough. */
const LOUDNESS_TOLERANCE_LU = 0.1;
/**
 * The limiter aims this far under the requested ceiling, so meters that oversample more finely
 * than our 4× meter (ffmpeg resamples to 192 kHz) still read at or under the ceiling.
 */
const CEILING_MARGIN_DB = 0.05;
/** Overshoot of the limiter's ceiling (measured by the 4× meter) that triggers another pass. */
const OVERSHOOT_DB = 0.01;

/**
 * Masters `samples` to `target` (default {@link LOUDNESS_PRESETS}.podcast: −16 LUFS, −1 dBTP).
 *
 * Measures the input, applies the gain that brings its integrated loudness to the target, and
 * limits true peaks with {@link limitTruePeak} to 0.05 dB under the ceiling (the margin keeps
 * finer meters, such as ffmpeg's 192 kHz one, under the ceiling too). Limiting lowers the
 * loudness a little, so the gain is corrected (secant steps, up to 5 tries) until the result is
 * within 0.1 LU of the target; when heavy limiting keeps it out of reach the closest try wins.
 * `gainDb` is the gain finally applied ahead of the limiter. The result is measured in full; if an
 * interpolated peak still pokes over the ceiling, a thorough extra limiter pass removes it.
 *
 * When the input cannot be measured (digital silence, or shorter than one 400 ms block) it is
 * returned unchanged — the same array — with `gainDb: 0` and `after` equal to `before`.
 *
 * Costs a few seconds of CPU per hour of 22.05 kHz speech: run it off the main thread.
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

  const ceilingDb = truePeakDbtp - CEILING_MARGIN_DB;
  const tries: { gainDb: number; lufs: number; limited: LimiterResult }[] = [];
  let gainDb = integratedLufs - before.integratedLufs;
  for (let round = 0; round < MAX_GAIN_ROUNDS; round++) {
    const limited = limitTruePeak(samples, sampleRate, ceilingDb, { gainDb });
    // Without limiting the gain alone is exact: loudness is linear in it.
    const lufs =
      limited.reductionDb === 0
        ? before.integratedLufs + gainDb
        : integratedLoudness(limited.samples, sampleRate);
    tries.push({ gainDb, lufs, limited });
    const miss = integratedLufs - lufs;
    if (Math.abs(miss) <= LOUDNESS_TOLERANCE_LU || limited.reductionDb === 0) break;
    // Step along loudness(gain), whose slope limiting pulls below 1. First guess: the loss grows
    // about quadratically from where limiting starts (`reductionDb` below the current gain), so
    // the slope is 1 − 2·loss/reduction; after that, secant steps.
    let slope = 1 - (2 * miss) / limited.reductionDb;
    if (tries.length > 1) {
      const p = tries[tries.length - 2];
      slope = (lufs - p.lufs) / (gainDb - p.gainDb);
    }
    gainDb += Math.min(miss / Math.min(1, Math.max(0.2, slope)), 6);
  }
  const best = tries.reduce((a, b) =>
    Math.abs(b.lufs - integratedLufs) < Math.abs(a.lufs - integratedLufs) ? b : a,
  );

  let limited = best.limited;
  let reductionDb = limited.reductionDb;
  let after = measureLoudness(limited.samples, sampleRate);
  for (let pass = 1; pass < MAX_LIMIT_PASSES && after.truePeakDbtp > ceilingDb + OVERSHOOT_DB; pass++) {
    limited = limitTruePeak(limited.samples, sampleRate, ceilingDb, { thorough: true });
    reductionDb += limited.reductionDb;
    after = measureLoudness(limited.samples, sampleRate);
  }
  return { samples: limited.samples, before, after, gainDb: best.gainDb, limiterReductionDb: reductionDb };
}
