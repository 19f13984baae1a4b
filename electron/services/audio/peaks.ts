/**
 * Waveform peaks for the timeline, computed once in the back end so the page never decodes audio.
 *
 * Bucket `b` of a level with `pps` peaks per second covers samples
 * `[floor(b·sr/pps), floor((b+1)·sr/pps))` in exact integer arithmetic, so when one level's rate
 * divides another's (20, 100, 500, 2000 per second) every coarse bucket is exactly the union of
 * its fine buckets and its peak is their maximum (the pyramid is consistent by construction).
 */

/** First sample of peak bucket `b` (integer arithmetic, exact for any realistic length). */
export function bucketStart(b: number, sampleRate: number, peaksPerSecond: number): number {
  return Math.floor((b * sampleRate) / peaksPerSecond);
}

/** Number of peak buckets of `length` samples. */
export function bucketCount(length: number, sampleRate: number, peaksPerSecond: number): number {
  return Math.ceil((length * peaksPerSecond) / sampleRate);
}

/**
 * Returns the largest magnitude `|x|` in each bucket of `sampleRate / peaksPerSecond` samples
 * (the last bucket may be shorter), clamped to 1 and rounded to 3 decimals to keep JSON small.
 */
export function computePeaks(samples: Float32Array, sampleRate: number, peaksPerSecond: number): number[] {
  const peaks: number[] = [];
  updatePeaks(peaks, samples, sampleRate, peaksPerSecond, 0);
  return peaks;
}

/** Index of the first peak bucket that reads sample `at` or later, for {@link updatePeaks}. */
export function peakBucketOf(at: number, sampleRate: number, peaksPerSecond: number): number {
  let b = Math.max(0, Math.floor((at * peaksPerSecond) / sampleRate));
  while (b > 0 && bucketStart(b, sampleRate, peaksPerSecond) > at) b--;
  return b;
}

/**
 * Brings `peaks` (the peaks of an earlier version of `samples`) up to date from bucket
 * `fromBucket` on: the buckets before it are kept, the rest are recomputed and the array is cut
 * or grown to the new length. With `fromBucket` 0 this is {@link computePeaks}.
 */
export function updatePeaks(
  peaks: number[],
  samples: Float32Array,
  sampleRate: number,
  peaksPerSecond: number,
  fromBucket: number,
): void {
  const { count, from } = resizeForUpdate(peaks, samples.length, sampleRate, peaksPerSecond, fromBucket);
  const q = quantizedPeaks(samples, sampleRate, peaksPerSecond, from, count - from);
  for (let b = from; b < count; b++) peaks[b] = q[b - from] / 1000;
}

/**
 * Quantized peaks (×1000, 0..1000) of buckets `[from, from + count)` of `samples` (clipped to the
 * buckets that exist): the scan every level of the pyramid and {@link updatePeaks} share.
 */
export function quantizedPeaks(
  samples: Float32Array,
  sampleRate: number,
  peaksPerSecond: number,
  from: number,
  count: number,
): Uint16Array {
  const total = bucketCount(samples.length, sampleRate, peaksPerSecond);
  const n = Math.max(0, Math.min(count, total - from));
  const out = new Uint16Array(n);
  for (let j = 0; j < n; j++) {
    const b = from + j;
    // Fractional bucket sizes are spread by flooring the boundaries, so no sample is skipped.
    const lo = bucketStart(b, sampleRate, peaksPerSecond);
    const hi = b === total - 1 ? samples.length : bucketStart(b + 1, sampleRate, peaksPerSecond);
    let max = 0;
    for (let i = lo; i < hi; i++) {
      const x = samples[i];
      const a = x < 0 ? -x : x;
      if (a > max) max = a;
    }
    out[j] = max > 0 ? quantize(max) : 0;
  }
  return out;
}

/** Quantized peak of one magnitude, as {@link updatePeaks} stores it ×1000 (0..1000). */
function quantize(max: number): number {
  return Math.round(Math.min(1, max) * 1000);
}

