/**
 * Music bed: the bed looped under the whole episode with a fade in and out, ducked under speech by
 * a smooth envelope built from the speech regions (a raised-cosine attack that starts ducking just
 * before a line and a slower release after it). Every value is a pure function of the sample
 * index and the regions, so a span computed alone equals that span of a whole render.
 */
import type { MixPlanEntry } from './mixer';
import { dbToGain } from './mixer';

/** Ducking envelope timing: ramps down before speech, back up after it. */
export const DUCK_ATTACK_SEC = 0.25;
export const DUCK_RELEASE_SEC = 0.6;

/** Bed settings in samples and linear gains. */
export interface BedRender {
  music: Float32Array;
  gain: number;
  /** Linear gain under speech (e.g. −12 dB → 0.251). */
  duck: number;
  fadeIn: number;
  fadeOut: number;
  attack: number;
  release: number;
}

export function bedRender(
  music: Float32Array,
  s: { gainDb: number; duckDb: number; fadeInSec: number; fadeOutSec: number },
  sampleRate: number,
): BedRender {
  return {
    music,
    gain: dbToGain(s.gainDb),
    duck: dbToGain(s.duckDb),
    fadeIn: Math.round(s.fadeInSec * sampleRate),
    fadeOut: Math.round(s.fadeOutSec * sampleRate),
    attack: Math.max(1, Math.round(DUCK_ATTACK_SEC * sampleRate)),
    release: Math.max(1, Math.round(DUCK_RELEASE_SEC * sampleRate)),
  };
}

function smooth(x: number): number {
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

/** First entry whose release could reach `at` (entries are sorted and do not overlap). */
function firstEntryNear(plan: readonly MixPlanEntry[], at: number): number {
  let lo = 0;
  let hi = plan.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (plan[mid].endSample < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Ducking weight 0..1 of `[from, to)` into `w` (index 0 = sample `from`): 1 inside speech, a
 * raised-cosine ramp `attack` samples before each region and `release` after; overlapping ramps
 * take the larger weight.
 */
export function duckWeights(
  plan: readonly MixPlanEntry[],
  from: number,
  to: number,
  attack: number,
  release: number,
  w: Float32Array,
): void {
  w.fill(0, 0, to - from);
  for (let i = firstEntryNear(plan, from - release); i < plan.length; i++) {
    const e = plan[i];
    if (e.startSample - attack >= to) break;
    const a0 = Math.max(from, e.startSample - attack);
    const a1 = Math.min(to, e.startSample);
    for (let j = a0; j < a1; j++) {
      const v = smooth((j - (e.startSample - attack)) / attack);
      if (v > w[j - from]) w[j - from] = v;
    }
    const s0 = Math.max(from, e.startSample);
    const s1 = Math.min(to, e.endSample);
    if (s1 > s0) w.fill(1, s0 - from, s1 - from);
    const r0 = Math.max(from, e.endSample);
    const r1 = Math.min(to, e.endSample + release);
    for (let j = r0; j < r1; j++) {
      const v = smooth(1 - (j - e.endSample) / release);
      if (v > w[j - from]) w[j - from] = v;
    }
  }
}

/**
 * Writes `clamp(speech + bed)` for `[from, to)` into `out`: the bed looped from sample 0, faded in
 * over the first `fadeIn` samples and out over the last `fadeOut` of `total`, ducked under speech.
 */
export function mixBedSpan(
  out: Float32Array,
  speech: Float32Array,
  bed: BedRender,
  plan: readonly MixPlanEntry[],
  total: number,
  from: number,
  to: number,
): void {
  const CHUNK = 65536;
  const w = new Float32Array(Math.min(CHUNK, Math.max(0, to - from)));
  const { music, gain, duck, fadeIn, fadeOut } = bed;
  const len = music.length;
  const fadeOutStart = total - fadeOut;
  for (let c = from; c < to; c += CHUNK) {
    const end = Math.min(to, c + CHUNK);
    duckWeights(plan, c, end, bed.attack, bed.release, w);
    let m = c % len;
    for (let i = c; i < end; i++) {
      let g = gain * (1 - (1 - duck) * w[i - c]);
      if (i < fadeIn) g *= i / fadeIn;
      if (i >= fadeOutStart) g *= (total - i) / fadeOut;
      const s = speech[i] + music[m] * g;
      out[i] = s > 1 ? 1 : s < -1 ? -1 : s;
      if (++m === len) m = 0;
    }
  }
}
