/**
 * The incremental mix engine: keeps the last mix of a project in memory (one buffer of final
 * samples, which outside the music bed's intro and outro are the speech itself, the plan, the
 * peaks and what each line contributed) and, when lines change, recomputes only what changed.
 * Lines after the change whose clip, gain and pause are unchanged are moved as a block (one
 * memmove of the tail, or of the head when that is shorter: the buffer has slack on both sides),
 * not summed again. The music bed is intro/outro
 * music anchored to the episode's start and end (see bed.ts), so the moved tail's bed, ducking
 * and outro are the previous ones shifted: with a bed only the changed span plus the ducking ramps
 * around it are re-mixed. Overview peaks of the moved part are assembled from each clip's own
 * stored peaks (computed once per clip, silence is 0); only the bed's intro and outro are
 * rescanned. The finer peak levels are tiles filled on request and dropped from the changed
 * sample on. {@link fullMix} is the reference the tests hold it to, sample for sample and peak
 * for peak.
 */
import { bedParts, bedRender, mixBedSpan, mixLoopedBedSpan, type BedParts, type BedRender } from './bed';
import type { BedMode } from '../../../shared/model/episode';
import { dbToGain, planMix, renderSpan, type MixPlanEntry } from './mixer';
import {
  computePeaks,
  peakBucketOf,
  PeakPyramid,
  segmentPeaks,
  updatePeaksFromSegments,
  type PlacedSegment,
  type SegmentPeaks,
} from './peaks';

/** One voiced line as the engine mixes it. */
export interface EngineLine {
  lineId: string;
  /** Identity of the clip's audio (its content hash). */
  hash: string;
  clip: Float32Array;
  gainDb: number;
  pauseAfterSec: number;
}

/** A music bed with its decoded samples (at the engine's rate). */
export interface EngineBed {
  /** Identity of the music (file name and size/mtime): a new key re-renders the whole bed. */
  key: string;
  music: Float32Array;
  gainDb: number;
  fadeInSec: number;
  fadeOutSec: number;
  duckDb: number;
  introSec: number;
  outroSec: number;
  /** Seconds the intro carries on under the first lines and the outro starts before the end. */
  underSec?: number;
  /** How the bed plays (default 'intro-outro'; see `BedMode`). */
  mode?: BedMode;
}

/** True when the bed loops under the whole episode (mode 'under-all'). */
function looped(bed: EngineBed): boolean {
  return bed.mode === 'under-all';
}

/** What a mix (full or incremental) produced. */
export interface EngineResult {
  /** The final mix (a view into the engine's buffer: copy before handing it away). */
  samples: Float32Array;
  /** One entry per line, in absolute samples (after the intro). */
  entries: MixPlanEntry[];
  peaks: number[];
  /** First sample that may differ from the previous result (0 for a full mix). */
  changedFrom: number;
  /** Samples actually rendered or re-mixed (not moved) by this update. */
  renderedSamples: number;
  /** Where the bed's intro and outro play (with a bed). */
  bedParts?: BedParts;
}

interface Layout {
  entries: MixPlanEntry[];
  total: number;
  intro: number;
  /** End of the speech (start of the outro alone). */
  speechEnd: number;
}

function layout(lines: readonly EngineLine[], bed: EngineBed | undefined, sampleRate: number): Layout {
  const plan = planMix(
    lines.map((l) => ({
      lineId: l.lineId,
      durationSec: l.clip.length / sampleRate,
      pauseAfterSec: l.pauseAfterSec,
    })),
    sampleRate,
  );
  const intro = bed ? Math.round(bed.introSec * sampleRate) : 0;
  const outro = bed ? Math.round(bed.outroSec * sampleRate) : 0;
  const entries = plan.entries.map((e) => {
    const startSample = e.startSample + intro;
    const endSample = e.endSample + intro;
    return {
      lineId: e.lineId,
      startSample,
      endSample,
      start: startSample / sampleRate,
      end: endSample / sampleRate,
    };
  });
  return { entries, total: intro + plan.totalSamples + outro, intro, speechEnd: intro + plan.totalSamples };
}

function bedSettingsKey(bed: EngineBed | undefined): string {
  return bed
    ? `${bed.key}|${bed.gainDb}|${bed.duckDb}|${bed.fadeInSec}|${bed.fadeOutSec}|${bed.underSec ?? ''}`
    : '';
}

function bedLayoutKey(bed: EngineBed | undefined): string {
  return bed ? `${bed.introSec}|${bed.outroSec}|${bed.mode ?? 'intro-outro'}` : 'none';
}

