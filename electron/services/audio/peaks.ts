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
