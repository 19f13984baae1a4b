import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/contract';
import { decodeWav, encodeWav } from './wav';

const dir = mkdtempSync(join(tmpdir(), 'gps-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sine(seconds: number, sampleRate: number, hz = 440, amp = 0.5): Float32Array {
  const s = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < s.length; i++) s[i] = amp * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return s;
}

function ffprobe(file: string): { duration: number; sampleRate: number; channels: number; codec: string } {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels,duration',
    '-of',
    'json',
    file,
  ]).toString();
  const s = JSON.parse(out).streams[0];
  return {
    duration: Number(s.duration),
    sampleRate: Number(s.sample_rate),
    channels: s.channels,
    codec: s.codec_name,
  };
}

function expectCorrupt(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('corrupt');
    expect((err as StudioError).message).toMatch(message);
    return;
  }
  throw new Error('expected a corrupt error');
}

describe('encodeWav / decodeWav', () => {
  it('round-trips within one 16-bit step', () => {
    const src = sine(0.25, 22050);
    const { samples, sampleRate } = decodeWav(encodeWav(src, 22050));
    expect(sampleRate).toBe(22050);
    expect(samples.length).toBe(src.length);
    let maxErr = 0;
    for (let i = 0; i < src.length; i++) maxErr = Math.max(maxErr, Math.abs(samples[i] - src[i]));
    expect(maxErr).toBeLessThan(1 / 32767);
  });

  it('writes a file ffprobe reads with the right duration and format', () => {
    const file = join(dir, 'sine.wav');
    writeFileSync(file, encodeWav(sine(2.5, 22050), 22050));
    const p = ffprobe(file);
    expect(p.codec).toBe('pcm_s16le');
    expect(p.sampleRate).toBe(22050);
    expect(p.channels).toBe(1);
    expect(p.duration).toBeCloseTo(2.5, 3);
  });

  it('reads 32-bit float stereo and 24-bit files written by ffmpeg, downmixed to mono', () => {
    const src = join(dir, 'src.wav');
    writeFileSync(src, encodeWav(sine(1, 16000, 300, 0.4), 16000));
    const f32 = join(dir, 'f32.wav');
    const s24 = join(dir, 's24.wav');
    // Right channel at half level, so the mono average is 0.75 × the source.
    const pan = ['-af', 'pan=stereo|c0=c0|c1=0.5*c0'];
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, ...pan, '-c:a', 'pcm_f32le', f32]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, ...pan, '-c:a', 'pcm_s24le', s24]);
    const original = decodeWav(readFileSync(src));
    for (const file of [f32, s24]) {
      const d = decodeWav(readFileSync(file));
      expect(d.sampleRate).toBe(16000);
      expect(d.samples.length).toBe(16000);
      let maxErr = 0;
      for (let i = 0; i < d.samples.length; i++)
        maxErr = Math.max(maxErr, Math.abs(d.samples[i] - 0.75 * original.samples[i]));
      expect(maxErr).toBeLessThan(1e-4);
    }
  });

  it('averages channels when downmixing', () => {
    // Hand-built 16-bit stereo file: left +0.5, right -0.25 → mono +0.125.
    const mono = encodeWav(new Float32Array(0), 8000);
    const bytes = new Uint8Array(44 + 8);
    bytes.set(mono.subarray(0, 44));
    const v = new DataView(bytes.buffer);
    v.setUint32(4, 36 + 8, true);
    v.setUint16(22, 2, true);
    v.setUint32(28, 8000 * 4, true);
    v.setUint16(32, 4, true);
    v.setUint32(40, 8, true);
    for (let f = 0; f < 2; f++) {
      v.setInt16(44 + f * 4, 16384, true);
      v.setInt16(46 + f * 4, -8192, true);
    }
    expect(Array.from(decodeWav(bytes).samples)).toEqual([0.125, 0.125]);
  });

  it('gives a clear corrupt error for garbage, truncated and unsupported files', () => {
    expectCorrupt(
      () => decodeWav(new TextEncoder().encode('definitely not audio, just text')),
      /not a WAV file/,
    );
    expectCorrupt(() => decodeWav(new Uint8Array(0)), /not a WAV file/);
    const good = encodeWav(sine(0.1, 8000), 8000);
    expectCorrupt(() => decodeWav(good.subarray(0, 100)), /truncated/);
    expectCorrupt(() => decodeWav(good.subarray(0, 30)), /truncated/);
    const eightBit = good.slice();
    new DataView(eightBit.buffer).setUint16(34, 8, true);
    expectCorrupt(() => decodeWav(eightBit), /Unsupported WAV audio: 8-bit integer PCM/);
    const alaw = good.slice();
    new DataView(alaw.buffer).setUint16(20, 6, true);
    expectCorrupt(() => decodeWav(alaw), /format code 6/);
  });
});