/** The whole mix from scratch: plan, speech, bed, clamp, peaks. The reference for the engine. */
export function fullMix(
  lines: readonly EngineLine[],
  bed: EngineBed | undefined,
  sampleRate: number,
  peaksPerSecond: number,
): EngineResult {
  const { entries, total, intro, speechEnd } = layout(lines, bed, sampleRate);
  const speech = new Float32Array(total);
  renderSpan(
    speech,
    lines.map((l) => l.clip),
    entries,
    lines.map((l) => dbToGain(l.gainDb)),
    0,
    total,
    0,
  );
  let samples = speech;
  let parts: BedParts | undefined;
  if (bed) {
    samples = new Float32Array(total);
    const render = bedRender(bed.music, bed, sampleRate);
    if (looped(bed)) mixLoopedBedSpan(samples, speech, render, entries, total, 0, total);
    else {
      parts = bedParts(render, intro, speechEnd, total);
      mixBedSpan(samples, speech, render, entries, parts, 0, total);
    }
  }
  return {
    ...(parts ? { bedParts: parts } : {}),
    samples,
    entries,
    peaks: computePeaks(samples, sampleRate, peaksPerSecond),
    changedFrom: 0,
    renderedSamples: total,
  };
}

/**
 * Pieces of the mix for the overview peaks: each line's clip (stored peaks) and, read from the
 * samples, the bed's intro and outro widened over any line they overlap (segments are sorted and
 * do not overlap).
 */
function peakSegments(
  entries: readonly MixPlanEntry[],
  parts: BedParts | undefined,
  peaksOf: (i: number) => SegmentPeaks,
): PlacedSegment[] {
  const out: PlacedSegment[] = [];
  const introEnd = parts ? parts.introEnd : 0;
  const outroStart = parts ? parts.outroStart : Infinity;
  let raw: PlacedSegment | undefined = introEnd > 0 ? { start: 0, end: introEnd } : undefined;
  let i = 0;
  for (; i < entries.length; i++) {
    const e = entries[i];
    if (e.endSample <= e.startSample) continue;
    // This line and every later one lie (at least partly) under the outro.
    if (e.endSample > outroStart) break;
    if (raw && e.startSample < raw.end) {
      raw.end = Math.max(raw.end, e.endSample);
      continue;
    }
    if (raw) out.push(raw);
    raw = undefined;
    out.push({ start: e.startSample, end: e.endSample, peaks: peaksOf(i) });
  }
  if (parts && outroStart < parts.total) {
    const start = i < entries.length ? Math.min(outroStart, entries[i].startSample) : outroStart;
    if (raw && start <= raw.end) raw.end = parts.total;
    else {
      if (raw) out.push(raw);
      raw = { start, end: parts.total };
    }
  }
  if (raw) out.push(raw);
  return out;
}

/** Keeps one project's last mix and updates it incrementally. */
export class MixEngine {
  private keys: string[] = [];
  private pauses: number[] = [];
  private entries: MixPlanEntry[] = [];
  private total = 0;
  /** The mix: sample `i` is `buf[base + i]` (slack on both sides for cheap moves). */
  private buf: Float32Array = new Float32Array(0);
  private base = 0;
  private parts: BedParts | undefined;
  private peaks: number[] = [];
  /** Peaks of each line's clip as it sits in the mix, by line key. */
  private segments = new Map<string, SegmentPeaks>();
  private readonly pyramid: PeakPyramid;
  private samples: Float32Array = new Float32Array(0);
  private bedKey = '';
  private bedLayout = 'none';
  private built = false;

  constructor(
    readonly sampleRate: number,
    readonly peaksPerSecond: number,
  ) {
    this.pyramid = new PeakPyramid(sampleRate);
  }

  /** Forgets the last mix (the next update renders everything). */
  reset(): void {
    this.built = false;
    this.keys = [];
    this.pauses = [];
    this.entries = [];
    this.total = 0;
    this.peaks = [];
    this.parts = undefined;
    this.segments = new Map();
    this.pyramid.clear();
    this.samples = new Float32Array(0);
  }

  /**
   * Quantized peaks (×1000) of buckets `[from, from + count)` of the level with `level` peaks per
   * second of the last mix, from cached tiles (built on first request, kept until an edit reaches
   * them).
   */
  peaksWindow(level: number, from: number, count: number): Uint16Array {
    return this.pyramid.window(this.samples, level, from, count);
  }

