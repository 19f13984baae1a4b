import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullMix, MixEngine, type EngineBed, type EngineLine } from './mix-engine';
import { quantizedPeaks } from './peaks';
import { noise, seededRandom } from '../test-support/signals';

const SR = 1000;
const PPS = 7; // awkward bucket size (142.86 samples) on purpose

let clipSeq = 0;
function clip(rand: () => number, loud = 0.9): { hash: string; clip: Float32Array } {
  return { hash: `h${++clipSeq}`, clip: noise(rand, 50 + Math.floor(rand() * 400), loud) };
}

function bed(rand: () => number): EngineBed {
  const music = new Float32Array(333);
  for (let i = 0; i < music.length; i++) music[i] = Math.sin(i / 7) * 0.5 + (rand() - 0.5) * 0.1;
  return {
    key: 'bed',
    music,
    gainDb: -3,
    fadeInSec: 0.4,
    fadeOutSec: 0.7,
    duckDb: -12,
    introSec: 0.5,
    outroSec: 1.1,
    // Mostly short enough for intro and outro to be apart (the incremental path), sometimes long
    // enough that they meet (the crossover path).
    underSec: [0, 0.2, 0.6, 8][Math.floor(rand() * 4)],
    // Both modes: looped under everything (beds before format 3) and intro/outro.
    mode: rand() < 0.5 ? 'under-all' : 'intro-outro',
    // Fades of 0 s too: the looped mode keeps its old rounding (no minimum fade).
    ...(rand() < 0.2 ? { fadeInSec: 0, fadeOutSec: 0 } : {}),
  };
}

/** Random edit of one or a few lines: new clip, gain, pause, insert, delete. */
function edit(lines: EngineLine[], rand: () => number): EngineLine[] {
  const out = [...lines];
  const i = Math.floor(rand() * out.length);
  const kind = Math.floor(rand() * 6);
  if (kind === 0 && out.length)
    out[i] = { ...out[i], ...clip(rand, rand() * 2) }; // regenerate (may clip)
  else if (kind === 1 && out.length) out[i] = { ...out[i], gainDb: Math.round(rand() * 36 - 24) };
  else if (kind === 2 && out.length) out[i] = { ...out[i], pauseAfterSec: Math.round(rand() * 3000) / 1000 };
  else if (kind === 3)
    out.splice(i, 0, { lineId: `n${clipSeq}`, gainDb: 0, pauseAfterSec: 0.3, ...clip(rand) });
  else if (kind === 4 && out.length > 1) out.splice(i, 1);
  else if (out.length) out[i] = { ...out[i], pauseAfterSec: out[i].pauseAfterSec + 0.123 };
  return out;
}

function initial(rand: () => number, count: number): EngineLine[] {
  return Array.from({ length: count }, (_, i) => ({
    lineId: `l${i}`,
    gainDb: 0,
    pauseAfterSec: Math.round(rand() * 800) / 1000,
    ...clip(rand),
  }));
}

