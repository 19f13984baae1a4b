import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullMix, MixEngine, type EngineBed, type EngineLine } from './mix-engine';

const SR = 1000;
const PPS = 7; // awkward bucket size (142.86 samples) on purpose

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

let clipSeq = 0;
function clip(rand: () => number, loud = 0.9): { hash: string; clip: Float32Array } {
  const c = new Float32Array(50 + Math.floor(rand() * 400));
  for (let i = 0; i < c.length; i++) c[i] = (rand() * 2 - 1) * loud;
  return { hash: `h${++clipSeq}`, clip: c };
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
  it('equals a full mix sample for sample after random edits (with and without a bed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (seed, withBed) => {
        const rand = rng(seed);
        const engine = new MixEngine(SR, PPS);
        let lines = initial(rand, 1 + Math.floor(rand() * 12));
        let b = withBed ? bed(rand) : undefined;
        for (let step = 0; step < 8; step++) {
          const got = engine.update(lines, b);
          const want = fullMix(lines, b, SR, PPS);
          expect(got.samples.length).toBe(want.samples.length);
          expect(firstDifference(got.samples, want.samples), `step ${step}`).toBe(-1);
          expect(got.peaks).toEqual(want.peaks);
          expect(got.entries).toEqual(want.entries);
          lines = edit(lines, rand);
          if (b && rand() < 0.1) b = { ...b, gainDb: b.gainDb - 1 };
          if (rand() < 0.05) b = b ? undefined : bed(rand);
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('re-renders only from the changed line and moves the tail', () => {
    const rand = rng(7);
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
      const rand = rng(11);
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
});
