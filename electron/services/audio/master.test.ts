import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espeakDialogue } from '../test-support/speech';
import { measureLoudness, truePeak } from './loudness';
import { LOUDNESS_PRESETS, limitTruePeak, masterToTarget, type LoudnessTarget } from './master';
import { encodeWav } from './wav';
import { ffmpegEbur128 } from '../test-support/media-probe';

const RATE = 22050;
const dir = mkdtempSync(join(tmpdir(), 'gps-master-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Integrated loudness and true peak as `ffmpeg -af ebur128=peak=true` reports them for a 16-bit WAV. */
function ffmpegMeasure(
  name: string,
  samples: Float32Array,
  rate = RATE,
): { integrated: number; truePeak: number } {
  const file = join(dir, name);
  writeFileSync(file, encodeWav(samples, rate));
  const { integrated, truePeak } = ffmpegEbur128(file);
  return { integrated, truePeak };
}

function sine(seconds: number, hz: number, amplitude: number, phase = 0, rate = RATE): Float32Array {
  const n = Math.round(seconds * rate);
  const fade = Math.round(0.05 * rate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] =
      Math.min(1, i / fade, (n - 1 - i) / fade) * amplitude * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  }
  return out;
}

function expectOnTarget(name: string, samples: Float32Array, target: LoudnessTarget): void {
  const ref = ffmpegMeasure(name, samples);
  expect(Math.abs(ref.integrated - target.integratedLufs), `ffmpeg I ${ref.integrated}`).toBeLessThanOrEqual(
    0.5,
  );
  expect(ref.truePeak, 'ffmpeg true peak').toBeLessThanOrEqual(target.truePeakDbtp + 0.1);
}

let speech: Float32Array;

beforeAll(async () => {
  speech = await espeakDialogue();
});

describe('LOUDNESS_PRESETS', () => {
  it('holds podcast −16, mono −19 and streaming −14 LUFS, all at −1 dBTP', () => {
    expect(LOUDNESS_PRESETS).toEqual({
      podcast: { integratedLufs: -16, truePeakDbtp: -1 },
      mono: { integratedLufs: -19, truePeakDbtp: -1 },
      streaming: { integratedLufs: -14, truePeakDbtp: -1 },
    });
  });
});

describe('masterToTarget', () => {
  it.each(Object.entries(LOUDNESS_PRESETS))(
    'masters espeak speech to the %s preset, as ffmpeg measures it',
    (name, target) => {
      const r = masterToTarget(speech, RATE, target);
      expectOnTarget(`speech-${name}.wav`, r.samples, target);
      expect(r.samples).not.toBe(speech);
      expect(r.samples.length).toBe(speech.length);
      expect(Math.abs(r.after.integratedLufs - target.integratedLufs)).toBeLessThanOrEqual(0.1);
      expect(r.after.truePeakDbtp).toBeLessThanOrEqual(target.truePeakDbtp);
      expect(r.before.integratedLufs).toBeCloseTo(measureLoudness(speech, RATE).integratedLufs, 9);
    },
  );

  it('defaults to the podcast preset and reports the gain it applied', () => {
    const r = masterToTarget(speech, RATE);
    expect(Math.abs(r.after.integratedLufs + 16)).toBeLessThanOrEqual(0.1);
    // The limiter costs loudness, so the final gain exceeds the plain difference.
    expect(r.gainDb).toBeGreaterThanOrEqual(-16 - r.before.integratedLufs);
  });

  it('brings a full-scale sine down to the target with plain gain (no limiting needed)', () => {
    const loud = sine(10, 1000, 1);
    const r = masterToTarget(loud, RATE, LOUDNESS_PRESETS.podcast);
    expectOnTarget('loud-sine.wav', r.samples, LOUDNESS_PRESETS.podcast);
    expect(r.limiterReductionDb).toBe(0);
    expect(r.gainDb).toBeCloseTo(-16 - r.before.integratedLufs, 9);
    expect(r.samples[5000] / loud[5000]).toBeCloseTo(Math.pow(10, r.gainDb / 20), 5);
  });

  it('limits a loud, peaky signal: clicks far above the speech end at the ceiling', () => {
    const clicky = speech.slice();
    for (let i = 4000; i < clicky.length; i += 25000) clicky.set([1, -1], i);
    for (const target of [LOUDNESS_PRESETS.podcast, LOUDNESS_PRESETS.streaming]) {
      const r = masterToTarget(clicky, RATE, target);
      expect(r.limiterReductionDb).toBeGreaterThan(6);
      expectOnTarget(`clicky-${target.integratedLufs}.wav`, r.samples, target);
    }
  });

  it('raises a very quiet recording by 30 dB and still keeps peaks under the ceiling', () => {
    const quiet = speech.map((v) => v * 0.03);
    const r = masterToTarget(quiet, RATE, LOUDNESS_PRESETS.mono);
    expect(r.gainDb).toBeGreaterThan(25);
    expectOnTarget('quiet.wav', r.samples, LOUDNESS_PRESETS.mono);
  });

  it('returns digital silence unchanged, with gainDb 0', () => {
    const silence = new Float32Array(RATE * 3);
    const r = masterToTarget(silence, RATE);
    expect(r.samples).toBe(silence);
    expect(r.gainDb).toBe(0);
    expect(r.limiterReductionDb).toBe(0);
    expect(r.before.integratedLufs).toBe(-Infinity);
    expect(r.after).toEqual(r.before);
  });

  it('leaves audio shorter than one 400 ms block alone (its loudness is undefined)', () => {
    const blip = sine(0.3, 440, 0.5);
    const r = masterToTarget(blip, RATE);
    expect(r.samples).toBe(blip);
    expect(r.gainDb).toBe(0);
  });

  it('rejects targets outside −70…0 LUFS and −20…0 dBTP', () => {
    expect(() => masterToTarget(speech, RATE, { integratedLufs: 3, truePeakDbtp: -1 })).toThrow(RangeError);
    expect(() => masterToTarget(speech, RATE, { integratedLufs: -16, truePeakDbtp: 1 })).toThrow(RangeError);
    expect(() => masterToTarget(speech, RATE, { integratedLufs: Number.NaN, truePeakDbtp: -1 })).toThrow(
      RangeError,
    );
  });
});

describe('limitTruePeak', () => {
  /** The gain the limiter applied to each sample (where the input is not near zero). */
  function envelope(input: Float32Array, output: Float32Array, gainDb: number): Float64Array {
    const g = Math.pow(10, gainDb / 20);
    const env = new Float64Array(input.length).fill(Number.NaN);
    for (let i = 0; i < input.length; i++) if (Math.abs(input[i]) > 1e-3) env[i] = output[i] / (input[i] * g);
    return env;
  }

  // A 200 Hz tone at −20 dBFS, 18 dB louder for 50 ms in the middle (2 ms ramps).
  const burstStart = RATE;
  const burstEnd = burstStart + Math.round(0.05 * RATE);
  const ramp = Math.round(0.002 * RATE);
  const signal = Float32Array.from({ length: 2 * RATE + (burstEnd - burstStart) }, (_, i) => {
    const up = Math.min(
      1,
      Math.max(0, (i - burstStart + ramp) / ramp),
      Math.max(0, (burstEnd + ramp - i) / ramp),
    );
    return (0.1 + 0.7 * up) * Math.sin((2 * Math.PI * 200 * i) / RATE);
  });
  const quiet = signal.subarray(0, burstStart - ramp);

  it('keeps the true peak under the ceiling with a smooth gain that starts falling ahead of the peak', () => {
    const r = limitTruePeak(signal, RATE, -6, { gainDb: 6, lookAheadMs: 5 });
    expect(truePeak(r.samples, 8)).toBeLessThanOrEqual(Math.pow(10, -6 / 20) * 1.001);
    expect(r.reductionDb).toBeGreaterThan(10);
    const env = envelope(signal, r.samples, 6);
    // The gain at the tone's crest nearest to sample i (where it can be read precisely).
    const at = (i: number): number => {
      let best = i;
      for (let j = i - 60; j <= i + 60; j++) if (Math.abs(signal[j]) > Math.abs(signal[best])) best = j;
      return env[best];
    };
    // Untouched well before the burst; already lowered as it starts (the look-ahead).
    expect(at(burstStart - Math.round(0.02 * RATE))).toBeCloseTo(1, 6);
    expect(at(burstStart)).toBeLessThan(0.5);
    // Smooth: no step larger than about 1/(look-ahead in samples) — clipping would jump at once.
    const lookAhead = 0.005 * RATE;
    let steepest = 0;
    for (let i = 1; i < env.length; i++) {
      if (Number.isFinite(env[i]) && Number.isFinite(env[i - 1]))
        steepest = Math.max(steepest, Math.abs(env[i] - env[i - 1]));
    }
    expect(steepest).toBeLessThan(2 / lookAhead);
    // Never above the plain gain, and back to it once the release is over.
    for (const e of env) if (Number.isFinite(e)) expect(e).toBeLessThanOrEqual(1 + 1e-6);
    expect(at(env.length - Math.round(0.1 * RATE))).toBeCloseTo(1, 4);
  });

  it('does nothing but the gain when nothing reaches the ceiling', () => {
    const r = limitTruePeak(quiet, RATE, -1, { gainDb: 3 });
    expect(r.reductionDb).toBe(0);
    const g = Math.pow(10, 3 / 20);
    for (let i = 0; i < quiet.length; i += 97) expect(r.samples[i]).toBeCloseTo(quiet[i] * g, 6);
  });

  it('catches inter-sample peaks: a quarter-rate sine 45° off its crests reads 3 dB over its samples', () => {
    const x = sine(1, RATE / 4, 0.7, Math.PI / 4); // samples at ±0.49, true peak 0.7
    const r = limitTruePeak(x, RATE, -6);
    expect(truePeak(r.samples, 8)).toBeLessThanOrEqual(Math.pow(10, -6 / 20) * 1.001);
    // Samples alone (0.49 < 0.501) never reach the ceiling: only the interpolated crest does.
    expect(r.reductionDb).toBeGreaterThan(2.5);
  });

  it('in thorough mode also catches a peak 6 dB above samples that all stay 3 dB under the ceiling', () => {
    // Signs of the interpolation taps around the midpoint: every tap adds up at that point.
    const pattern = [-1, 1, -1, 1, 1, -1, 1, -1].map((s) => s * 0.6 * Math.pow(10, -3 / 20));
    const x = speech.map((v) => v * 0.1);
    for (let i = 3000; i < x.length; i += 15000) x.set(pattern, i);
    const ceiling = Math.pow(10, -3 / 20);
    expect(truePeak(x, 8)).toBeGreaterThan(ceiling * 1.15);
    expect(truePeak(limitTruePeak(x, RATE, -3).samples, 8)).toBeGreaterThan(ceiling * 1.15); // by design
    const r = limitTruePeak(x, RATE, -3, { thorough: true });
    expect(truePeak(r.samples, 8)).toBeLessThanOrEqual(ceiling * 1.001);
  });

  it('masterToTarget falls back to the thorough pass when the fast one leaves an overshoot', () => {
    const pattern = [-1, 1, -1, 1, 1, -1, 1, -1].map((s) => s * 0.25);
    const x = speech.map((v) => v * 0.1);
    for (let i = 3000; i < x.length; i += 15000) x.set(pattern, i);
    const r = masterToTarget(x, RATE, LOUDNESS_PRESETS.podcast);
    // Judged by our meter only: for a pattern made of near-Nyquist content like this one, ffmpeg's
    // 192 kHz resampler reads up to ~0.3 dB higher than our 16-tap interpolator (see loudness.ts).
    expect(truePeak(r.samples, 8)).toBeLessThanOrEqual(Math.pow(10, -1 / 20) * 1.001);
    expect(r.after.truePeakDbtp).toBeLessThanOrEqual(-1);
  });
});
