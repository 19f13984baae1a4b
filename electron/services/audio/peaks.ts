/**
 * Waveform peaks for the timeline, computed once in the back end so the page never decodes audio.
 */

/**
 * Returns the largest magnitude `|x|` in each bucket of `sampleRate / peaksPerSecond` samples
 * (the last bucket may be shorter), clamped to 1 and rounded to 3 decimals to keep JSON small.
 */
export function computePeaks(samples: Float32Array, sampleRate: number, peaksPerSecond: number): number[] {
  if (!(sampleRate > 0) || !(peaksPerSecond > 0)) {
    throw new RangeError('computePeaks: sampleRate and peaksPerSecond must be positive');
  }
  const perBucket = sampleRate / peaksPerSecond;
  const count = Math.ceil((samples.length * peaksPerSecond) / sampleRate);
  const peaks = new Array<number>(count);
  for (let b = 0; b < count; b++) {
    // Fractional bucket sizes are spread by flooring the boundaries, so no sample is skipped.
    const from = Math.floor(b * perBucket);
    const to = b === count - 1 ? samples.length : Math.min(samples.length, Math.floor((b + 1) * perBucket));
    let max = 0;
    for (let i = from; i < to; i++) {
      const a = Math.abs(samples[i]);
      if (a > max) max = a;
    }
    peaks[b] = Math.round(Math.min(1, max) * 1000) / 1000;
  }
  return peaks;
}
