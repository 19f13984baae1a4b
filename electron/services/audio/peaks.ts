/**
 * Waveform peaks for the timeline, computed once in the back end so the page never decodes audio.
 */

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
  const perBucket = sampleRate / peaksPerSecond;
  let b = Math.max(0, Math.floor(at / perBucket));
  while (b > 0 && Math.floor(b * perBucket) > at) b--;
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
  if (!(sampleRate > 0) || !(peaksPerSecond > 0)) {
    throw new RangeError('computePeaks: sampleRate and peaksPerSecond must be positive');
  }
  const perBucket = sampleRate / peaksPerSecond;
  const count = Math.ceil((samples.length * peaksPerSecond) / sampleRate);
  // The old last bucket may have been cut short by the old end: always redo it.
  const from = Math.max(0, Math.min(fromBucket, count, peaks.length - 1));
  peaks.length = count;
  for (let b = from; b < count; b++) {
    // Fractional bucket sizes are spread by flooring the boundaries, so no sample is skipped.
    const lo = Math.floor(b * perBucket);
    const hi = b === count - 1 ? samples.length : Math.min(samples.length, Math.floor((b + 1) * perBucket));
    let max = 0;
    for (let i = lo; i < hi; i++) {
      const x = samples[i];
      const a = x < 0 ? -x : x;
      if (a > max) max = a;
    }
    peaks[b] = Math.round(Math.min(1, max) * 1000) / 1000;
  }
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

/** A segment of a mix: `[start, end)` holds the segment's samples, silence between segments. */
export interface PlacedSegment {
  start: number;
  end: number;
  peaks: SegmentPeaks;
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
  if (!(sampleRate > 0) || !(peaksPerSecond > 0)) {
    throw new RangeError('computePeaks: sampleRate and peaksPerSecond must be positive');
  }
  const G = SEGMENT_CHUNK;
  const perBucket = sampleRate / peaksPerSecond;
  const total = samples.length;
  const count = Math.ceil((total * peaksPerSecond) / sampleRate);
  const from = Math.max(0, Math.min(fromBucket, count, peaks.length - 1));
  peaks.length = count;
  if (from >= count) return;
  const q = new Uint16Array(count - from);
  // (bucket, from, to) of each partial chunk to read; a bucket has at most two, plus one per
  // extra segment it touches.
  const scans = new Int32Array(6 * (count - from + segments.length));
  let nScans = 0;
  const start = Math.floor(from * perBucket);
  // Segments are visited once each, bucket by bucket: a bucket straddling two segments takes the
  // larger of their maxima (silence between them is 0).
  for (const seg of segments) {
    if (seg.end <= start) continue;
    const sp = seg.peaks;
    const { chunk, pre, suf, block } = sp;
    const nChunks = chunk.length;
    let b = Math.max(from, peakBucketOf(seg.start, sampleRate, peaksPerSecond));
    for (; b < count; b++) {
      const lo = Math.floor(b * perBucket);
      if (lo >= seg.end) break;
      const hi = b === count - 1 ? total : Math.min(total, Math.floor((b + 1) * perBucket));
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
