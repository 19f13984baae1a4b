import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/contract';
import { decodeAudio, sniffAudio } from './decode';
import { encodeWav } from './wav';

describe('decodeAudio', () => {
  it('reads a WAV at another rate and resamples it to the project rate', async () => {
    const sine = new Float32Array(44100).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 44100));
    const out = await decodeAudio(encodeWav(sine, 44100), 22050);
    expect(out.length).toBe(22050);
    expect(Math.max(...out.subarray(1000, 21000))).toBeGreaterThan(0.45);
  });

  it('reads an MP3 (ffmpeg-made, stereo 44.1 kHz) to mono 22050 Hz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-decode-'));
    try {
      const path = join(dir, 'tone.mp3');
      execFileSync('ffmpeg', [
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:duration=2',
        '-ac',
        '2',
        '-ar',
        '44100',
        '-b:a',
        '128k',
        path,
      ]);
      const bytes = readFileSync(path);
      expect(sniffAudio(bytes)).toBe('mp3');
      const out = await decodeAudio(bytes, 22050);
      expect(Math.abs(out.length - 44100)).toBeLessThan(2500); // encoder padding
      let peak = 0;
      for (const s of out) peak = Math.max(peak, Math.abs(s));
      expect(peak).toBeGreaterThan(0.05);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unsupported and damaged files with a clear corrupt error', async () => {
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('just some text, not audio'), /unsupported audio format/],
      [new TextEncoder().encode('RIFF\0\0\0\0WAVEjunk'), /Cannot read/],
      [
        Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 1, 0xff, 0xfb, 0x90, 0x00, 1, 2, 3]),
        /Cannot read/,
      ],
      [encodeWav(new Float32Array(0), 22050), /no audio/],
    ];
    for (const [bytes, message] of cases) {
      const err = await decodeAudio(bytes, 22050).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).code).toBe('corrupt');
      expect((err as StudioError).message).toMatch(message);
    }
  });
});