/**
 * The peaks of one segment (a line's clip as it sits in the mix), independent of where it sits:
 * quantized maxima of each chunk of {@link SEGMENT_CHUNK} samples from the segment's start, and
 * per block of chunks the running maxima from the block's start and to its end, so the maximum of
 * any range of the segment costs O(1) lookups plus at most two partial chunks scanned. Built once
 * per clip; a moved segment's peak buckets are assembled from it without rescanning the clip.
 */
export interface SegmentPeaks {
  length: number;
  /** Chunks per block. */
  block: number;
  chunk: Uint16Array;
  /** Max of the block's chunks from its start up to and including chunk c. */
  pre: Uint16Array;
  /** Max of the block's chunks from chunk c to the block's end. */
  suf: Uint16Array;
}

const G_SHIFT = 3;
export const SEGMENT_CHUNK = 1 << G_SHIFT;

/** Builds the {@link SegmentPeaks} of `samples[from, to)` for buckets of `perBucket` samples. */
export function segmentPeaks(
  samples: Float32Array,
  from: number,
  to: number,
  perBucket: number,
): SegmentPeaks {
  const G = SEGMENT_CHUNK;
  const length = to - from;
  const n = Math.ceil(length / G);
  const block = Math.max(1, Math.floor(perBucket / (2 * G)));
  const chunk = new Uint16Array(n);
  for (let c = 0; c < n; c++) {
    const hi = Math.min(to, from + (c + 1) * G);
    let max = 0;
    for (let i = from + c * G; i < hi; i++) {
      const x = samples[i];
      const a = x < 0 ? -x : x;
      if (a > max) max = a;
    }
    chunk[c] = max > 0 ? quantize(max) : 0;
  }
  const pre = new Uint16Array(n);
  const suf = new Uint16Array(n);
  for (let b0 = 0; b0 < n; b0 += block) {
    const b1 = Math.min(n, b0 + block);
    let m = 0;
    for (let c = b0; c < b1; c++) pre[c] = m = Math.max(m, chunk[c]);
    m = 0;
    for (let c = b1 - 1; c >= b0; c--) suf[c] = m = Math.max(m, chunk[c]);
  }
  return { length, block, chunk, pre, suf };
}

/**
 * A segment of a mix: `[start, end)` holds the segment's samples, silence between segments. A
 * segment without stored peaks (music under the intro or outro) is read from the samples.
 */
export interface PlacedSegment {
  start: number;
  end: number;
  peaks?: SegmentPeaks;
}

/**
 * Checks the rates, resizes `peaks` to the mix's bucket count and returns the first bucket to
 * recompute. The old last bucket may have been cut short by the old end, so it is always redone.
 */
function resizeForUpdate(
  peaks: number[],
  length: number,
  sampleRate: number,
  peaksPerSecond: number,
  fromBucket: number,
): { count: number; from: number } {
  if (!(sampleRate > 0) || !(peaksPerSecond > 0)) {
    throw new RangeError('computePeaks: sampleRate and peaksPerSecond must be positive');
  }
  const count = bucketCount(length, sampleRate, peaksPerSecond);
  const from = Math.max(0, Math.min(fromBucket, count, peaks.length - 1));
  peaks.length = count;
  return { count, from };
}

/**
 * Same result as {@link updatePeaks} for a mix that is silent outside `segments` (sorted, not
 * overlapping), assembled from each segment's stored {@link SegmentPeaks} instead of scanning
 * every sample: O(buckets + segments) lookups plus a few boundary samples per bucket.
 */
