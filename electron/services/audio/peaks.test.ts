import { describe, expect, it } from 'vitest';
import { computePeaks } from './peaks';

describe('computePeaks', () => {
  it('takes the max magnitude per bucket and rounds to 3 decimals', () => {
    const s = new Float32Array([0.1, -0.52345, 0.2, 0.3, 0, 0, -0.9999, 0.5, 0.25]);
    // 9 samples at 4 Hz, 1 peak/s → buckets of 4: [0..4), [4..8), [8..9)
    expect(computePeaks(s, 4, 1)).toEqual([0.523, 1, 0.25]);
  });

  it('gives ceil(duration × rate) peaks, handles fractional bucket sizes, and clamps to 1', () => {
    const sr = 22050;
    const s = new Float32Array(sr * 2 + 1);
    s[sr * 2] = 3; // the very last sample must land in the last bucket
    const peaks = computePeaks(s, sr, 100);
    expect(peaks.length).toBe(201);
    expect(peaks[200]).toBe(1);
    expect(peaks.slice(0, 200).every((p) => p === 0)).toBe(true);
    // 22050 / 40 = 551.25 samples per bucket: every sample still counted exactly once
    const ramp = new Float32Array(sr).map((_, i) => (i % 2 ? -1 : 1) * (i / sr));
    const p40 = computePeaks(ramp, sr, 40);
    expect(p40.length).toBe(40);
    expect(p40[39]).toBe(Math.round(((sr - 1) / sr) * 1000) / 1000);
    expect(p40[0]).toBe(Math.round((550 / sr) * 1000) / 1000);
  });

  it('returns no peaks for no audio and rejects bad rates', () => {
    expect(computePeaks(new Float32Array(0), 22050, 50)).toEqual([]);
    expect(() => computePeaks(new Float32Array(10), 22050, 0)).toThrow(RangeError);
  });
});
