/**
 * Music bed, in one of two modes (`BedMode` in the episode model).
 *
 * Mode 'under-all' (every bed saved before format 3): the music looped from the mix's first
 * sample under the whole episode, faded in and out over the first and last samples, ducked under
 * speech ({@link mixLoopedBedSpan}). Its price: the music under a line depends on where the line
 * starts, so after an edit that moves later lines everything from the edit on is re-mixed.
 *
 * Mode 'intro-outro' (the default for new beds): intro and outro music, as issue #6 and the episode model describe it ("intro alone,
 * ducked under speech, outro alone").
 *
 * - The intro part is anchored to the start: the music plays from its first sample at the
 *   episode's first sample, fades in, plays alone for `introSec`, carries on ducked under the
 *   opening lines for `underSec` and fades out (the fade ends `underSec` after the first line
 *   starts).
 * - The outro part is anchored to the end: the music's last sample lands on the episode's last
 *   sample (a track with an ending ends the show), it fades in `underSec` before the last line
 *   ends, ducked under the closing lines, plays alone for `outroSec` and fades out.
 * - Between them the bed is silent, as in most news shows.
 *
 * Why not a loop under the whole hour: a loop anchored at 0 puts different music under every later
 * line as soon as one line's length changes, so re-mixing after one edit meant re-mixing the rest
 * of the hour (1/16 … 1/2 of a full mix). A bed anchored per line would move with the speech but
 * restart the music every few seconds, which no producer would ship. With intro/outro anchoring,
 * everything after an edit (speech, ducking, outro) is the previous audio shifted by the change
 * in length, so the engine moves it as a block, and the result still equals a full mix sample for
 * sample. Every fade is at least {@link MIN_FADE_SEC}, so the music never starts or stops with a
 * click. Every value is a pure function of the sample index and the layout, so a span computed
 * alone equals that span of a whole render.
 */
import { DEFAULT_BED_UNDER_SEC } from '../../../shared/model/episode';
import type { MixPlanEntry } from './mixer';
import { dbToGain } from './mixer';

/** Ducking envelope timing: ramps down before speech, back up after it. */
export const DUCK_ATTACK_SEC = 0.25;
export const DUCK_RELEASE_SEC = 0.6;

/** Seconds the intro music carries on under the first lines (and the outro starts before the end). */
export const DEFAULT_UNDER_SEC = DEFAULT_BED_UNDER_SEC;

/** Shortest fade at either end of a part of the bed (a 0 s fade would click). */
export const MIN_FADE_SEC = 0.01;

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
  /** Samples the intro carries on under the speech (and the outro starts before its end). */
  under: number;
  /** Fades of the looped mode, as that mode always rounded them (no minimum: 0 s is no fade). */
  loopFadeIn: number;
  loopFadeOut: number;
}

/** Bed settings as the episode stores them (seconds, dB). */
export interface BedSettings {
  gainDb: number;
  duckDb: number;
  fadeInSec: number;
  fadeOutSec: number;
  underSec?: number;
}

/** The bed's settings in samples and linear gains at `sampleRate` (fades at least {@link MIN_FADE_SEC}). */
export function bedRender(music: Float32Array, s: BedSettings, sampleRate: number): BedRender {
  const minFade = Math.max(1, Math.round(MIN_FADE_SEC * sampleRate));
  return {
    music,
    gain: dbToGain(s.gainDb),
    duck: dbToGain(s.duckDb),
    fadeIn: Math.max(minFade, Math.round(s.fadeInSec * sampleRate)),
    fadeOut: Math.max(minFade, Math.round(s.fadeOutSec * sampleRate)),
    attack: Math.max(1, Math.round(DUCK_ATTACK_SEC * sampleRate)),
    release: Math.max(1, Math.round(DUCK_RELEASE_SEC * sampleRate)),
    under: Math.max(0, Math.round((s.underSec ?? DEFAULT_UNDER_SEC) * sampleRate)),
    loopFadeIn: Math.round(s.fadeInSec * sampleRate),
    loopFadeOut: Math.round(s.fadeOutSec * sampleRate),
  };
}

/**
 * Where the two parts of the bed play: intro `[0, introEnd)`, outro `[outroStart, total)`. When
 * the speech is too short for both, they meet half-way through it (`crossover`): the intro fades
 * out and the outro fades in there, and the outro no longer moves with the end alone.
 */
