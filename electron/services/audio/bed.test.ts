import { describe, expect, it } from 'vitest';
import { bedRender, duckWeights, mixBedSpan } from './bed';
import { dbToGain, planMix, renderMix } from './mixer';
import { effectivePauses } from '../../../shared/audio/pauses';
import type { ScriptLine } from '../../../shared/model/episode';

describe('per-line gain and pauses', () => {
  it('scales a clip by its gain in dB and places lines after the pause override', () => {
    const lines: ScriptLine[] = [
      { kind: 'speech', id: 'a', speaker: 'A', text: 'x' },
      { kind: 'pause', id: 'p', seconds: 1 },
      { kind: 'speech', id: 'b', speaker: 'B', text: 'y' },
      { kind: 'speech', id: 'c', speaker: 'A', text: 'z' },
    ];
    const pauses = effectivePauses(lines, 0.5, { b: { pauseAfterSec: 2 } });
    expect([...pauses]).toEqual([
      ['a', 1.5],
      ['b', 2],
      ['c', 0.5],
    ]);
    const plan = planMix(
      ['a', 'b', 'c'].map((id) => ({ lineId: id, durationSec: 1, pauseAfterSec: pauses.get(id)! })),
      100,
    );
    expect(plan.entries.map((e) => e.startSample)).toEqual([0, 250, 550]);
    const ones = new Float32Array(100).fill(0.5);
    const out = renderMix([ones, ones, ones], plan.entries, plan.totalSamples, [
      1,
      dbToGain(-6),
      dbToGain(7),
    ]);
    expect(out[10]).toBeCloseTo(0.5, 6);
    expect(out[260]).toBeCloseTo(0.5 * 10 ** (-6 / 20), 6);
    expect(out[560]).toBe(1); // +7 dB of 0.5 clips at full scale
    expect(out[150]).toBe(0);
    expect(dbToGain(0)).toBe(1);
  });
});

describe('ducking', () => {
  const plan = planMix([{ lineId: 'a', durationSec: 1, pauseAfterSec: 0 }], 1000).entries.map((e) => ({
    ...e,
    startSample: e.startSample + 2000,
    endSample: e.endSample + 2000,
  }));

  it('is 1 under speech, 0 far from it, and ramps smoothly before and after', () => {
    const w = new Float32Array(5000);
    duckWeights(plan, 0, 5000, 250, 600, w);
    expect(w[1000]).toBe(0);
    expect(w[1749]).toBe(0);
    expect(w[1875]).toBeCloseTo(0.5, 2); // half-way up the attack
    expect(w[2500]).toBe(1);
    expect(w[3300]).toBeCloseTo(0.5, 2); // half-way down the release
    expect(w[3700]).toBe(0);
    for (let i = 1; i < 5000; i++) expect(Math.abs(w[i] - w[i - 1])).toBeLessThan(0.01);
  });

  it('attenuates the bed by duckDb under speech and fades it in and out', () => {
    const music = new Float32Array(777).fill(0.5);
    const bed = bedRender(music, { gainDb: 0, duckDb: -12, fadeInSec: 1, fadeOutSec: 1 }, 1000);
    const speech = new Float32Array(5000);
    const out = new Float32Array(5000);
    mixBedSpan(out, speech, bed, plan, 5000, 0, 5000);
    expect(out[0]).toBe(0);
    expect(out[500]).toBeCloseTo(0.25, 5); // half-way through the fade in
    expect(out[1500]).toBeCloseTo(0.5, 5);
    expect(out[2500]).toBeCloseTo(0.5 * 10 ** (-12 / 20), 5);
    expect(out[4500]).toBeCloseTo(0.25, 5); // fade out
    // A span computed alone equals the same span of the whole render.
    const part = new Float32Array(5000);
    mixBedSpan(part, speech, bed, plan, 5000, 1800, 2300);
    expect(part.subarray(1800, 2300)).toEqual(out.subarray(1800, 2300));
  });
});