export function updatePeaksFromSegments(
  peaks: number[],
  samples: Float32Array,
  segments: readonly PlacedSegment[],
  sampleRate: number,
  peaksPerSecond: number,
  fromBucket: number,
): void {
  const G = SEGMENT_CHUNK;
  const total = samples.length;
  const { count, from } = resizeForUpdate(peaks, total, sampleRate, peaksPerSecond, fromBucket);
  if (from >= count) return;
  const q = new Uint16Array(count - from);
  // (bucket, from, to) of each partial chunk to read; a bucket has at most two, plus one per
  // extra segment it touches.
  const scans = new Int32Array(6 * (count - from + segments.length));
  let nScans = 0;
  const start = bucketStart(from, sampleRate, peaksPerSecond);
  // Segments are visited once each, bucket by bucket: a bucket straddling two segments takes the
  // larger of their maxima (silence between them is 0).
  for (const seg of segments) {
    if (seg.end <= start) continue;
    const sp = seg.peaks;
    let b = Math.max(from, peakBucketOf(seg.start, sampleRate, peaksPerSecond));
    if (!sp) {
      // No stored peaks: the whole overlap of each bucket is read from the samples.
      for (; b < count; b++) {
        const lo = bucketStart(b, sampleRate, peaksPerSecond);
        if (lo >= seg.end) break;
        const hi = b === count - 1 ? total : bucketStart(b + 1, sampleRate, peaksPerSecond);
        const a0 = Math.max(lo, seg.start);
        const a1 = Math.min(hi, seg.end);
        if (a1 <= a0) continue;
        scans[nScans++] = b - from;
        scans[nScans++] = a0;
        scans[nScans++] = a1;
      }
      continue;
    }
    const { chunk, pre, suf, block } = sp;
    const nChunks = chunk.length;
    for (; b < count; b++) {
      const lo = bucketStart(b, sampleRate, peaksPerSecond);
      if (lo >= seg.end) break;
      const hi = b === count - 1 ? total : bucketStart(b + 1, sampleRate, peaksPerSecond);
      const a0 = (lo > seg.start ? lo : seg.start) - seg.start;
      const a1 = (hi < seg.end ? hi : seg.end) - seg.start;
      if (a1 <= a0) continue;
      // Chunk indices by integer arithmetic (G is a power of two).
      const ca = (a0 + G - 1) >> G_SHIFT;
      const cb = a1 === sp.length ? nChunks : a1 >> G_SHIFT;
      let m = 0;
      let scanHi = a1;
      if (ca < cb) {
        const ka = (ca / block) | 0;
        const kb = ((cb - 1) / block) | 0;
        if (ka !== kb) {
          m = suf[ca] > pre[cb - 1] ? suf[ca] : pre[cb - 1];
          for (let k = ka + 1; k < kb; k++) if (pre[(k + 1) * block - 1] > m) m = pre[(k + 1) * block - 1];
        } else if (ca === ka * block) m = pre[cb - 1];
        else if (cb === Math.min(nChunks, (ka + 1) * block)) m = suf[ca];
        else for (let c = ca; c < cb; c++) if (chunk[c] > m) m = chunk[c];
        scanHi = ca * G;
      }
      // Partial chunks at the ends (or the whole range when it holds no full chunk) are read
      // only when their whole chunk's max could beat the rest, and later, in one pass (so the
      // cache misses of those scattered reads overlap instead of queueing one by one).
      const off = seg.start;
      if (scanHi > a0 && (ca >= cb || chunk[ca - 1] > m)) {
        scans[nScans++] = b - from;
        scans[nScans++] = off + a0;
        scans[nScans++] = off + scanHi;
      }
      if (ca < cb && cb * G < a1 && chunk[cb] > m) {
        scans[nScans++] = b - from;
        scans[nScans++] = off + cb * G;
        scans[nScans++] = off + a1;
      }
      if (m > q[b - from]) q[b - from] = m;
    }
  }
  for (let j = 0; j < nScans; j += 3) {
    let x = 0;
    for (let i = scans[j + 1]; i < scans[j + 2]; i++) {
      const v = samples[i];
      const av = v < 0 ? -v : v;
      if (av > x) x = av;
    }
    const qx = x > 0 ? quantize(x) : 0;
    if (qx > q[scans[j]]) q[scans[j]] = qx;
  }
  for (let b = from; b < count; b++) peaks[b] = q[b - from] / 1000;
}

/**
 * Peaks per second of each level of the pyramid, coarse to fine; each divides the next, so a
 * coarse bucket is exactly its fine buckets. The first is sent whole with the timeline (72,000
 * values for an hour); the others are served as windows of at most {@link MAX_PEAK_WINDOW}.
 * 2,000/s is about 11 samples a bucket at 22,050 Hz: a word spans a few hundred bars.
 */