  /** Length in samples of the last mix. */
  get lastLength(): number {
    return this.samples.length;
  }

  /** Cached tiles of the finer peak levels (what an edit kept). */
  get peakTiles(): number {
    return this.pyramid.tileCount;
  }

  /**
   * Keeps `[0, p)` and moves `[oldFrom, oldTotal)` to start at `middleEnd` (whichever of head and
   * tail is shorter moves), growing the buffer if needed.
   */
  private move(p: number, oldFrom: number, oldTotal: number, middleEnd: number, total: number): void {
    const delta = middleEnd - oldFrom;
    const tailLen = oldTotal - oldFrom;
    const buf = this.buf;
    let base = this.base;
    if (delta === 0 && total <= this.buf.length - base) return;
    const tailFits = base + total <= this.buf.length;
    const headFits = base - delta >= 0 && base - delta + total <= this.buf.length;
    if (headFits && (p < tailLen || !tailFits)) {
      base -= delta;
      if (p > 0) buf.copyWithin(base, this.base, this.base + p);
    } else if (tailFits) {
      if (tailLen > 0) buf.copyWithin(base + middleEnd, base + oldFrom, base + oldTotal);
    } else {
      const slack = Math.ceil(total * 0.05) + this.sampleRate * 30;
      const grown = new Float32Array(total + 2 * slack);
      grown.set(buf.subarray(base, base + p), slack);
      grown.set(buf.subarray(base + oldFrom, base + oldTotal), slack + middleEnd);
      this.buf = grown;
      base = slack;
    }
    this.base = base;
  }

