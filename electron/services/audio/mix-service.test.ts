// MixService's timeline engine against exports, no-op re-mixes and failed writes: the mix version
// the timeline on screen holds stays valid until the mix really changes. Clips are real WAV files
// in a project folder, read by the real VoiceService.
import { mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPISODE_VERSION, emptyAnalysis, type Episode } from '../../../shared/model/episode';
import { nodeWorkerFactory } from '../node-workers';
import { EspeakEngine } from '../voice/espeak-engine';
import { PROJECT_SAMPLE_RATE, VoiceService } from '../voice/voice-service';
import { MixService } from './mix-service';
import { MAX_PEAK_WINDOW } from './peaks';
import { encodeWav } from './wav';

const PROJECT = 'mix-service-test';
let root: string;
let engine: EspeakEngine;
let mix: MixService;
let episode: Episode;

/** A clip of `sec` seconds of a tone at `amp` (distinct per line so the peaks tell them apart). */
function tone(sec: number, amp: number, hz: number): Float32Array {
  const out = new Float32Array(Math.round(sec * PROJECT_SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / PROJECT_SAMPLE_RATE);
  return out;
}

async function addClip(hash: string, samples: Float32Array): Promise<void> {
  await writeFile(join(root, PROJECT, 'clips', `${hash}.wav`), encodeWav(samples, PROJECT_SAMPLE_RATE));
}

const H = (n: number) => n.toString(16).padStart(16, 'a');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gps-mixsvc-'));
  await mkdir(join(root, PROJECT, 'clips'), { recursive: true });
  engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
    size: 1,
  });
  const voice = new VoiceService({
    engine,
    projectDir: () => join(root, PROJECT),
    emitLine: () => undefined,
  });
  mix = new MixService({ voice, projectDir: () => join(root, PROJECT), mediaUrl: () => '/mix.wav' });
  const lines: Episode['lines'] = [];
  const clips: Episode['clips'] = {};
  for (let i = 0; i < 4; i++) {
    await addClip(H(i), tone(1 + i * 0.25, 0.2 + 0.15 * i, 220 + 40 * i));
    lines.push({ kind: 'speech', id: `l${i}`, speaker: i % 2 ? 'B' : 'A', text: `line ${i}` });
    clips[`l${i}`] = { hash: H(i), durationSec: 1 + i * 0.25 };
  }
  // The listener's variant has another first line (a personal greeting).
  await addClip(H(99), tone(2, 0.9, 500));
  episode = {
    version: EPISODE_VERSION,
    id: 'ep',
    title: 'T',
    category: 'C',
    createdAt: '2025-11-15T06:00:00.000Z',
    updatedAt: '2025-11-15T06:00:00.000Z',
    show: { showName: 'S', listenerName: 'x', locale: 'en-US', date: '2025-11-15' },
    personas: [
      {
        id: 'a',
        name: 'A',
        role: 'r',
        color: '#336699',
        voice: { engine: 'espeak', voice: 'en-us', rate: 170, pitch: 50 },
      },
    ],
    article: { title: 'A', text: 'x', source: 's' },
    lines,
    summary: '',
    analysis: emptyAnalysis(),
    clips,
    pauseSec: 0.3,
  };
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('MixService mix version', () => {
  it('keeps the version (and the peaks) through a no-op re-mix, an export and listener variants', async () => {
    const first = await mix.timeline(PROJECT, episode);
    const v = first.mixVersion!;
    const window = await mix.peaks(PROJECT, 2000, 0, 4000);
    expect(window.mixVersion).toBe(v);

    expect((await mix.timeline(PROJECT, episode)).mixVersion).toBe(v);

    const variant: Episode = { ...episode, clips: { ...episode.clips, l0: { hash: H(99), durationSec: 2 } } };
    const exported = await mix.mix(PROJECT, episode);
    const listener = await mix.mix(PROJECT, variant);
    expect(listener.samples.length).not.toBe(exported.samples.length);
    expect(exported.samples.length).toBe(Math.round(first.durationSec * PROJECT_SAMPLE_RATE));

    // The engine still holds the project's own mix: same version, same window.
    const after = await mix.peaks(PROJECT, 2000, 0, 4000);
    expect(after.mixVersion).toBe(v);
    expect(after.peaks).toEqual(window.peaks);
    expect((await mix.timeline(PROJECT, episode)).mixVersion).toBe(v);

    // A real edit is a new mix.
    const edited = await mix.timeline(PROJECT, { ...episode, lineAudio: { l2: { gainDb: -6 } } });
    expect(edited.mixVersion).toBe(v + 1);
    const finer = await mix.peaks(PROJECT, 2000, 0, 4000);
    expect(finer.mixVersion).toBe(v + 1);
  });

  it('does not bump the version when mix.wav cannot be written, and answers no window until it is', async () => {
    const other = new MixService({
      voice: new VoiceService({ engine, projectDir: () => join(root, PROJECT), emitLine: () => undefined }),
      projectDir: () => join(root, PROJECT),
      mediaUrl: () => '/mix.wav',
    });
    const blocker = join(root, PROJECT, 'mix.wav');
    await rm(blocker, { force: true });
    // A folder where mix.wav should be: neither the atomic write nor the patch can succeed.
    await mkdir(blocker);
    await expect(other.timeline(PROJECT, episode)).rejects.toThrow();
    await expect(other.peaks(PROJECT, 2000, 0, 10)).rejects.toThrow(/Mix the episode first/);
    await rmdir(blocker);
    const ok = await other.timeline(PROJECT, episode);
    expect(ok.mixVersion).toBe(1);
    expect((await other.peaks(PROJECT, 2000, 0, 10)).mixVersion).toBe(1);
  });

  it('refuses a window larger than the largest one, and a project never mixed', async () => {
    await expect(mix.peaks(PROJECT, 2000, 0, MAX_PEAK_WINDOW + 1)).rejects.toThrow(/at most 16384 peaks/);
    await expect(mix.peaks('never-opened', 2000, 0, 10)).rejects.toThrow(/Mix the episode first/);
    await expect(mix.peaks('never-opened', 2000, 0, 10)).rejects.toThrow(/Mix the episode first/);
  });
});
