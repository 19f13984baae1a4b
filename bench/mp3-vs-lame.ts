/**
 * Bench: our MP3 export (LAME compiled to WebAssembly, in a worker, transfer included) against the
 * `lame` CLI on the same 10 minutes of speech. Run: `npx tsx bench/mp3-vs-lame.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { promisify } from 'node:util';
import { encodeMp3 } from '../electron/services/audio/mp3-encoder';
import { encodeWav } from '../electron/services/audio/wav';
import { nodeWorkerFactory } from '../electron/services/node-workers';
import { loopedSeedSpeech, markdown, type BenchResult } from './espeak-vs-native';
import { probeDurationSec } from '../electron/services/test-support/media-probe';
import { runIfMain } from './bench-kit';

const run$ = promisify(execFile);
const SAMPLE_RATE = 22050;
const MINUTES = 10;
const BITRATE = 64;

async function bestOf(n: number, fn: () => Promise<void>, before?: () => void): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    before?.();
    const t = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

/** Runs the bench and returns its table. */
export async function run(): Promise<BenchResult> {
  const pcm = await loopedSeedSpeech(30, MINUTES, SAMPLE_RATE);
  const dir = await mkdtemp(join(tmpdir(), 'gps-bench-mp3-'));
  try {
    const wav = join(dir, 'in.wav');
    const oursFile = join(dir, 'ours.mp3');
    const lameFile = join(dir, 'lame.mp3');
    await writeFile(wav, encodeWav(pcm, SAMPLE_RATE));

    const createWorker = nodeWorkerFactory(
      new URL('../electron/services/audio/mp3-worker.ts', import.meta.url),
    );
    let input = pcm;
    let mp3: Uint8Array = new Uint8Array(0);
    // Each run gets a fresh copy (made outside the timing): the encoder moves its input to the worker.
    const oursSec = await bestOf(
      3,
      async () => {
        mp3 = await encodeMp3(input, SAMPLE_RATE, { bitrateKbps: BITRATE, createWorker });
      },
      () => (input = pcm.slice()),
    );
    await writeFile(oursFile, mp3);
    const lameSec = await bestOf(3, async () => {
      await run$('lame', ['--quiet', '-b', String(BITRATE), '--cbr', '-m', 'm', wav, lameFile]);
    });

    const columns = [
      'Encoder',
      'Input',
      'Wall, best of 3 (s)',
      '× real time',
      'Output (KiB)',
      'ffprobe duration (s)',
      'Wall vs lame',
    ];
    const audioSec = pcm.length / SAMPLE_RATE;
    const row = async (name: string, sec: number, file: string): Promise<string[]> => [
      name,
      `${MINUTES} min, ${SAMPLE_RATE} Hz mono`,
      sec.toFixed(2),
      (audioSec / sec).toFixed(0),
      ((await stat(file)).size / 1024).toFixed(0),
      probeDurationSec(file).toFixed(3),
      (sec / lameSec).toFixed(2),
    ];
    const rows = [
      await row('ours: wasm LAME in a worker (start + transfer included)', oursSec, oursFile),
      await row(`lame CLI (-b ${BITRATE} --cbr -m m, WAV in)`, lameSec, lameFile),
    ];
    const version = (await run$('lame', ['--version'])).stdout.split('\n')[0].trim();
    const notes = [
      `${BITRATE} kbps CBR. Input: ~30 s of espeak speech from the seed dialogue looped to ${MINUTES} min. Ratio > 1 means ours is slower.`,
      `Reference: ${version}. Ours: wasm-media-encoders 0.7 (LAME 3.100), worker started through tsx here.`,
      'ffprobe durations include the encoder delay and last-frame padding on both sides (both files carry a LAME tag, so decoders trim them).',
    ];
    const title = 'MP3: wasm LAME in a worker vs lame CLI';
    return { title, columns, rows, notes, markdown: markdown(title, columns, rows, notes) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => run());