  /** Mixes `lines` (and `bed`), reusing everything before the first change and moving the tail. */
  update(lines: readonly EngineLine[], bed?: EngineBed): EngineResult {
    const sr = this.sampleRate;
    if (!this.built || bedLayoutKey(bed) !== this.bedLayout) this.reset();
    const next = layout(lines, bed, sr);
    const keys = lines.map((l) => `${l.hash}|${l.gainDb}|${l.clip.length}`);
    const pauses = lines.map((l) => Math.round(l.pauseAfterSec * sr));
    const n = lines.length;
    const m = this.keys.length;
    const oldEntries = this.entries;
    const oldTotal = this.total;

    let k = 0;
    while (k < n && k < m && keys[k] === this.keys[k] && (pauses[k] === this.pauses[k] || k === n - 1)) k++;
    const speechSame = k === n && n === m && next.total === oldTotal;
    let p: number;
    if (speechSame) p = next.total;
    else if (k < n && k < m && keys[k] === this.keys[k]) p = next.entries[k].endSample;
    else if (k < n) p = next.entries[k].startSample;
    else p = n > 0 ? next.entries[n - 1].endSample : next.intro;
    p = Math.min(p, oldTotal, next.total);

    // Longest run of lines at the end that only moved (same clip, gain, and pause but the last).
    let s = 0;
    while (
      s < n - k &&
      s < m - k &&
      keys[n - 1 - s] === this.keys[m - 1 - s] &&
      (s === 0 || pauses[n - 1 - s] === this.pauses[m - 1 - s])
    ) {
      s++;
    }
    while (s > 0 && (next.entries[n - s].startSample < p || oldEntries[m - s].startSample < p)) s--;
    const middleEnd = s > 0 ? next.entries[n - s].startSample : next.total;
    const oldFrom = s > 0 ? oldEntries[m - s].startSample : oldTotal;
    const delta = middleEnd - oldFrom;

    // One buffer holds the final mix: outside the bed's intro and outro it is the speech itself.
    this.move(p, oldFrom, oldTotal, middleEnd, next.total);
    const base = this.base;
    const mix = this.buf.subarray(base, base + next.total);
    const clips = lines.map((l) => l.clip);
    const gains = lines.map((l) => dbToGain(l.gainDb));
    mix.fill(0, p, middleEnd);
    renderSpan(mix, clips, next.entries, gains, p, middleEnd, Math.max(0, k - 1));
    let rendered = middleEnd - p;

    // Bed: re-mixed over a few ranges only. For an edit, [a, b): before a nothing changed (the
    // first changed sample less the ducking attack of a line starting there, or where the outro
    // now starts or used to); from b on, the moved lines' speech, ducking and the end-anchored
    // outro are the old ones shifted, already moved above (b is past the intro in the old and the
    // new mix and past the moved lines' start; a moved line's own ducking envelope is above the
    // release of the line before it, so no margin is needed). New bed settings re-mix the intro
    // and the outro only. Intro and outro meeting in a short episode move by half of any change,
    // so that case is re-mixed whole.
    const bedKey = bedSettingsKey(bed);
    let q = speechSame ? next.total : p;
    let parts: BedParts | undefined;
    if (bed) {
      const render: BedRender = bedRender(bed.music, bed, sr);
      const loop = looped(bed);
      parts = loop ? undefined : bedParts(render, next.intro, next.speechEnd, next.total);
      const old = this.parts;
      const ranges: [number, number][] = [];
      if (loop) {
        // Looped under everything: the music under a moved line is not the music it had, so from
        // the change (less the ducking attack and any fade-out that moved) to the end is re-mixed.
        // That is the price of this mode.
        if (bedKey !== this.bedKey || this.bedKey === '') ranges.push([0, next.total]);
        else if (!speechSame) {
          const from = Math.min(
            p - render.attack,
            oldTotal - render.loopFadeOut,
            next.total - render.loopFadeOut,
          );
          ranges.push([Math.max(0, from), next.total]);
        }
      } else if (!old || old.crossover || parts!.crossover) ranges.push([0, next.total]);
      else {
        if (!speechSame) {
          let from = Math.max(0, p - render.attack);
          if (old.outroStart !== parts!.outroStart) from = Math.min(from, old.outroStart, parts!.outroStart);
          const to = s > 0 ? Math.max(middleEnd, parts!.introEnd, old.introEnd + delta) : next.total;
          ranges.push([from, Math.min(next.total, to)]);
        }
        if (bedKey !== this.bedKey) {
          ranges.push([0, Math.max(old.introEnd, parts!.introEnd)]);
          const oldOutro = old.outroStart + next.total - oldTotal;
          ranges.push([Math.max(0, Math.min(oldOutro, parts!.outroStart)), next.total]);
        }
      }
      ranges.sort((x, y) => x[0] - y[0]);
      let at = 0;
      for (const [from, to] of ranges) {
        const lo = Math.max(from, at);
        if (to <= lo) continue;
        // The speech under the range, where the buffer still holds the old mix (with its bed).
        for (const [x, y] of [
          [lo, Math.min(to, p)],
          [Math.max(lo, middleEnd), to],
        ]) {
          if (y <= x) continue;
          mix.fill(0, x, y);
          renderSpan(mix, clips, next.entries, gains, x, y, 0);
        }
        if (loop) mixLoopedBedSpan(mix, mix, render, next.entries, next.total, lo, to);
        else mixBedSpan(mix, mix, render, next.entries, parts!, lo, to);
        rendered += to - lo;
        q = Math.min(q, lo);
        at = to;
      }
    }
    // Overview peaks from the first changed sample: clips from their stored peaks (built once per
    // clip where the mix is its speech), the bed's intro and outro read from the mix.
    if (!(speechSame && q >= next.total)) {
      const perBucket = sr / this.peaksPerSecond;
      const kept = new Map<string, SegmentPeaks>();
      // A looped bed is under every sample: the peaks are read from the mix.
      const placed =
        bed && looped(bed)
          ? [{ start: 0, end: next.total }]
          : peakSegments(next.entries, parts, (i) => {
              const e = next.entries[i];
              let seg = kept.get(keys[i]) ?? this.segments.get(keys[i]);
              seg ??= segmentPeaks(mix, e.startSample, e.endSample, perBucket);
              kept.set(keys[i], seg);
              return seg;
            });
      // Clips under the intro or outro keep their stored peaks for when they move out again.
      for (const key of keys) {
        const seg = this.segments.get(key);
        if (seg && !kept.has(key)) kept.set(key, seg);
      }
      this.segments = kept;
      const from = peakBucketOf(q, sr, this.peaksPerSecond);
      updatePeaksFromSegments(this.peaks, mix, placed, sr, this.peaksPerSecond, from);
    }
    this.pyramid.invalidateFrom(q);

    this.keys = keys;
    this.pauses = pauses;
    this.entries = next.entries;
    this.total = next.total;
    this.parts = parts;
    this.samples = mix;
    this.bedKey = bedKey;
    this.bedLayout = bedLayoutKey(bed);
    this.built = true;
    return {
      ...(parts ? { bedParts: parts } : {}),
      samples: mix,
      entries: next.entries,
      peaks: this.peaks,
      changedFrom: q,
      renderedSamples: rendered,
    };
  }
}
