/**
 * Bench: the embedded espeak-ng (WebAssembly, worker pool) against the native espeak-ng CLI on the
 * seed episode's dialogue. Run: `npx tsx bench/espeak-vs-native.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { concatFloat32, trimSilence } from '../electron/services/audio/pcm';
import { decodeWav } from '../electron/services/audio/wav';
import { nodeWorkerFactory } from '../electron/services/node-workers';
import { EspeakEngine } from '../electron/services/voice/espeak-engine';
import { runIfMain } from './bench-kit';

const run$ = promisify(execFile);

/** A bench outcome: a table plus its markdown rendering. */
export interface BenchResult {
  title: string;
  columns: string[];
  rows: string[][];
  notes: string[];
  markdown: string;
}

const VOICE = 'en-us';
const RATE = 175; // espeak-ng's default words per minute, so both sides speak alike
const PITCH = 50;

/** The spoken lines of `bench/fixtures/seed-dialogue.txt` ("Speaker" / "text" line pairs). */
export async function seedDialogue(): Promise<string[]> {
  const raw = await readFile(fileURLToPath(new URL('./fixtures/seed-dialogue.txt', import.meta.url)), 'utf8');
  return raw
    .split('\n')
    .filter((_, i) => i % 2 === 1)
    .map((l) => l.trim())
    .filter(Boolean);
}

interface Measured {
  wallSec: number;
  audioSec: number;
}

/**
 * One pool per size: the first pass runs on a fresh pool (worker start, espeak init and the wasm
 * JIT tier-up all included); later passes show the steady state of a long-lived pool.
 */
async function ours(
  lines: string[],
  size: number,
  warmPasses: number,
): Promise<{ cold: Measured; warm: Measured }> {
  const engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../electron/services/voice/espeak-worker.ts', import.meta.url)),
    size,
  });
  const pass = async (): Promise<Measured> => {
    const t = performance.now();
    const clips = await Promise.all(
      lines.map((text) => engine.synthesize({ text, voice: VOICE, rate: RATE, pitch: PITCH })),
    );
    const wallSec = (performance.now() - t) / 1000;
    return { wallSec, audioSec: clips.reduce((s, c) => s + c.samples.length / c.sampleRate, 0) };
  };
  try {
    const cold = await pass();
    const warm = await bestOf(warmPasses, pass);
    return { cold, warm };
  } finally {
    await engine.close();
  }
}

async function native(lines: string[], dir: string): Promise<Measured> {
  const files = lines.map((_, i) => join(dir, `line-${i}.wav`));
  const t = performance.now();
  for (let i = 0; i < lines.length; i++) {
    await run$('espeak-ng', ['-v', VOICE, '-s', String(RATE), '-p', String(PITCH), '-w', files[i], lines[i]]);
  }
  const wallSec = (performance.now() - t) / 1000;
  let audioSec = 0;
  for (const f of files) {
    const { samples, sampleRate } = decodeWav(await readFile(f));
    audioSec += trimSilence(samples, sampleRate).length / sampleRate; // trimmed like ours
  }
  return { wallSec, audioSec };
}

async function bestOf(n: number, fn: () => Promise<Measured>): Promise<Measured> {
  let best: Measured | null = null;
  for (let i = 0; i < n; i++) {
    const m = await fn();
    if (!best || m.wallSec < best.wallSec) best = m;
  }
  return best!;
}

/** Runs the bench and returns its table. */
export async function run(): Promise<BenchResult> {
  const lines = await seedDialogue();
  const dir = await mkdtemp(join(tmpdir(), 'gps-bench-espeak-'));
  try {
    const nativeRun = await bestOf(3, () => native(lines, dir));
    const one = await ours(lines, 1, 3);
    const two = await ours(lines, 2, 3);
    const measured: [string, Measured][] = [
      ['ours, pool 1, first pass (worker start + JIT warm-up)', one.cold],
      ['ours, pool 1, warm (best of 3)', one.warm],
      ['ours, pool 2, first pass (worker start + JIT warm-up)', two.cold],
      ['ours, pool 2, warm (best of 3)', two.warm],
      ['espeak-ng CLI, one process per line (best of 3)', nativeRun],
    ];
    const columns = [
      'Engine',
      'Lines',
      'Audio (s)',
      'Wall (s)',
      'Real-time factor',
      '× real time',
      'Wall vs CLI',
    ];
    const rows = measured.map(([name, m]) => [
      name,
      String(lines.length),
      m.audioSec.toFixed(1),
      m.wallSec.toFixed(2),
      (m.wallSec / m.audioSec).toFixed(4),
      (m.audioSec / m.wallSec).toFixed(0),
      (m.wallSec / nativeRun.wallSec).toFixed(2),
    ]);
    const notes = [
      `Voice ${VOICE}, ${RATE} wpm, pitch ${PITCH}; 22050 Hz mono. Audio seconds are after trimming silence to 30 ms at both ends (both sides).`,
      `Real-time factor = wall / audio (lower is faster). A first pass pays worker start, espeak init and V8's wasm tier-up; warm passes reuse the pool. Our workers run TypeScript through tsx here; the Electron build loads bundled JS. Machine: ${cpus().length} CPU(s).`,
      `The CLI is the system espeak-ng (${(await run$('espeak-ng', ['--version'])).stdout.trim().split(/\s+Data/)[0]}); ours is @echogarden/espeak-ng-emscripten 0.3.5.`,
    ];
    return {
      title: 'espeak-ng: embedded WebAssembly pool vs native CLI (seed dialogue)',
      columns,
      rows,
      notes,
      markdown: markdown(
        'espeak-ng: embedded WebAssembly pool vs native CLI (seed dialogue)',
        columns,
        rows,
        notes,
      ),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Renders a bench table as markdown. */
export function markdown(title: string, columns: string[], rows: string[][], notes: string[] = []): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(columns),
    line(columns.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, () => run());

/**
 * Espeak speech for the audio benches: the seed dialogue in alternating voices with 0.4 s pauses,
 * `seedSec` of it synthesised once, then looped to `minutes` at `sampleRate` (the project rate).
 */
export async function loopedSeedSpeech(
  seedSec: number,
  minutes: number,
  sampleRate: number,
): Promise<Float32Array> {
  const engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../electron/services/voice/espeak-worker.ts', import.meta.url)),
  });
  try {
    const pause = new Float32Array(Math.round(0.4 * sampleRate));
    const parts: Float32Array[] = [];
    let total = 0;
    const lines = await seedDialogue();
    for (let i = 0; total < seedSec * sampleRate; i++) {
      const clip = await engine.synthesize({
        text: lines[i % lines.length],
        voice: i % 2 ? 'en-us+f3' : 'en-us+m3',
        rate: 175,
        pitch: 50,
      });
      parts.push(clip.samples, pause);
      total += clip.samples.length + pause.length;
    }
    const seed = concatFloat32(parts);
    const out = new Float32Array(minutes * 60 * sampleRate);
    for (let o = 0; o < out.length; o += seed.length) {
      out.set(seed.subarray(0, Math.min(seed.length, out.length - o)), o);
    }
    return out;
  } finally {
    await engine.close();
  }
}
