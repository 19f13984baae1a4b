import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espeakDialogue } from '../test-support/speech';
import {
  biquadGainDb,
  integratedLoudness,
  interSamplePeak,
  kWeightingFilters,
  kWeightingPrototype,
  measureLoudness,
  truePeak,
  truePeakKernel,
} from './loudness';
import { concatFloat32 } from './pcm';
import { decodeWav, encodeWav } from './wav';
import { ffmpegEbur128 } from '../test-support/media-probe';

const dir = mkdtempSync(join(tmpdir(), 'gps-loudness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes 16-bit WAV and returns it decoded, so ours and ffmpeg read the very same samples. */
function roundTrip(
  name: string,
  samples: Float32Array,
  rate: number,
): { file: string; samples: Float32Array } {
  const file = join(dir, name);
  writeFileSync(file, encodeWav(samples, rate));
  return { file, samples: decodeWav(new Uint8Array(readFileSync(file))).samples };
}

/** Sine with 50 ms linear fades (an abrupt start is not band-limited and rings in any meter). */
function sine(rate: number, seconds: number, hz: number, peakDbfs: number, phase = 0): Float32Array {
  const n = Math.round(seconds * rate);
  const fade = Math.round(0.05 * rate);
  const a = Math.pow(10, peakDbfs / 20);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Math.min(1, i / fade, (n - 1 - i) / fade) * a * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  }
  return out;
}

/** Deterministic PRNG (mulberry32) so noise tests never flake. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Pink-ish noise (white noise through three one-pole low-passes) in 2 s bursts at −20, −32 and
 * −45 dBFS RMS with 1 s of digital silence between them, then 3 s at −85 dBFS: the silence and
 * the −85 dBFS stretch fall under the absolute gate, the −45 dBFS burst under the relative one.
 */
function pinkBursts(rate: number): Float32Array {
  const rnd = random(1770);
  const parts: Float32Array[] = [];
  for (const dbfs of [-20, -32, -20, -45, -20, -85]) {
    const n = (dbfs === -85 ? 3 : 2) * rate;
    const burst = new Float32Array(n);
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const w = rnd() * 2 - 1;
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      burst[i] = b0 + b1 + b2 + w * 0.1848;
      energy += burst[i] * burst[i];
    }
    const scale = Math.pow(10, dbfs / 20) / Math.sqrt(energy / n);
    const fade = Math.round(0.02 * rate);
    for (let i = 0; i < n; i++) burst[i] *= scale * Math.min(1, i / fade, (n - 1 - i) / fade);
    parts.push(burst, new Float32Array(rate));
  }
  return concatFloat32(parts);
}

/** Brute force: every sample and every interpolated point. */
function bruteTruePeak(samples: Float32Array, factor: number): number {
  const kernel = truePeakKernel(factor);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    peak = Math.max(peak, Math.abs(samples[i]), interSamplePeak(samples, i, kernel));
  }
  return peak;
}

const db = (v: number): number => 20 * Math.log10(v);

function maxAbs(samples: Float32Array): number {
  let m = 0;
  for (const v of samples) m = Math.max(m, Math.abs(v));
  return m;
}

let speech22: Float32Array;

beforeAll(async () => {
  speech22 = await espeakDialogue();
});

describe('kWeightingFilters', () => {
  it('reproduces the coefficients BS.1770-4 publishes for 48 kHz', () => {
    const [shelf, highPass] = kWeightingFilters(48000);
    const published = [
      [shelf, [1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585]],
      [highPass, [1, -2, 1, -1.99004745483398, 0.99007225036621]],
    ] as const;
    for (const [f, [b0, b1, b2, a1, a2]] of published) {
      for (const [got, want] of [
        [f.b0, b0],
        [f.b1, b1],
        [f.b2, b2],
        [f.a1, a1],
        [f.a2, a2],
      ]) {
        expect(got).toBeCloseTo(want, 12);
      }
    }
  });

  it('recovers the analog prototype: a +4 dB shelf near 1682 Hz and a 38 Hz high-pass', () => {
    const { shelf, highPass } = kWeightingPrototype();
    expect(shelf.f0).toBeCloseTo(1681.97, 1);
    expect(shelf.q).toBeCloseTo(0.7072, 4);
    expect(shelf.low).toBeCloseTo(1, 9); // unity gain at DC
    expect(db(shelf.high)).toBeCloseTo(4.0, 2); // +4 dB at high frequencies
    expect(highPass.f0).toBeCloseTo(38.135, 2);
    expect(highPass.q).toBeCloseTo(0.5003, 4);
    expect(highPass.low).toBeCloseTo(0, 12);
  });

  it.each([22050, 44100, 32000, 96000])('at %i Hz matches the 48 kHz response within 0.03 dB', (rate) => {
    const ours = kWeightingFilters(rate);
    const reference = kWeightingFilters(48000);
    for (const hz of [20, 50, 100, 500, 997, 1500, 2000, 3000, 5000, 8000, Math.min(10000, rate * 0.45)]) {
      const diff = biquadGainDb(ours, hz, rate) - biquadGainDb(reference, hz, 48000);
      expect(Math.abs(diff), `${hz} Hz`).toBeLessThan(0.03);
    }
    // The published 48 kHz coefficients used as-is at 22.05 kHz would be far off (shelf at 773 Hz).
    if (rate === 22050) {
      const wrong = biquadGainDb(reference, 1000, 22050) - biquadGainDb(reference, 1000, 48000);
      expect(Math.abs(wrong)).toBeGreaterThan(1);
    }
  });

  it('rejects rates too low for the shelf', () => {
    expect(() => kWeightingFilters(4000)).toThrow(RangeError);
    expect(() => kWeightingFilters(Number.NaN)).toThrow(RangeError);
  });
});

