import { describe, expect, it } from 'vitest';
import { resample } from './resample';

function tone(freq: number, rate: number, sec: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * sec));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Magnitude of one frequency (Goertzel), normalised so a full-length sine of amplitude a gives a. */
function level(x: Float32Array, rate: number, freq: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * freq) / rate;
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i] * Math.cos(w * i);
    im -= x[i] * Math.sin(w * i);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it.each([
    [24000, 22050],
    [44100, 22050],
    [16000, 22050],
    [48000, 22050],
    [22050, 24000],
    [32000, 22050],
  ])('%i → %i Hz keeps the duration and a 1 kHz tone at its frequency and level', (from, to) => {
    const x = tone(1000, from, 1.5);
    const y = resample(x, from, to);
    expect(y.length).toBe(Math.round((x.length * to) / from));
    // Away from the edges (the filter's half-width) the tone is intact.
    const a = Math.round(0.1 * to);
    const b = y.length - a;
    expect(level(y, to, 1000, a, b)).toBeGreaterThan(0.49);
    expect(level(y, to, 1000, a, b)).toBeLessThan(0.51);
    // Nothing at a neighbouring frequency (a wrong ratio would shift the tone).
    expect(level(y, to, 1100, a, b)).toBeLessThan(0.01);
    expect(level(y, to, (1000 * from) / to, a, b)).toBeLessThan(0.02);
    // Energy is all in the tone.
    expect(rms(y, a, b)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('low-passes before downsampling: a tone above the new Nyquist frequency does not alias', () => {
    // 11.5 kHz at 24 kHz would fold to 10.55 kHz at 22.05 kHz without the filter.
    const y = resample(tone(11_500, 24000, 1), 24000, 22050);
    const a = 2000;
    expect(rms(y, a, y.length - a)).toBeLessThan(0.5 * 0.01); // at least −40 dB
    expect(level(y, 22050, 10_550, a, y.length - a)).toBeLessThan(0.005);
  });

  it('keeps a constant constant and silence silent, and handles empty input', () => {
    const y = resample(new Float32Array(4800).fill(0.25), 24000, 22050);
    for (let i = 100; i < y.length - 100; i++) expect(Math.abs(y[i] - 0.25)).toBeLessThan(1e-4);
    expect(rms(resample(new Float32Array(1000), 44100, 22050))).toBe(0);
    expect(resample(new Float32Array(0), 24000, 22050).length).toBe(0);
    expect(() => resample(new Float32Array(4), 0, 22050)).toThrow(RangeError);
  });

  it('returns a copy at equal rates', () => {
    const x = tone(440, 22050, 0.1);
    const y = resample(x, 22050, 22050);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual(Array.from(x));
  });
});
