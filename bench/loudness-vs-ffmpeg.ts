/**
 * Bench: our BS.1770-4 meter against `ffmpeg -af ebur128` on the same 60-minute, episode-like
 * signal (espeak speech from the seed dialogue at 22050 Hz, looped). Run:
 * `npx tsx bench/loudness-vs-ffmpeg.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { promisify } from 'node:util';
import { integratedLoudness, measureLoudness } from '../electron/services/audio/loudness';
import { LOUDNESS_PRESETS, masterToTarget } from '../electron/services/audio/master';
import { decodeWav, encodeWav } from '../electron/services/audio/wav';
import { loopedSeedSpeech, markdown, type BenchResult } from './espeak-vs-native';
import { runIfMain } from './bench-kit';

const run$ = promisify(execFile);
const SAMPLE_RATE = 22050;
const MINUTES = 60;

interface FfmpegReport {
  integrated: number;
  truePeak?: number;
}

async function ffmpegEbur128(file: string, truePeak: boolean): Promise<FfmpegReport> {
  const filter = truePeak ? 'ebur128=peak=true' : 'ebur128';
  // The summary goes to stderr at log level info.
  const { stderr } = await run$(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', file, '-af', filter, '-f', 'null', '-'],
    {
      maxBuffer: 1 << 26,
    },
  );
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  const peak = /Peak:\s+(-?[\d.]+) dBFS/.exec(summary);
  if (!integrated) throw new Error(`ffmpeg printed no summary:\n${stderr.slice(-2000)}`);
  return { integrated: Number(integrated[1]), truePeak: peak ? Number(peak[1]) : undefined };
}

async function bestOf<T>(n: number, fn: () => Promise<T> | T): Promise<{ sec: number; value: T }> {
  let best = Infinity;
  let value: T | undefined;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    value = await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { sec: best, value: value as T };
}

const fmt = (v: number | undefined, digits = 2): string =>
  v === undefined ? '—' : Number.isFinite(v) ? v.toFixed(digits) : String(v);

/** Runs the bench and returns its table. */
export async function run(): Promise<BenchResult> {
  const pcm = await loopedSeedSpeech(60, MINUTES, SAMPLE_RATE);
  const dir = await mkdtemp(join(tmpdir(), 'gps-bench-loudness-'));
  try {
    const wav = join(dir, 'episode.wav');
    await writeFile(wav, encodeWav(pcm, SAMPLE_RATE));
    // Measure what ffmpeg measures: the 16-bit samples in the file.
    const decoded = decodeWav(new Uint8Array(await readFile(wav))).samples;

    const oursFull = await bestOf(3, () => measureLoudness(decoded, SAMPLE_RATE));
    const oursFromFile = await bestOf(3, async () =>
      measureLoudness(decodeWav(new Uint8Array(await readFile(wav))).samples, SAMPLE_RATE),
    );
    const oursIntegrated = await bestOf(3, () => integratedLoudness(decoded, SAMPLE_RATE));
    const ffFull = await bestOf(2, () => ffmpegEbur128(wav, true));
    const ffIntegrated = await bestOf(2, () => ffmpegEbur128(wav, false));
    const mastered = await bestOf(1, () => masterToTarget(decoded, SAMPLE_RATE, LOUDNESS_PRESETS.podcast));

    const columns = [
      'Work (60 min, 22050 Hz mono speech)',
      'Ours (s)',
      'ffmpeg (s)',
      'Ours ÷ ffmpeg',
      'Ours: LUFS / dBTP',
      'ffmpeg: LUFS / dBTP',
    ];
    const o = oursFull.value;
    const f = ffFull.value;
    const rows = [
      [
        'Integrated + true peak (ours from memory; ffmpeg `ebur128=peak=true` on the WAV)',
        oursFull.sec.toFixed(2),
        ffFull.sec.toFixed(2),
        (oursFull.sec / ffFull.sec).toFixed(3),
        `${fmt(o.integratedLufs)} / ${fmt(o.truePeakDbtp)}`,
        `${fmt(f.integrated, 1)} / ${fmt(f.truePeak, 1)}`,
      ],
      [
        'Integrated + true peak, ours reading + decoding the same WAV first',
        oursFromFile.sec.toFixed(2),
        ffFull.sec.toFixed(2),
        (oursFromFile.sec / ffFull.sec).toFixed(3),
        `${fmt(oursFromFile.value.integratedLufs)} / ${fmt(oursFromFile.value.truePeakDbtp)}`,
        `${fmt(f.integrated, 1)} / ${fmt(f.truePeak, 1)}`,
      ],
      [
        'Integrated only (ours `integratedLoudness`; ffmpeg `ebur128`)',
        oursIntegrated.sec.toFixed(2),
        ffIntegrated.sec.toFixed(2),
        (oursIntegrated.sec / ffIntegrated.sec).toFixed(3),
        `${fmt(oursIntegrated.value)} / —`,
        `${fmt(ffIntegrated.value.integrated, 1)} / —`,
      ],
    ];
    const version = (await run$('ffmpeg', ['-version'])).stdout.split('\n')[0].trim();
    const m = mastered.value;
    const notes = [
      `Wall time, best of 3 (ours) and best of 2 (ffmpeg). Ratio < 1 means ours is faster. Reference: ${version}.`,
      'ffmpeg prints one decimal; it measures true peak by resampling to 192 kHz, ours by 4× polyphase interpolation (BS.1770-4 Annex 2).',
      `Mastering the same hour to the podcast preset (−16 LUFS, −1 dBTP) with \`masterToTarget\`: ${mastered.sec.toFixed(1)} s, ` +
        `gain ${m.gainDb.toFixed(2)} dB, limiter ≤ ${m.limiterReductionDb.toFixed(1)} dB, result ${fmt(m.after.integratedLufs)} LUFS / ${fmt(m.after.truePeakDbtp)} dBTP.`,
    ];
    const title = 'Loudness: our BS.1770-4 meter vs ffmpeg ebur128';
    return { title, columns, rows, notes, markdown: markdown(title, columns, rows, notes) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => run());