describe('truePeak', () => {
  it('finds the crest between samples of a quarter-rate sine sampled 45° off its peak', () => {
    for (const rate of [22050, 48000]) {
      const x = sine(rate, 1, rate / 4, -6, Math.PI / 4);
      const samplePeak = maxAbs(x);
      expect(db(samplePeak)).toBeCloseTo(-9.03, 1); // every sample sits at ±cos 45°
      expect(db(truePeak(x))).toBeCloseTo(-6, 1);
    }
  });

  it('gives exactly the brute-force answer (the skipping loses nothing)', () => {
    const rnd = random(7);
    const noise = Float32Array.from({ length: 40000 }, () => (rnd() * 2 - 1) * 0.5);
    const spikes = speech22.slice();
    for (let i = 3000; i < spikes.length; i += 20000) spikes.set([0.9, -0.9, 0.9], i);
    for (const signal of [speech22, noise, spikes, pinkBursts(22050)]) {
      for (const factor of [4, 8]) expect(truePeak(signal, factor)).toBe(bruteTruePeak(signal, factor));
    }
  });

  it('is never below the sample peak and is 0 for silence', () => {
    expect(truePeak(speech22)).toBeGreaterThanOrEqual(maxAbs(speech22));
    expect(truePeak(new Float32Array(1000))).toBe(0);
    expect(truePeak(new Float32Array(0))).toBe(0);
  });
});

describe('measureLoudness', () => {
  it('reports −Infinity for digital silence', () => {
    const r = measureLoudness(new Float32Array(22050 * 5), 22050);
    expect(r).toEqual({ integratedLufs: -Infinity, truePeakDbtp: -Infinity, samplePeakDbfs: -Infinity });
  });

  it('has no integrated loudness for audio shorter than one 400 ms block, but has peaks', () => {
    const r = measureLoudness(sine(22050, 0.35, 1000, -6), 22050);
    expect(r.integratedLufs).toBe(-Infinity);
    expect(r.samplePeakDbfs).toBeCloseTo(-6, 1);
    expect(r.lra).toBeUndefined();
  });

  it('measures mono as one channel: a full-scale 997 Hz sine reads −3.0 LUFS (no dual-mono +3 dB)', () => {
    const r = measureLoudness(sine(48000, 10, 997, 0), 48000);
    expect(r.integratedLufs).toBeGreaterThan(-3.1);
    expect(r.integratedLufs).toBeLessThan(-2.95);
  });

  it('gates: an equally long part 30 dB quieter does not pull the integrated loudness down', () => {
    const rate = 22050;
    const loud = sine(rate, 10, 1000, -10);
    const quiet = sine(rate, 10, 1000, -40);
    const alone = measureLoudness(loud, rate).integratedLufs;
    expect(alone - measureLoudness(quiet, rate).integratedLufs).toBeCloseTo(30, 1);
    // Ungated, the mean power of the two halves would read 3 LU lower. Gated, only the blocks
    // that straddle the fade between the parts (above the −10 LU gate) cost a little.
    const both = measureLoudness(concatFloat32([loud, quiet]), rate).integratedLufs;
    expect(both).toBeLessThanOrEqual(alone);
    expect(alone - both).toBeLessThan(0.15);
  });

  it('ignores everything under the absolute gate of −70 LUFS', () => {
    expect(measureLoudness(sine(22050, 5, 1000, -75), 22050).integratedLufs).toBe(-Infinity);
  });

  it('integratedLoudness agrees with measureLoudness', () => {
    expect(integratedLoudness(speech22, 22050)).toBe(measureLoudness(speech22, 22050).integratedLufs);
  });
});

describe('agrees with ffmpeg ebur128 (±0.2 LU integrated, ±0.3 dB true peak)', () => {
  const signals: [string, (rate: number) => Float32Array][] = [
    ['1 kHz sine at −20 dBFS', (rate) => sine(rate, 10, 1000, -20)],
    ['997 Hz sine at −3 dBFS', (rate) => sine(rate, 10, 997, -3, 0.3)],
    ['pink noise bursts with silences (gating)', pinkBursts],
    [
      'espeak speech',
      (rate) => {
        if (rate === 22050) return speech22;
        // Resampled by ffmpeg from the 22.05 kHz clip, as a 44.1/48 kHz import would be.
        const src = join(dir, 'speech-src.wav');
        const dst = join(dir, `speech-${rate}.wav`);
        writeFileSync(src, encodeWav(speech22, 22050));
        execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-ar', String(rate), dst]);
        return decodeWav(new Uint8Array(readFileSync(dst))).samples;
      },
    ],
  ];
  const cases = [22050, 44100, 48000].flatMap((rate) =>
    signals.map(([name, make]) => ({ rate, name, make })),
  );

  it.each(cases)('$name at $rate Hz', ({ rate, name, make }) => {
    const { file, samples } = roundTrip(`${name.replace(/\W+/g, '-')}-${rate}.wav`, make(rate), rate);
    const ours = measureLoudness(samples, rate);
    const ref = ffmpegEbur128(file);
    expect(
      Math.abs(ours.integratedLufs - ref.integrated),
      `integrated ${ours.integratedLufs} vs ${ref.integrated}`,
    ).toBeLessThanOrEqual(0.2);
    expect(
      Math.abs(ours.truePeakDbtp - ref.truePeak),
      `true peak ${ours.truePeakDbtp} vs ${ref.truePeak}`,
    ).toBeLessThanOrEqual(0.3);
    expect(Math.abs((ours.lra ?? 0) - ref.lra), `LRA ${ours.lra} vs ${ref.lra}`).toBeLessThanOrEqual(0.5);
  });
});
