/**
 * The episode mix: clips laid end to end with a pause after each, planned in whole samples so
 * positions never drift and the timeline, the MP3 and the transcript agree to the sample.
 */

/** One line to place in the mix. */
export interface MixItem {
  lineId: string;
  /** Clip length in seconds (rounded to whole samples). */
  durationSec: number;
  /** Silence after this clip, in seconds; ignored after the last clip. */
  pauseAfterSec: number;
}

/** Where one clip sits in the mix: `[startSample, endSample)` and the same in seconds. */
export interface MixPlanEntry {
  lineId: string;
  startSample: number;
  endSample: number;
  start: number;
  end: number;
}

/** The mix layout: one entry per input item, in order, plus the total length. */
export interface MixPlan {
  entries: MixPlanEntry[];
  totalSamples: number;
  durationSec: number;
  sampleRate: number;
}

/**
 * Lays `items` end to end, each followed by its pause (nothing is appended after the last one).
 * Every length is rounded to whole samples once, and positions are sums of those integers.
 */
export function planMix(items: readonly MixItem[], sampleRate: number): MixPlan {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`planMix: sample rate must be a positive integer, got ${sampleRate}`);
  }
  const entries: MixPlanEntry[] = [];
  let cursor = 0;
  items.forEach((item, i) => {
    for (const key of ['durationSec', 'pauseAfterSec'] as const) {
      if (!Number.isFinite(item[key]) || item[key] < 0) {
        throw new RangeError(`planMix: ${key} of line ${item.lineId} must be a finite number ≥ 0`);
      }
    }
    const startSample = cursor;
    const endSample = startSample + Math.round(item.durationSec * sampleRate);
    entries.push({
      lineId: item.lineId,
      startSample,
      endSample,
      start: startSample / sampleRate,
      end: endSample / sampleRate,
    });
    cursor = i === items.length - 1 ? endSample : endSample + Math.round(item.pauseAfterSec * sampleRate);
  });
  return { entries, totalSamples: cursor, durationSec: cursor / sampleRate, sampleRate };
}

/**
 * Renders the mix: `clips[i]` (times `gains[i]`, linear, default 1) is summed into
 * `[entries[i].startSample, entries[i].endSample)` (a longer clip is cut at its slot's end, a
 * shorter one leaves the rest silent), then every sample is clamped to [-1, 1] so overlaps or hot
 * clips never wrap around in the encoder.
 */
export function renderMix(
  clips: readonly Float32Array[],
  plan: readonly MixPlanEntry[],
  totalSamples: number,
  gains?: readonly number[],
): Float32Array {
  if (clips.length !== plan.length) {
    throw new RangeError(`renderMix: ${clips.length} clips for ${plan.length} plan entries`);
  }
  const out = new Float32Array(totalSamples);
  renderSpan(out, clips, plan, gains, 0, totalSamples, 0);
  return out;
}

/**
 * Renders `[from, to)` of a mix into `out` (which must be zero there): the same arithmetic as
 * {@link renderMix}, so a span rendered alone equals that span of a whole render, sample for
 * sample. `firstEntry` skips entries known to end before `from`.
 */
export function renderSpan(
  out: Float32Array,
  clips: readonly Float32Array[],
  plan: readonly MixPlanEntry[],
  gains: readonly number[] | undefined,
  from: number,
  to: number,
  firstEntry: number,
): void {
  for (let i = firstEntry; i < plan.length; i++) {
    const entry = plan[i];
    if (entry.startSample >= to) break;
    const clip = clips[i];
    const g = gains?.[i] ?? 1;
    const a = Math.max(from, entry.startSample);
    const b = Math.min(to, entry.endSample, entry.startSample + clip.length);
    const off = entry.startSample;
    if (g === 1) for (let j = a; j < b; j++) out[j] += clip[j - off];
    else for (let j = a; j < b; j++) out[j] += clip[j - off] * g;
  }
  clampSpan(out, from, to);
}

/** Clamps `[from, to)` to [-1, 1]; NaN (from a broken clip) becomes silence, not noise. */
export function clampSpan(out: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const s = out[i];
    if (s > 1) out[i] = 1;
    else if (s < -1) out[i] = -1;
    else if (s !== s) out[i] = 0;
  }
}

/** Linear gain of a level in dB (0 dB → exactly 1). */
export function dbToGain(db: number | undefined): number {
  return db === undefined || db === 0 ? 1 : Math.pow(10, db / 20);
}