/** Index of the first sample whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('MixEngine', () => {
  it('equals a full mix sample for sample after random edits (without a bed, and with one in either mode)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (seed, withBed) => {
        const rand = seededRandom(seed);
        const engine = new MixEngine(SR, PPS);
        let lines = initial(rand, 1 + Math.floor(rand() * (rand() < 0.5 ? 12 : 40)));
        let b = withBed ? bed(rand) : undefined;
        for (let step = 0; step < 8; step++) {
          const got = engine.update(lines, b);
          const want = fullMix(lines, b, SR, PPS);
          expect(got.samples.length).toBe(want.samples.length);
          expect(firstDifference(got.samples, want.samples), `step ${step}`).toBe(-1);
          expect(got.peaks).toEqual(want.peaks);
          expect(got.entries).toEqual(want.entries);
          // The finer peak levels (cached tiles) equal those of the full mix too.
          const level = [100, 500][step % 2];
          const all = Math.ceil((want.samples.length * level) / SR);
          const from = Math.floor(rand() * all);
          expect([...engine.peaksWindow(level, from, 50)]).toEqual([
            ...quantizedPeaks(want.samples, SR, level, from, 50),
          ]);
          lines = edit(lines, rand);
          if (b && rand() < 0.15) b = { ...b, gainDb: b.gainDb - 1 };
          if (b && rand() < 0.1) b = { ...b, underSec: [0, 0.3, 0.7][Math.floor(rand() * 3)] };
          if (rand() < 0.05) b = b ? undefined : bed(rand);
          if (b && rand() < 0.05) b = { ...b, mode: b.mode === 'under-all' ? 'intro-outro' : 'under-all' };
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('re-renders only from the changed line and moves the tail', () => {
    const rand = seededRandom(7);
    const lines = initial(rand, 40);
    const engine = new MixEngine(SR, PPS);
    const first = engine.update(lines);
    expect(first.renderedSamples).toBe(first.samples.length);
    const edited = [...lines];
    edited[30] = { ...edited[30], ...clip(rand) };
    const next = engine.update(edited);
    expect(next.changedFrom).toBe(next.entries[30].startSample);
    expect(next.renderedSamples).toBe(next.entries[31].startSample - next.entries[30].startSample);
    // Nothing changed: nothing rendered.
    expect(engine.update(edited).renderedSamples).toBe(0);
  });

  it('stays equal to a full mix (peaks too) while edits move the head, the tail, or outgrow the buffer', () => {
    // At 1000 Hz the clips are long against the buffer's 30 s of slack, so it is outgrown too.
    for (const [sr, pps] of [
      [22050, 50],
      [1000, 7],
    ]) {
      const rand = seededRandom(11);
      let lines = initial(rand, 30);
      const engine = new MixEngine(sr, pps);
      const scale = (l: EngineLine): EngineLine => {
        // Longer clips (seconds, not tenths), with a rising envelope that puts peaks on bucket edges.
        const c = new Float32Array(l.clip.length * 200);
        for (let i = 0; i < c.length; i++) c[i] = l.clip[i % l.clip.length] * (i / c.length);
        return { ...l, clip: c };
      };
      lines = lines.map(scale);
      for (let step = 0; step < 40; step++) {
        const got = engine.update(lines);
        const want = fullMix(lines, undefined, sr, pps);
        expect(firstDifference(got.samples, want.samples), `step ${step}`).toBe(-1);
        expect(got.samples.length).toBe(want.samples.length);
        expect(got.peaks).toEqual(want.peaks);
        const i = step % 3 === 0 ? 0 : Math.floor(rand() * lines.length);
        lines = [...lines];
        if (step % 4 === 3) lines.splice(i, 1);
        else
          lines.splice(i, 0, {
            ...scale({
              lineId: `x${step}`,
              gainDb: step % 5 === 0 ? 9 : 0,
              pauseAfterSec: 0.4,
              ...clip(rand),
            }),
          });
      }
    }
  });

  it('with a bed, re-mixes only the edited span and its ducking ramps (the rest is moved)', () => {
    const sr = 22050;
    const rand = seededRandom(5);
    // 200 lines of 1–3 s: a 7-minute episode; the bed's intro and outro are far from line 100.
    let lines: EngineLine[] = Array.from({ length: 200 }, (_, i) => {
      const c = new Float32Array(Math.round((1 + rand() * 2) * sr));
      for (let j = 0; j < c.length; j++) c[j] = (rand() * 2 - 1) * 0.5;
      return { lineId: `l${i}`, hash: `s${i}`, clip: c, gainDb: 0, pauseAfterSec: 0.4 };
    });
    const music = new Float32Array(sr * 3).map((_, i) => 0.3 * Math.sin(i / 9));
    const b: EngineBed = {
      key: 'bed',
      music,
      gainDb: -10,
      duckDb: -12,
      fadeInSec: 1,
      fadeOutSec: 2,
      introSec: 4,
      outroSec: 5,
      underSec: 6,
    };
    const engine = new MixEngine(sr, 20);
    engine.update(lines, b);
    const attack = Math.round(0.25 * sr);
    const release = Math.round(0.6 * sr);
    const check = (label: string, next: EngineLine[], maxRendered: number) => {
      const got = engine.update(next, b);
      const want = fullMix(next, b, sr, 20);
      expect(firstDifference(got.samples, want.samples), label).toBe(-1);
      expect(got.samples.length, label).toBe(want.samples.length);
      expect(got.peaks, label).toEqual(want.peaks);
      expect(got.renderedSamples, label).toBeLessThanOrEqual(maxRendered);
      lines = next;
      return got;
    };
    const at = 100;
    const span = (l: EngineLine[]) => l[at].clip.length;
    // 1. Same duration (a new take of the same length): only that line's span and its ramps.
    const same = [...lines];
    same[at] = { ...same[at], hash: 'same-length', clip: same[at].clip.map((x) => -x) };
    const r1 = check('same duration', same, 2 * span(same) + 2 * (attack + release));
    expect(r1.changedFrom).toBe(r1.entries[at].startSample - attack);
    // 2. Longer take: the tail moves; still only the new span and the ramps are mixed.
    const longer = [...lines];
    const clip = noise(rand, span(lines) + sr, 0.4);
    longer[at] = { ...longer[at], hash: 'longer', clip };
    check('longer', longer, 2 * clip.length + 2 * (attack + release));
    // 3. Gain change.
    const louder = [...lines];
    louder[at] = { ...louder[at], gainDb: 6 };
    check('gain', louder, 2 * span(louder) + 2 * (attack + release));
    // 4. Pause drag: the line after it moves; only the ramps around the pause are mixed.
    const paused = [...lines];
    paused[at] = { ...paused[at], pauseAfterSec: 1.7 };
    check('pause', paused, 2 * Math.round(1.7 * sr) + 2 * (attack + release));
    // New bed settings: only the intro and the outro are mixed again (the speech between is alone).
    const quieter = { ...b, gainDb: -16 };
    const got = engine.update(lines, quieter);
    const want = fullMix(lines, quieter, sr, 20);
    expect(firstDifference(got.samples, want.samples)).toBe(-1);
    expect(got.peaks).toEqual(want.peaks);
    expect(got.renderedSamples).toBeLessThanOrEqual(Math.round((4 + 6 + 6 + 5) * sr));
    engine.update(lines, b);
    // Shorter than all of that: an edit near the end, where the outro moves.
    const end = [...lines];
    end[199] = { ...end[199], hash: 'last', clip: end[199].clip.subarray(0, sr) };
    check('last line', end, Math.round(20 * sr));
  });

  it('keeps the finer peak tiles before an edit and rebuilds those after it', () => {
    const rand = seededRandom(9);
    const lines = initial(rand, 40);
    const engine = new MixEngine(SR, PPS);
    const first = engine.update(lines);
    const level = 500;
    const all = Math.ceil((first.samples.length * level) / SR);
    const before = [...engine.peaksWindow(level, 0, all)];
    const tiles = engine.peakTiles;
    expect(tiles).toBeGreaterThan(1);
    const edited = [...lines];
    edited[39] = { ...edited[39], ...clip(rand) };
    const next = engine.update(edited);
    expect(engine.peakTiles).toBeLessThan(tiles);
    expect(engine.peakTiles).toBeGreaterThan(0);
    const after = [...engine.peaksWindow(level, 0, all + 100)];
    expect(after).toEqual([
      ...quantizedPeaks(fullMix(edited, undefined, SR, PPS).samples, SR, level, 0, all + 100),
    ]);
    // The buckets wholly before the change are the ones kept.
    const keptBuckets = Math.floor((next.changedFrom * level) / SR) - 1;
    expect(after.slice(0, keptBuckets)).toEqual(before.slice(0, keptBuckets));
  });

  it('with a looped bed (mode under-all), re-mixes from the edit to the end: the price of that mode', () => {
    const rand = seededRandom(13);
    const lines = initial(rand, 40);
    const b: EngineBed = { ...bed(rand), mode: 'under-all', fadeInSec: 0.4, fadeOutSec: 0.7 };
    const engine = new MixEngine(SR, PPS);
    engine.update(lines, b);
    const edited = [...lines];
    edited[20] = { ...edited[20], gainDb: -6 };
    const got = engine.update(edited, b);
    const want = fullMix(edited, b, SR, PPS);
    expect(firstDifference(got.samples, want.samples)).toBe(-1);
    expect(got.peaks).toEqual(want.peaks);
    const attack = Math.round(0.25 * SR);
    expect(got.changedFrom).toBe(got.entries[20].startSample - attack);
    expect(got.renderedSamples).toBeGreaterThanOrEqual(got.samples.length - got.changedFrom);
    expect(fullMix(edited, b, SR, PPS).bedParts).toBeUndefined();
    // The same bed as intro/outro only re-mixes the line and its ramps.
    const io = new MixEngine(SR, PPS);
    io.update(lines, { ...b, mode: 'intro-outro', underSec: 0 });
    const small = io.update(edited, { ...b, mode: 'intro-outro', underSec: 0 });
    expect(small.renderedSamples).toBeLessThan(got.renderedSamples);
  });
});
