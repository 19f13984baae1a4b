import { describe, expect, it } from 'vitest';
import { LevelPeaks, PEAK_TILE, pickLevel } from './peak-levels';

const LEVELS = [20, 100, 500, 2000];

describe('pickLevel', () => {
  it('takes the coarsest level with at least one peak per pixel, else the finest', () => {
    expect(pickLevel(0.5, LEVELS)).toBe(20);
    expect(pickLevel(12, LEVELS)).toBe(20);
    expect(pickLevel(20.5, LEVELS)).toBe(100);
    expect(pickLevel(300, LEVELS)).toBe(500);
    expect(pickLevel(1000, LEVELS)).toBe(2000);
    expect(pickLevel(5000, LEVELS)).toBe(2000);
  });
});

describe('LevelPeaks', () => {
  it('starts as the coarse peaks stretched, asks only for missing tiles, and writes windows in', () => {
    // 100 s at 20/s coarse; the 500/s level has 50,000 peaks = 13 tiles.
    const coarse = Array.from({ length: 2000 }, (_, i) => (i % 10) / 10);
    const level = new LevelPeaks(500, coarse, 20, 100, 1);
    expect(level.data.length).toBe(50_000);
    expect(level.data[25 * 7]).toBeCloseTo(0.7, 6); // fine peak 175 sits in coarse bucket 7
    // The view needs peaks 5,000 .. 14,000: tiles 1..3, one request.
    expect(level.claim(5000, 14000)).toEqual([[PEAK_TILE, 3 * PEAK_TILE]]);
    // Asked again while pending: nothing new. A wider view: only the new tiles.
    expect(level.claim(5000, 14000)).toEqual([]);
    expect(level.claim(0, 20000)).toEqual([
      [0, PEAK_TILE],
      [4 * PEAK_TILE, PEAK_TILE],
    ]);
    level.apply(PEAK_TILE, new Array(3 * PEAK_TILE).fill(0.25));
    expect(level.data[PEAK_TILE]).toBe(0.25);
    expect(level.data[4 * PEAK_TILE - 1]).toBe(0.25);
    expect(level.loadedTiles).toBe(3);
    // A failed window is asked for again; the last window is cut at the end of the level.
    level.release(0, PEAK_TILE);
    expect(level.claim(0, 10)).toEqual([[0, PEAK_TILE]]);
    const last = level.claim(49_000, 60_000);
    expect(last).toEqual([[11 * PEAK_TILE, 2 * PEAK_TILE]]);
    level.apply(11 * PEAK_TILE, new Array(50_000 - 11 * PEAK_TILE).fill(1));
    expect(level.claim(49_000, 60_000)).toEqual([]);
    expect(level.data[49_999]).toBe(1);
    // Long views are split into requests of at most four tiles.
    const wide = new LevelPeaks(2000, coarse, 20, 100, 1);
    const windows = wide.claim(0, 200_000);
    expect(windows.every(([, count]) => count <= 4 * PEAK_TILE)).toBe(true);
    expect(windows.reduce((n, [, count]) => n + count, 0)).toBe(Math.ceil(200_000 / PEAK_TILE) * PEAK_TILE);
  });

  it('releases the tiles of a window from another mix, so they are asked for again', () => {
    const coarse = new Array(2000).fill(0.5);
    const level = new LevelPeaks(500, coarse, 20, 100, 7);
    const gen = level.generation;
    expect(level.claim(0, PEAK_TILE)).toEqual([[0, PEAK_TILE]]);
    const window = { from: 0, peaks: new Array(PEAK_TILE).fill(0.25) };
    // The back end mixed again (version 8): nothing is written, the tile is no longer pending.
    expect(level.receive(gen, 0, PEAK_TILE, { ...window, mixVersion: 8 })).toBe('outdated');
    expect(level.data[0]).toBe(0.5);
    expect(level.loadedTiles).toBe(0);
    expect(level.claim(0, PEAK_TILE)).toEqual([[0, PEAK_TILE]]);
    // A reply of this mix is written in and counted in the checksum.
    expect(level.receive(gen, 0, PEAK_TILE, { ...window, mixVersion: 7 })).toBe('applied');
    expect(level.data[0]).toBe(0.25);
    expect(level.loadedTiles).toBe(1);
    expect(level.appliedSum).toBeCloseTo(0.25 * PEAK_TILE, 3);
  });

  it('reuses its buffer for a timeline of the same length, and its windows for the same mix', () => {
    const level = new LevelPeaks(500, new Array(2000).fill(0.5), 20, 100, 1);
    const buffer = level.data;
    level.claim(0, 2 * PEAK_TILE);
    level.apply(0, new Array(PEAK_TILE).fill(0.25));
    const gen = level.generation;
    // Same mix, same length: windows kept, nothing asked again.
    expect(level.reuseFor(new Array(2000).fill(0.5), 20, 100, 1)).toBe(level);
    expect(level.data[0]).toBe(0.25);
    expect(level.claim(0, PEAK_TILE)).toEqual([]);
    // Another mix, same length: the same buffer, refilled from the new coarse peaks, every tile
    // forgotten; a late reply to a request of before is ignored.
    expect(level.reuseFor(new Array(2000).fill(0.75), 20, 99.9995, 2)).toBe(level);
    expect(level.data).toBe(buffer);
    expect(level.data[0]).toBe(0.75);
    expect(level.loadedTiles).toBe(0);
    expect(level.appliedSum).toBe(0);
    const late = { from: PEAK_TILE, peaks: new Array(PEAK_TILE).fill(0.1), mixVersion: 2 };
    expect(level.receive(gen, PEAK_TILE, PEAK_TILE, late)).toBe('ignored');
    expect(level.data[PEAK_TILE]).toBe(0.75);
    expect(level.claim(0, 2 * PEAK_TILE)).toEqual([[0, 2 * PEAK_TILE]]);
    // Another length: a new level is needed.
    expect(level.reuseFor(new Array(2200).fill(0.5), 20, 110, 3)).toBeNull();
  });
});