export const PEAK_LEVELS: readonly number[] = [20, 100, 500, 2000];

/** Most buckets one window request returns (16,384 × 2,000/s ≈ 8 s; × 100/s ≈ 2.7 min). */
export const MAX_PEAK_WINDOW = 16384;

/** Buckets per cached tile of a fine level. */
const PEAK_TILE = 4096;

/** Default cap on the bytes of cached tiles of one pyramid (a fully scrolled hour at 2,000/s is ~14 MB). */
export const DEFAULT_PEAK_CACHE_BYTES = 4 * 1024 * 1024;

interface CachedTile {
  level: number;
  tile: number;
  peaks: Uint16Array;
}

/**
 * The fine levels of the peak pyramid of one mix, filled lazily in tiles of {@link PEAK_TILE}
 * buckets as windows are asked for (the page only asks for what is on screen) and kept until the
 * mix changes under them: {@link invalidateFrom} drops only tiles that reach the changed sample,
 * so an edit late in the episode keeps every tile before it. The cache holds at most `maxBytes`
 * of tiles: past that the least recently read tile is dropped (it is rebuilt from the mix if it
 * is asked for again, so a cap never changes what a window returns).
 */
export class PeakPyramid {
  /** Tiles by `level:tile`, least recently used first (a Map keeps insertion order). */
  readonly #tiles = new Map<string, CachedTile>();
  #bytes = 0;

  constructor(
    readonly sampleRate: number,
    readonly maxBytes: number = DEFAULT_PEAK_CACHE_BYTES,
  ) {}

  /** Forgets every tile. */
  clear(): void {
    this.#tiles.clear();
    this.#bytes = 0;
  }

  /** Forgets the tiles that read sample `at` or later (the mix changed from there on). */
  invalidateFrom(at: number): void {
    for (const [key, t] of this.#tiles) {
      if (bucketStart((t.tile + 1) * PEAK_TILE, this.sampleRate, t.level) > at) this.#drop(key, t);
    }
  }

  #drop(key: string, t: CachedTile): void {
    this.#tiles.delete(key);
    this.#bytes -= t.peaks.byteLength;
  }

  /** Number of cached tiles (for tests of what an edit keeps). */
  get tileCount(): number {
    return this.#tiles.size;
  }

  /** Bytes held by cached tiles (at most {@link maxBytes}). */
  get cachedBytes(): number {
    return this.#bytes;
  }

  /**
   * Quantized peaks (×1000) of buckets `[from, from + count)` of `level` for `samples` (the mix the
   * tiles were built from, until {@link invalidateFrom} says otherwise), cut at the last bucket.
   */
  window(samples: Float32Array, level: number, from: number, count: number): Uint16Array {
    const total = bucketCount(samples.length, this.sampleRate, level);
    const end = Math.min(total, from + count);
    const out = new Uint16Array(Math.max(0, end - from));
    if (end <= from) return out;
    for (let t = Math.floor(from / PEAK_TILE); t * PEAK_TILE < end; t++) {
      const key = `${level}:${t}`;
      let cached = this.#tiles.get(key);
      if (cached) {
        // Read again: move it to the most recently used end.
        this.#tiles.delete(key);
        this.#tiles.set(key, cached);
      } else {
        cached = {
          level,
          tile: t,
          peaks: quantizedPeaks(samples, this.sampleRate, level, t * PEAK_TILE, PEAK_TILE),
        };
        this.#tiles.set(key, cached);
        this.#bytes += cached.peaks.byteLength;
        for (const [k, old] of this.#tiles) {
          if (this.#bytes <= this.maxBytes || old === cached) break;
          this.#drop(k, old);
        }
      }
      const tile = cached.peaks;
      const a = Math.max(from, t * PEAK_TILE);
      const b = Math.min(end, t * PEAK_TILE + tile.length);
      out.set(tile.subarray(a - t * PEAK_TILE, b - t * PEAK_TILE), a - from);
    }
    return out;
  }
}
