import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computePeaks,
  DEFAULT_PEAK_CACHE_BYTES,
  PEAK_LEVELS,
  PeakPyramid,
  quantizedPeaks,
  segmentPeaks,
  updatePeaksFromSegments,
  type PlacedSegment,
} from './peaks';
import { noise, seededRandom } from '../test-support/signals';

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

describe('updatePeaksFromSegments', () => {
  it('equals computePeaks for silence plus segments, with stored segment peaks reused after a move', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom([22050, 50], [1000, 7], [1000, 3], [8000, 100], [44100, 30]),
        (seed, [sr, pps]) => {
          const rand = seededRandom(seed);
          const perBucket = sr / pps;
          // Rising envelopes put the maxima on bucket edges; a few samples are hot (clamped).
          const clips = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => {
            const c = new Float32Array(1 + Math.floor(rand() * perBucket * 4));
            const env = rand() < 0.5;
            for (let i = 0; i < c.length; i++) {
              const x = (rand() * 2 - 1) * (env ? i / c.length : 1) * (rand() < 0.01 ? 3 : 1);
              c[i] = Math.max(-1, Math.min(1, x));
            }
            return c;
          });
          const place = (): { mix: Float32Array; at: number[] } => {
            const at: number[] = [];
            let t = Math.floor(rand() * perBucket * 2);
            for (const c of clips) {
              at.push(t);
              t += c.length + Math.floor(rand() * perBucket * 2);
            }
            const mix = new Float32Array(t);
            clips.forEach((c, i) => mix.set(c, at[i]));
            return { mix, at };
          };
          const first = place();
          const stored = clips.map((c, i) =>
            segmentPeaks(first.mix, first.at[i], first.at[i] + c.length, perBucket),
          );
          const segs = (at: number[]): PlacedSegment[] =>
            clips.map((c, i) => ({ start: at[i], end: at[i] + c.length, peaks: stored[i] }));
          const peaks: number[] = [];
          updatePeaksFromSegments(peaks, first.mix, segs(first.at), sr, pps, 0);
          expect(peaks).toEqual(computePeaks(first.mix, sr, pps));
          // Everything moves: buckets before `from` are given, the rest come from the stored peaks.
          const second = place();
          const want = computePeaks(second.mix, sr, pps);
          const from = Math.floor(rand() * (want.length + 1));
          const updated = [...want.slice(0, from), ...peaks.slice(from)];
          updatePeaksFromSegments(updated, second.mix, segs(second.at), sr, pps, from);
          expect(updated).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('peak pyramid', () => {
  it('is consistent: each coarse peak is the largest of the finer peaks under it, at every pair of levels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(22050, 44100, 8000, 1000),
        (seed, sr) => {
          const rand = seededRandom(seed);
          const samples = new Float32Array(1 + Math.floor(rand() * sr * 3));
          for (let i = 0; i < samples.length; i++)
            samples[i] = (rand() * 2 - 1) * (rand() < 0.01 ? 2 : rand());
          const levels = PEAK_LEVELS.map((l) => [...quantizedPeaks(samples, sr, l, 0, Infinity)]);
          for (let a = 0; a < levels.length; a++) {
            for (let b = a + 1; b < levels.length; b++) {
              const ratio = PEAK_LEVELS[b] / PEAK_LEVELS[a];
              expect(Number.isInteger(ratio)).toBe(true);
              const coarse = levels[a];
              const fine = levels[b];
              expect(coarse.length).toBe(Math.ceil(fine.length / ratio));
              for (let c = 0; c < coarse.length; c++) {
                expect(coarse[c]).toBe(Math.max(...fine.slice(c * ratio, (c + 1) * ratio)));
              }
            }
          }
          // The coarsest level is what the timeline ships (computePeaks, 3 decimals).
          expect(computePeaks(samples, sr, PEAK_LEVELS[0])).toEqual(levels[0].map((q) => q / 1000));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('serves windows from tiles, keeps tiles before a change and rebuilds the rest', () => {
    const sr = 22050;
    const rand = seededRandom(3);
    const a = noise(rand, sr * 40);
    const pyramid = new PeakPyramid(sr);
    const all = Math.ceil((a.length * 2000) / sr);
    expect([...pyramid.window(a, 2000, 0, all)]).toEqual([...quantizedPeaks(a, sr, 2000, 0, all)]);
    expect([...pyramid.window(a, 500, 123, 5000)]).toEqual([...quantizedPeaks(a, sr, 500, 123, 5000)]);
    const tiles = pyramid.tileCount;
    // The mix changes from 30 s on (and gets longer): tiles reaching 30 s go, the others stay.
    const b = new Float32Array(sr * 45);
    b.set(a.subarray(0, sr * 30));
    for (let i = sr * 30; i < b.length; i++) b[i] = 0.5 * Math.sin(i / 5);
    pyramid.invalidateFrom(sr * 30);
    expect(pyramid.tileCount).toBeLessThan(tiles);
    expect(pyramid.tileCount).toBeGreaterThan(tiles / 2);
    const allB = Math.ceil((b.length * 2000) / sr);
    expect([...pyramid.window(b, 2000, 0, allB)]).toEqual([...quantizedPeaks(b, sr, 2000, 0, allB)]);
    // A window past the end is cut at the last peak.
    expect(pyramid.window(b, 2000, allB - 10, 100).length).toBe(10);
    expect(pyramid.window(b, 2000, allB + 10, 100).length).toBe(0);
  });

  it('caps the cached tiles by bytes, dropping the least recently read, with the same windows', () => {
    const sr = 22050;
    const rand = seededRandom(5);
    const a = noise(rand, sr * 60);
    const tileBytes = 4096 * 2;
    const pyramid = new PeakPyramid(sr, 4 * tileBytes);
    const all = Math.ceil((a.length * 2000) / sr);
    // A whole minute at 2,000/s is 30 tiles: only the last 4 read stay.
    for (let from = 0; from < all; from += 4096) {
      expect([...pyramid.window(a, 2000, from, 4096)]).toEqual([...quantizedPeaks(a, sr, 2000, from, 4096)]);
      expect(pyramid.cachedBytes).toBeLessThanOrEqual(4 * tileBytes);
    }
    expect(pyramid.tileCount).toBe(4);
    // Reading tile 0 again rebuilds it (same peaks) and evicts the oldest of the four (tile 26);
    // reading tile 27 then keeps it (it was not the least recently used).
    expect([...pyramid.window(a, 2000, 0, 10)]).toEqual([...quantizedPeaks(a, sr, 2000, 0, 10)]);
    pyramid.window(a, 2000, 27 * 4096, 10);
    pyramid.window(a, 2000, 4096, 10);
    expect(pyramid.tileCount).toBe(4);
    // Tiles 0, 27, 1 and 29 are cached (28 was the least recent): an edit at 20 s drops 27 and 29.
    pyramid.invalidateFrom(sr * 20);
    expect(pyramid.tileCount).toBe(2);
    expect(pyramid.cachedBytes).toBe(2 * tileBytes);
    // The default cap holds a fully scrolled hour at 100/s but not at 2,000/s.
    expect(DEFAULT_PEAK_CACHE_BYTES).toBeLessThan(Math.ceil((3600 * 2000) / 4096) * tileBytes);
  });
});
