/**
 * The incremental mix engine: keeps the last mix of a project in memory (speech samples, the
 * final samples with the music bed, the plan, the peaks and what each line contributed) and, when
 * lines change, recomputes only from the first changed sample. Lines after the change whose clip,
 * gain and pause are unchanged are moved as a block (one memmove of the tail, or of the head when
 * that is shorter: the speech buffer has slack on both sides), not summed again. Without a bed the
 * peaks of the moved part are assembled from each clip's own stored peaks (computed once per clip,
 * silence is 0) rather than rescanned. With a bed, the bed (looped from the mix's first sample),
 * its ducking and the peaks are recomputed from the change on: a moved line moves the speech but
 * not the music under it, so every bed sample after the change is new. {@link fullMix} is the
 * reference the tests hold it to, sample for sample and peak for peak.
 */
import { bedRender, mixBedSpan, type BedRender } from './bed';
import { dbToGain, planMix, renderSpan, type MixPlanEntry } from './mixer';
import {
  computePeaks,
  peakBucketOf,
  segmentPeaks,
  updatePeaks,
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
}

interface Layout {
  entries: MixPlanEntry[];
  total: number;
  intro: number;
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
  return { entries, total: intro + plan.totalSamples + outro, intro };
}

function bedSettingsKey(bed: EngineBed | undefined): string {
  return bed ? `${bed.key}|${bed.gainDb}|${bed.duckDb}|${bed.fadeInSec}|${bed.fadeOutSec}` : '';
}

function bedLayoutKey(bed: EngineBed | undefined): string {
  return bed ? `${bed.introSec}|${bed.outroSec}` : 'none';
}

/** The whole mix from scratch: plan, speech, bed, clamp, peaks. The reference for the engine. */
export function fullMix(
  lines: readonly EngineLine[],
  bed: EngineBed | undefined,
  sampleRate: number,
  peaksPerSecond: number,
): EngineResult {
  const { entries, total } = layout(lines, bed, sampleRate);
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
  if (bed) {
    samples = new Float32Array(total);
    mixBedSpan(samples, speech, bedRender(bed.music, bed, sampleRate), entries, total, 0, total);
  }
  return {
    samples,
    entries,
    peaks: computePeaks(samples, sampleRate, peaksPerSecond),
    changedFrom: 0,
    renderedSamples: total,
  };
}

/** Keeps one project's last mix and updates it incrementally. */
export class MixEngine {
  private keys: string[] = [];
  private pauses: number[] = [];
  private entries: MixPlanEntry[] = [];
  private total = 0;
  /** Speech of the mix: sample `i` is `buf[base + i]` (slack on both sides for cheap moves). */
  private buf = new Float32Array(0);
  private base = 0;
  /** The final mix with the bed (undefined without a bed: the final mix is the speech). */
  private final: Float32Array | undefined;
  private peaks: number[] = [];
  /** Peaks of each line's clip as it sits in the mix, by line key (no bed only). */
  private segments = new Map<string, SegmentPeaks>();
  private bedKey = '';
  private bedLayout = 'none';
  private built = false;

  constructor(
    readonly sampleRate: number,
    readonly peaksPerSecond: number,
  ) {}

  /** Forgets the last mix (the next update renders everything). */
  reset(): void {
    this.built = false;
    this.keys = [];
    this.pauses = [];
    this.entries = [];
    this.total = 0;
    this.peaks = [];
    this.segments = new Map();
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

    // Speech: keep [0, p), move the tail to middleEnd, render [p, middleEnd). Moving the tail
    // right is the same as moving the head left, so whichever is shorter moves (one memmove).
    const delta = middleEnd - oldFrom;
    const tailLen = oldTotal - oldFrom;
    let base = this.base;
    if (delta !== 0 || next.total > this.buf.length - base) {
      const tailFits = base + next.total <= this.buf.length;
      const headFits = base - delta >= 0 && base - delta + next.total <= this.buf.length;
      if (headFits && (p < tailLen || !tailFits)) {
        base -= delta;
        if (p > 0) this.buf.copyWithin(base, this.base, this.base + p);
      } else if (tailFits) {
        if (tailLen > 0) this.buf.copyWithin(base + middleEnd, base + oldFrom, base + oldTotal);
      } else {
        const slack = Math.ceil(next.total * 0.05) + sr * 30;
        const grown = new Float32Array(next.total + 2 * slack);
        grown.set(this.buf.subarray(base, base + p), slack);
        grown.set(this.buf.subarray(base + oldFrom, base + oldTotal), slack + middleEnd);
        this.buf = grown;
        base = slack;
      }
      this.base = base;
    }
    const speech = this.buf.subarray(base, base + next.total);
    speech.fill(0, p, middleEnd);
    renderSpan(
      speech,
      lines.map((l) => l.clip),
      next.entries,
      lines.map((l) => dbToGain(l.gainDb)),
      p,
      middleEnd,
      Math.max(0, k - 1),
    );
    let rendered = middleEnd - p;

    // Bed: re-mixed from just before the change (the ducking ramp of the changed line) to the end.
    // The bed loops from sample 0 of the mix, so every sample after a moved line changes: this
    // part (and its peaks) cannot be moved and is recomputed from the change on.
    let q = p;
    const bedKey = bedSettingsKey(bed);
    let samples: Float32Array = speech;
    if (bed) {
      const render: BedRender = bedRender(bed.music, bed, sr);
      q =
        bedKey !== this.bedKey
          ? 0
          : Math.max(0, Math.min(p - render.attack, oldTotal - render.fadeOut, next.total - render.fadeOut));
      if (!this.final || next.total > this.final.length) {
        const grown = new Float32Array(Math.max(next.total, this.buf.length));
        if (this.final) grown.set(this.final.subarray(0, q));
        this.final = grown;
      }
      mixBedSpan(this.final, speech, render, next.entries, next.total, q, next.total);
      rendered += next.total - q;
      samples = this.final.subarray(0, next.total);
      if (!(speechSame && bedKey === this.bedKey)) {
        updatePeaks(this.peaks, samples, sr, this.peaksPerSecond, peakBucketOf(q, sr, this.peaksPerSecond));
      }
    } else {
      this.final = undefined;
      // Without a bed the mix is silence plus the lines' clips: peaks come from each clip's stored
      // peaks (built once per clip), realigned to where it now sits, not from its samples.
      if (!speechSame) {
        const perBucket = sr / this.peaksPerSecond;
        const kept = new Map<string, SegmentPeaks>();
        const placed: PlacedSegment[] = [];
        for (let i = 0; i < n; i++) {
          const e = next.entries[i];
          if (e.endSample <= e.startSample) continue;
          let seg = kept.get(keys[i]) ?? this.segments.get(keys[i]);
          seg ??= segmentPeaks(speech, e.startSample, e.endSample, perBucket);
          kept.set(keys[i], seg);
          placed.push({ start: e.startSample, end: e.endSample, peaks: seg });
        }
        this.segments = kept;
        const from = peakBucketOf(p, sr, this.peaksPerSecond);
        updatePeaksFromSegments(this.peaks, speech, placed, sr, this.peaksPerSecond, from);
      }
    }

    this.keys = keys;
    this.pauses = pauses;
    this.entries = next.entries;
    this.total = next.total;
    this.bedKey = bedKey;
    this.bedLayout = bedLayoutKey(bed);
    this.built = true;
    return { samples, entries: next.entries, peaks: this.peaks, changedFrom: q, renderedSamples: rendered };
  }
}
