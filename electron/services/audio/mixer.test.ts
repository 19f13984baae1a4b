import { describe, expect, it } from 'vitest';
import { planMix, renderMix } from './mixer';

describe('planMix', () => {
  it('places clips end to end with pauses, none after the last', () => {
    const plan = planMix(
      [
        { lineId: 'a', durationSec: 1, pauseAfterSec: 0.5 },
        { lineId: 'b', durationSec: 2, pauseAfterSec: 0.25 },
        { lineId: 'c', durationSec: 0.5, pauseAfterSec: 3 },
      ],
      1000,
    );
    expect(plan.entries).toEqual([
      { lineId: 'a', startSample: 0, endSample: 1000, start: 0, end: 1 },
      { lineId: 'b', startSample: 1500, endSample: 3500, start: 1.5, end: 3.5 },
      { lineId: 'c', startSample: 3750, endSample: 4250, start: 3.75, end: 4.25 },
    ]);
    expect(plan.totalSamples).toBe(4250);
    expect(plan.durationSec).toBe(4.25);
  });

  it('keeps integer positions that add up exactly over many awkward lengths', () => {
    const sr = 22050;
    const items = Array.from({ length: 500 }, (_, i) => ({
      lineId: `l${i}`,
      durationSec: (12345 + i * 7) / sr, // what a clip of that many samples reports
      pauseAfterSec: 0.35,
    }));
    const plan = planMix(items, sr);
    const pause = Math.round(0.35 * sr);
    let expected = 0;
    plan.entries.forEach((e, i) => {
      expect(Number.isInteger(e.startSample)).toBe(true);
      expect(e.startSample).toBe(expected);
      expect(e.endSample - e.startSample).toBe(12345 + i * 7);
      expected = e.endSample + pause;
    });
    expect(plan.totalSamples).toBe(expected - pause);
    const clipSum = items.reduce((n, _, i) => n + 12345 + i * 7, 0);
    expect(plan.totalSamples).toBe(clipSum + 499 * pause);
  });

  it('handles empty input and rejects bad numbers', () => {
    expect(planMix([], 22050)).toMatchObject({ entries: [], totalSamples: 0, durationSec: 0 });
    expect(() => planMix([{ lineId: 'x', durationSec: -1, pauseAfterSec: 0 }], 22050)).toThrow(/durationSec/);
    expect(() => planMix([{ lineId: 'x', durationSec: 1, pauseAfterSec: NaN }], 22050)).toThrow(
      /pauseAfterSec/,
    );
    expect(() => planMix([], 0)).toThrow(RangeError);
  });
});

describe('renderMix', () => {
  it('puts each clip exactly where the plan says and silence elsewhere', () => {
    const plan = planMix(
      [
        { lineId: 'a', durationSec: 0.003, pauseAfterSec: 0.002 },
        { lineId: 'b', durationSec: 0.002, pauseAfterSec: 0.002 },
      ],
      1000,
    );
    const out = renderMix(
      [new Float32Array([0.1, 0.2, 0.3]), new Float32Array([-0.4, -0.5])],
      plan.entries,
      plan.totalSamples,
    );
    expect(Array.from(out)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3, 0, 0, -0.4, -0.5])));
  });

  it('cuts a clip longer than its slot and leaves a short one padded with silence', () => {
    const plan = planMix(
      [
        { lineId: 'a', durationSec: 0.002, pauseAfterSec: 0 },
        { lineId: 'b', durationSec: 0.003, pauseAfterSec: 0 },
      ],
      1000,
    );
    const out = renderMix(
      [new Float32Array([0.1, 0.1, 0.9, 0.9]), new Float32Array([0.2])],
      plan.entries,
      plan.totalSamples,
    );
    expect(Array.from(out)).toEqual(Array.from(new Float32Array([0.1, 0.1, 0.2, 0, 0])));
  });

  it('sums overlapping entries and clamps the result', () => {
    const entries = [
      { lineId: 'a', startSample: 0, endSample: 3, start: 0, end: 0.003 },
      { lineId: 'b', startSample: 1, endSample: 4, start: 0.001, end: 0.004 },
    ];
    const out = renderMix([new Float32Array([0.5, 0.7, 0.9]), new Float32Array([0.25, 0.7, -3])], entries, 4);
    expect(Array.from(out)).toEqual(Array.from(new Float32Array([0.5, 0.7 + 0.25, 1, -1])));
  });

  it('rejects a clip count that does not match the plan', () => {
    expect(() =>
      renderMix([], planMix([{ lineId: 'a', durationSec: 1, pauseAfterSec: 0 }], 10).entries, 10),
    ).toThrow(/1 plan entries/);
  });
});
