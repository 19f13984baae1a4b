import { describe, expect, it } from 'vitest';
import { bedParts, bedRender, duckWeights, mixBedSpan } from './bed';
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
    const bed = bedRender(music, { gainDb: 0, duckDb: -12, fadeInSec: 1, fadeOutSec: 1, underSec: 2 }, 1000);
    // Speech 2000..3000 as one part: no room for 2 s under it, so intro and outro meet half-way.
    const parts = bedParts(bed, 2000, 3000, 5000);
    expect(parts).toEqual({ introEnd: 2500, outroStart: 2500, total: 5000, crossover: true });
    const speech = new Float32Array(5000);
    const out = new Float32Array(5000);
    mixBedSpan(out, speech, bed, plan, parts, 0, 5000);
    expect(out[0]).toBe(0);
    expect(out[500]).toBeCloseTo(0.25, 5); // half-way through the fade in
    expect(out[1500]).toBeCloseTo(0.5, 5);
    expect(out[2100]).toBeCloseTo(0.5 * 10 ** (-12 / 20) * (400 / 1000), 5); // ducked, fading out
    expect(out[4500]).toBeCloseTo(0.25, 5); // fade out at the end
    // A span computed alone equals the same span of the whole render.
    const part = new Float32Array(5000);
    mixBedSpan(part, speech, bed, plan, parts, 1800, 2300);
    expect(part.subarray(1800, 2300)).toEqual(out.subarray(1800, 2300));
  });
});

describe('intro and outro', () => {
  const sr = 1000;
  // Music whose sample value is its own index (so the test can read which sample played).
  const music = new Float32Array(700).map((_, i) => i / 1000);
  const bed = bedRender(music, { gainDb: 0, duckDb: 0, fadeInSec: 0.5, fadeOutSec: 0.5, underSec: 1 }, sr);
  const lines = (speechStart: number, speechEnd: number) =>
    planMix([{ lineId: 'a', durationSec: (speechEnd - speechStart) / sr, pauseAfterSec: 0 }], sr).entries.map(
      (e) => ({ ...e, startSample: e.startSample + speechStart, endSample: e.endSample + speechStart }),
    );

  it('anchors the intro at 0 and the outro to the end; silence between them', () => {
    const speech = new Float32Array(20000);
    const plan = lines(2000, 18000);
    const parts = bedParts(bed, 2000, 18000, 20000);
    expect(parts).toEqual({ introEnd: 3000, outroStart: 17000, total: 20000, crossover: false });
    const out = new Float32Array(20000);
    mixBedSpan(out, speech, bed, plan, parts, 0, 20000);
    expect(out[1000]).toBeCloseTo(300 / 1000, 6); // music sample 1000 % 700 at full gain
    expect(out.subarray(3000, 17000).every((x) => x === 0)).toBe(true);
    expect(out[19999]).toBeCloseTo((699 / 1000) * (1 / 500), 6); // the music's last sample, faded
    expect(out[19000]).toBeCloseTo(((699 - 999 + 1400) % 700) / 1000, 6);
    // Fades are linear from the part's edges, so the music never starts or stops with a jump.
    expect(Math.abs(out[2999] - out[3000])).toBeLessThan(0.002);
    expect(Math.abs(out[17000] - out[16999])).toBeLessThan(0.002);
  });

  it('shifts the outro with the end: a longer episode has the same outro, later', () => {
    const speech = new Float32Array(30000);
    const a = new Float32Array(20000);
    const b = new Float32Array(23456);
    mixBedSpan(a, speech, bed, lines(2000, 18000), bedParts(bed, 2000, 18000, 20000), 0, 20000);
    mixBedSpan(b, speech, bed, lines(2000, 21456), bedParts(bed, 2000, 21456, 23456), 0, 23456);
    expect(b.subarray(23456 - 4000)).toEqual(a.subarray(20000 - 4000));
    expect(b.subarray(0, 4000)).toEqual(a.subarray(0, 4000));
  });

  it('never clicks: a bed with 0 s fades still ramps over at least 10 ms', () => {
    const hard = bedRender(
      new Float32Array(50).fill(0.8),
      { gainDb: 0, duckDb: 0, fadeInSec: 0, fadeOutSec: 0 },
      sr,
    );
    expect(hard.fadeIn).toBe(10);
    const speech = new Float32Array(40000);
    const out = new Float32Array(40000);
    mixBedSpan(out, speech, hard, lines(1000, 30000), bedParts(hard, 1000, 30000, 31000), 0, 31000);
    for (let i = 1; i < 31000; i++) expect(Math.abs(out[i] - out[i - 1])).toBeLessThanOrEqual(0.081);
  });
});
