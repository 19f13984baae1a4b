/**
 * Bench: voicing a 10-minute script with the embedded espeak-ng (WebAssembly) engine — one
 * worker against a pool of two (the studio's default; one per core on a two-core machine) —
 * and against the native espeak-ng CLI run line by line. Every line goes through the engine
 * as the voice service sends it (all lines queued at once, the pool taking them in order).
 * Run: `npx tsx bench/voice-pool.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { promisify } from 'node:util';
import { trimSilence } from '../electron/services/audio/pcm';
import { decodeWav } from '../electron/services/audio/wav';
import { nodeWorkerFactory } from '../electron/services/node-workers';
import { EspeakEngine } from '../electron/services/voice/espeak-engine';
import { markdown, seedDialogue } from './espeak-vs-native';
import { runIfMain } from './bench-kit';

const run$ = promisify(execFile);

const VOICE = 'en-us';
const RATE = 175;
const PITCH = 50;
/** Script length in minutes of speech at {@link RATE} words per minute. */
const MINUTES = 10;

interface Measured {
  wallSec: number;
  audioSec: number;
  /** CPU seconds of this process, worker threads included (children excluded). */
  cpuSec?: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** The seed dialogue repeated (each pass numbered, so no two lines are identical) to `minutes`. */
export async function tenMinuteScript(minutes = MINUTES): Promise<string[]> {
  const seed = await seedDialogue();
  const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;
  const lines: string[] = [];
  let total = 0;
  for (let pass = 1; total < minutes * RATE; pass++) {
    for (const line of seed) {
      const text = pass === 1 ? line : `${line} Part ${pass}.`;
      lines.push(text);
      total += words(text);
      if (total >= minutes * RATE) break;
    }
  }
  return lines;
}

async function embedded(lines: string[], size: number): Promise<Measured> {
  const engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../electron/services/voice/espeak-worker.ts', import.meta.url)),
    size,
  });
  try {
    // Warm the workers (start, espeak init, wasm tier-up) so the table compares steady states.
    await Promise.all(
      Array.from({ length: size }, () =>
        engine.synthesize({ text: 'Warm up.', voice: VOICE, rate: RATE, pitch: PITCH }),
      ),
    );
    return await bestOf(PASSES, async () => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const clips = await Promise.all(
        lines.map((text) => engine.synthesize({ text, voice: VOICE, rate: RATE, pitch: PITCH })),
      );
      const wallSec = (performance.now() - t) / 1000;
      return {
        wallSec,
        cpuSec: cpuSeconds(cpu),
        audioSec: clips.reduce((s, c) => s + c.samples.length / c.sampleRate, 0),
      };
    });
  } finally {
    await engine.close();
  }
}

/** Passes per configuration; the fastest counts (the others absorb noise from other processes). */
const PASSES = 3;

async function bestOf(n: number, fn: () => Promise<Measured>): Promise<Measured> {
  let best: Measured | undefined;
  for (let i = 0; i < n; i++) {
    const m = await fn();
    if (!best || m.wallSec < best.wallSec) best = m;
  }
  return best!;
}

async function native(lines: string[], dir: string): Promise<Measured> {
  const t = performance.now();
  for (let i = 0; i < lines.length; i++) {
    await run$('espeak-ng', [
      '-v',
      VOICE,
      '-s',
      String(RATE),
      '-p',
      String(PITCH),
      '-w',
      join(dir, `${i}.wav`),
      lines[i],
    ]);
  }
  const wallSec = (performance.now() - t) / 1000;
  let audioSec = 0;
  for (let i = 0; i < lines.length; i++) {
    const { samples, sampleRate } = decodeWav(await readFile(join(dir, `${i}.wav`)));
    audioSec += trimSilence(samples, sampleRate).length / sampleRate;
  }
  return { wallSec, audioSec };
}

/** Runs the bench and returns its markdown table. */
export async function run(): Promise<{ title: string; markdown: string }> {
  const lines = await tenMinuteScript();
  const dir = await mkdtemp(join(tmpdir(), 'gps-bench-pool-'));
  try {
    const one = await embedded(lines, 1);
    const two = await embedded(lines, 2);
    const cli = await bestOf(PASSES, () => native(lines, dir));
    const title = `Voicing a ${MINUTES}-minute script: embedded espeak-ng, 1 worker vs pool of 2 vs native CLI`;
    const columns = [
      'Engine',
      'Lines',
      'Audio (s)',
      'Wall (s)',
      'CPU (s)',
      '× real time',
      'Speed-up vs 1 worker',
      'Wall vs CLI',
    ];
    const rows = (
      [
        ['embedded, 1 worker', one],
        ['embedded, pool of 2', two],
        ['espeak-ng CLI, sequential (one process per line)', cli],
      ] as [string, Measured][]
    ).map(([name, m]) => [
      name,
      String(lines.length),
      m.audioSec.toFixed(1),
      m.wallSec.toFixed(2),
      m.cpuSec === undefined ? '—' : m.cpuSec.toFixed(2),
      (m.audioSec / m.wallSec).toFixed(0),
      (one.wallSec / m.wallSec).toFixed(2),
      (m.wallSec / cli.wallSec).toFixed(2),
    ]);
    const notes = [
      `Voice ${VOICE}, ${RATE} wpm, pitch ${PITCH}, 22050 Hz mono; the script is the seed dialogue repeated to ${MINUTES} minutes at ${RATE} wpm. Audio seconds are after trimming silence to 30 ms at both ends (both sides).`,
      `Best of ${PASSES} passes each. Embedded pools are warmed first (worker start, espeak init and wasm tier-up excluded); workers run TypeScript through tsx here. Machine: ${cpus().length} CPU(s) — a pool of 2 can at best halve the wall time. CPU is this process’s time, worker threads included; CPU well above wall means the pool ran in parallel.`,
    ];
    return { title, markdown: markdown(title, columns, rows, notes) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => run());
