import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/contract';
import { nodeWorkerFactory } from '../node-workers';
import { crc16, encodeMp3, parseMp3FrameHeader } from './mp3-encoder';

const createWorker = nodeWorkerFactory(new URL('./mp3-worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gps-mp3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sine(seconds: number, sampleRate: number, hz = 440): Float32Array {
  const s = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < s.length; i++) s[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return s;
}

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function probe(file: string) {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels,bit_rate,start_time,duration',
    '-of',
    'json',
    file,
  ]).toString();
  return JSON.parse(out).streams[0] as Record<string, string | number>;
}

/** Decodes with ffmpeg (which honours the LAME tag's delay and padding) to float samples. */
function decode(file: string): Float32Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-'], {
    maxBuffer: 1 << 28,
  });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

async function expectRejectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  expect((err as StudioError).code).toBe(code);
  if (message) expect((err as StudioError).message).toMatch(message);
}

describe('encodeMp3', () => {
  it('encodes 3 s of a sine that ffprobe reads as 3 s of 22050 Hz mono 64 kbps MP3', async () => {
    const progress: number[] = [];
    const mp3 = await encodeMp3(sine(3, 22050), 22050, {
      bitrateKbps: 64,
      createWorker,
      onProgress: (f) => progress.push(f),
    });
    const file = write('sine.mp3', mp3);
    const p = probe(file);
    expect(p.codec_name).toBe('mp3');
    expect(Number(p.sample_rate)).toBe(22050);
    expect(p.channels).toBe(1);
    expect(Number(p.bit_rate)).toBe(64000);
    // ffprobe's duration counts whole frames from the stream start; minus the encoder/decoder
    // delay it reports as start_time, it is the audio length give or take the last frame.
    expect(Math.abs(Number(p.duration) - Number(p.start_time) - 3)).toBeLessThan(0.05);
    // The LAME tag lets a gapless decoder give back exactly the samples that went in.
    expect(decode(file).length).toBe(3 * 22050);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });

  it('keeps the audio aligned: the decoded sweep matches the input at lag 0', async () => {
    const sr = 22050;
    const src = new Float32Array(sr * 2);
    // A rising sweep is never periodic, so only the true alignment correlates well.
    for (let i = 0; i < src.length; i++) {
      const t = i / sr;
      src[i] = 0.5 * Math.sin(2 * Math.PI * (200 * t + 400 * t * t));
    }
    const mp3 = await encodeMp3(src, sr, { bitrateKbps: 64, createWorker, transfer: false });
    const out = decode(write('sweep.mp3', mp3));
    expect(out.length).toBe(src.length);
    let bestLag = 0;
    let best = -Infinity;
    for (let lag = -1200; lag <= 1200; lag++) {
      let sum = 0;
      for (let i = 2000; i < src.length - 2000; i += 3) sum += src[i] * out[i + lag];
      if (sum > best) {
        best = sum;
        bestLag = lag;
      }
    }
    expect(bestLag).toBe(0);
  });

  it('writes a valid LAME Info frame first and CBR frames after it', async () => {
    const mp3 = await encodeMp3(sine(1, 22050), 22050, { bitrateKbps: 32, createWorker });
    const first = parseMp3FrameHeader(mp3, 0)!;
    expect(first).not.toBeNull();
    const xing = 4 + 9; // MPEG-2 mono side info
    expect(new TextDecoder().decode(mp3.subarray(xing, xing + 4))).toBe('Info');
    const lame = xing + 120;
    expect(new TextDecoder().decode(mp3.subarray(lame, lame + 4))).toBe('LAME');
    const v = new DataView(mp3.buffer, mp3.byteOffset);
    expect(v.getUint32(xing + 12)).toBe(mp3.length);
    expect(v.getUint16(lame + 34)).toBe(crc16(mp3.subarray(0, lame + 34)));
    let frames = 0;
    for (let pos = first.length; pos < mp3.length; frames++) {
      const h = parseMp3FrameHeader(mp3, pos);
      expect(h?.bitrateKbps).toBe(32);
      pos += h!.length;
    }
    expect(v.getUint32(xing + 8)).toBe(frames);
  });

  it('writes dual-mono stereo that ffprobe reads as 2 channels at 128 kbps by default', async () => {
    const mp3 = await encodeMp3(sine(2, 22050), 22050, { channels: 2, createWorker });
    const file = write('stereo.mp3', mp3);
    const p = probe(file);
    expect(p.channels).toBe(2);
    expect(Number(p.bit_rate)).toBe(128000);
    expect(decode(file).length).toBe(2 * 22050);
    // Both channels carry the mix.
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-']);
    const lr = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let diff = 0;
    let energy = 0;
    for (let i = 0; i < lr.length; i += 2) {
      diff += (lr[i] - lr[i + 1]) ** 2;
      energy += lr[i] ** 2;
    }
    expect(energy).toBeGreaterThan(100);
    expect(diff / energy).toBeLessThan(1e-3);
  });

  it('writes VBR with a Xing header (frames, bytes, seek table) so the duration is exact', async () => {
    // Speech-like: bursts of tone and near-silence make LAME vary the frame bit rate.
    const sr = 22050;
    const src = sine(6, sr, 300);
    for (let i = 0; i < src.length; i++) if (Math.floor(i / (sr / 2)) % 2) src[i] *= 0.001;
    const mp3 = await encodeMp3(src, sr, { mode: 'vbr', vbrQuality: 4, createWorker, transfer: false });
    const first = parseMp3FrameHeader(mp3, 0)!;
    const xing = 4 + 9;
    expect(new TextDecoder().decode(mp3.subarray(xing, xing + 4))).toBe('Xing');
    const v = new DataView(mp3.buffer, mp3.byteOffset);
    expect(v.getUint32(xing + 4)).toBe(0x0f);
    expect(v.getUint32(xing + 12)).toBe(mp3.length);
    expect(v.getUint32(xing + 116)).toBe(60); // 100 − 10 × V4
    const lame = xing + 120;
    expect(mp3[lame + 9] & 0x0f).toBe(4); // VBR method
    const rates = new Set<number>();
    const offsets: number[] = [];
    for (let pos = first.length; pos < mp3.length;) {
      const h = parseMp3FrameHeader(mp3, pos)!;
      offsets.push(pos);
      rates.add(h.bitrateKbps);
      pos += h.length;
    }
    expect(rates.size).toBeGreaterThan(1);
    expect(v.getUint32(xing + 8)).toBe(offsets.length);
    // The seek table, read as a player does: entry i, as the byte offset toc[i]/256 of the file,
    // must point at the frame that holds i % of the duration (every frame holds the same number
    // of samples; found by the frame walk above), give or take one frame, and no further before
    // it than one step of the table's 1/256-of-the-file resolution.
    const toc = [...mp3.subarray(xing + 16, xing + 116)];
    expect(toc.every((t, i) => i === 0 || t >= toc[i - 1])).toBe(true);
    const step = mp3.length / 256;
    for (const i of [5, 10, 25, 33, 50, 67, 75, 90, 99]) {
      const byte = (toc[i] / 256) * mp3.length;
      const holding = Math.floor((i / 100) * offsets.length);
      expect(byte, `TOC entry ${i}`).toBeGreaterThanOrEqual(offsets[holding - 1] - step);
      expect(byte, `TOC entry ${i}`).toBeLessThanOrEqual(offsets[holding + 1]);
    }

    const file = write('vbr.mp3', mp3);
    const p = probe(file);
    expect(Math.abs(Number(p.duration) - Number(p.start_time) - 6)).toBeLessThan(0.05);
    expect(decode(file).length).toBe(6 * sr);
  });

  it('moves the samples to the worker unless asked not to', async () => {
    const moved = sine(0.2, 22050);
    const kept = sine(0.2, 22050);
    await Promise.all([
      encodeMp3(moved, 22050, { bitrateKbps: 64, createWorker }),
      encodeMp3(kept, 22050, { bitrateKbps: 64, createWorker, transfer: false }),
    ]);
    expect(moved.length).toBe(0);
    expect(kept.length).toBe(4410);
  });

  it('aborts mid-encode: rejects as canceled and stops the worker', async () => {
    const ac = new AbortController();
    let worker: Worker | undefined;
    let exited = false;
    const progress: number[] = [];
    const p = encodeMp3(new Float32Array(22050 * 600), 22050, {
      bitrateKbps: 64,
      createWorker: () => {
        worker = createWorker();
        worker.on('exit', () => (exited = true));
        return worker;
      },
      signal: ac.signal,
      onProgress: (f) => {
        progress.push(f);
        if (f > 0.05) ac.abort();
      },
    });
    await expectRejectCode(p, 'canceled', /Export canceled/);
    expect(progress.at(-1)).toBeLessThan(0.5);
    await new Promise((r) => setTimeout(r, 200));
    expect(exited).toBe(true);
  });

  it('rejects at once when already aborted, without starting a worker', async () => {
    let started = 0;
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 22050, {
        bitrateKbps: 64,
        signal: AbortSignal.abort(),
        createWorker: () => (started++, createWorker()),
      }),
      'canceled',
    );
    expect(started).toBe(0);
  });

  it('reports bad parameters and a broken worker with typed errors', async () => {
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 22050, { bitrateKbps: 65, createWorker }),
      'bad-request',
      /bit rate/,
    );
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 22050, { mode: 'vbr', vbrQuality: 10, createWorker }),
      'bad-request',
      /VBR quality/,
    );
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 22050, { channels: 3 as 2, createWorker }),
      'bad-request',
      /channels/,
    );
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 96000, { bitrateKbps: 64, createWorker }),
      'bad-request',
      /sample rate/,
    );
    const broken = nodeWorkerFactory(new URL('./no-such-worker.ts', import.meta.url));
    await expectRejectCode(
      encodeMp3(sine(1, 22050), 22050, { bitrateKbps: 64, createWorker: broken }),
      'engine',
    );
  });
});

describe('crc16', () => {
  it('is CRC-16/ARC', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0xbb3d);
  });
});