export interface BedParts {
  introEnd: number;
  outroStart: number;
  total: number;
  crossover: boolean;
}

/**
 * The parts of the bed for a mix of `total` samples whose speech runs from `speechStart` (the
 * intro's length) to `speechEnd` (`total` minus the outro's length).
 */
export function bedParts(bed: BedRender, speechStart: number, speechEnd: number, total: number): BedParts {
  const introEnd = speechStart + bed.under;
  const outroStart = speechEnd - bed.under;
  if (introEnd <= outroStart) return { introEnd, outroStart, total, crossover: false };
  const mid = Math.floor((speechStart + speechEnd) / 2);
  return { introEnd: mid, outroStart: mid, total, crossover: true };
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
 * Adds one part of the bed to `out[a, b)` (which holds the clamped speech): music sample
 * `m0 + (i − a)` (looped), times the gain, a linear fade in over `fadeIn` samples from `partStart`
 * and out over `fadeOut` samples to `partEnd` (shortened to fit the part), and the ducking.
 */
function addPart(
  out: Float32Array,
  bed: BedRender,
  plan: readonly MixPlanEntry[],
  partStart: number,
  partEnd: number,
  musicAtStart: number,
  a: number,
  b: number,
): void {
  const CHUNK = 65536;
  const { music, gain, duck } = bed;
  const len = music.length;
  if (len === 0 || b <= a) return;
  const half = Math.max(1, Math.floor((partEnd - partStart) / 2));
  const fadeIn = Math.min(bed.fadeIn, half);
  const fadeOut = Math.min(bed.fadeOut, half);
  const fadeInEnd = partStart + fadeIn;
  const fadeOutStart = partEnd - fadeOut;
  const w = new Float32Array(Math.min(CHUNK, b - a));
  for (let c = a; c < b; c += CHUNK) {
    const end = Math.min(b, c + CHUNK);
    duckWeights(plan, c, end, bed.attack, bed.release, w);
    let m = (((musicAtStart + (c - partStart)) % len) + len) % len;
    for (let i = c; i < end; i++) {
      let g = gain * (1 - (1 - duck) * w[i - c]);
      if (i < fadeInEnd) g *= (i - partStart) / fadeIn;
      if (i >= fadeOutStart) g *= (partEnd - i) / fadeOut;
      const s = out[i] + music[m] * g;
      out[i] = s > 1 ? 1 : s < -1 ? -1 : s;
      if (++m === len) m = 0;
    }
  }
}

/**
 * Writes `clamp(speech + bed)` for `[from, to)` into `out`: the intro part (music from its first
 * sample at sample 0) and the outro part (music ending on the last sample), each faded and ducked
 * under speech; between the parts the mix is the speech itself.
 */
export function mixBedSpan(
  out: Float32Array,
  speech: Float32Array,
  bed: BedRender,
  plan: readonly MixPlanEntry[],
  parts: BedParts,
  from: number,
  to: number,
): void {
  if (to <= from) return;
  out.set(speech.subarray(from, to), from);
  const { introEnd, outroStart, total } = parts;
  addPart(out, bed, plan, 0, introEnd, 0, Math.max(from, 0), Math.min(to, introEnd));
  // The outro's music is aligned so its last sample falls on the mix's last sample.
  const len = bed.music.length;
  const musicAtOutro = len - ((total - outroStart) % len || len);
  addPart(out, bed, plan, outroStart, total, musicAtOutro, Math.max(from, outroStart), Math.min(to, total));
}

/**
 * Mode 'under-all': writes `clamp(speech + bed)` for `[from, to)` into `out` with the bed looped
 * from sample 0, faded in over the first `loopFadeIn` samples and out over the last `loopFadeOut`
 * of `total`, ducked under speech. The formula of every bed before format 3, kept sample for
 * sample so old projects sound as they did. `out` may be `speech` (each sample is read before it
 * is written).
 */
export function mixLoopedBedSpan(
  out: Float32Array,
  speech: Float32Array,
  bed: BedRender,
  plan: readonly MixPlanEntry[],
  total: number,
  from: number,
  to: number,
): void {
  const CHUNK = 65536;
  const { music, gain, duck, loopFadeIn: fadeIn, loopFadeOut: fadeOut } = bed;
  const len = music.length;
  if (to <= from) return;
  if (len === 0) {
    if (out !== speech) out.set(speech.subarray(from, to), from);
    return;
  }
  const w = new Float32Array(Math.min(CHUNK, to - from));
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
