// An episode saved by format 2 with a music bed (the bed then looped under the whole episode):
// opened by the real ProjectService it becomes format 3 with mode 'under-all', and the real
// MixService still puts the music under the middle of the episode, looped from the first sample,
// as it did before. The same bed in mode 'intro-outro' is silent there.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPISODE_VERSION, migrateEpisode, type Episode } from '../../../shared/model/episode';
import { decodeAudio } from '../audio/decode';
import { MixService } from '../audio/mix-service';
import { encodeWav } from '../audio/wav';
import { nodeWorkerFactory } from '../node-workers';
import { EspeakEngine } from '../voice/espeak-engine';
import { PROJECT_SAMPLE_RATE as SR, VoiceService } from '../voice/voice-service';
import { ProjectService } from './project-service';

const FIXTURE = new URL('./fixtures/episode-v2-music-bed.json', import.meta.url);
const ID = '2025-11-01-old-bed';
let root: string;
let engine: EspeakEngine;
let mix: MixService;
let themeBytes: Uint8Array;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gps-v2bed-'));
  const dir = join(root, ID);
  await mkdir(join(dir, 'clips'), { recursive: true });
  await mkdir(join(dir, 'music'), { recursive: true });
  await copyFile(FIXTURE, join(dir, 'episode.json'));
  // Four 8 s lines of a tone; a 3 s theme that is not a whole number of cycles (the loop shows).
  for (let i = 1; i <= 4; i++) {
    const clip = new Float32Array(8 * SR).map(
      (_, j) => 0.3 * Math.sin((2 * Math.PI * (200 + 50 * i) * j) / SR),
    );
    await writeFile(join(dir, 'clips', `00000000000000a${i}.wav`), encodeWav(clip, SR));
  }
  const theme = new Float32Array(3 * SR).map((_, j) => 0.5 * Math.sin(j / 13) + 0.2 * Math.sin(j / 101));
  themeBytes = encodeWav(theme, SR);
  await writeFile(join(dir, 'music', 'theme.wav'), themeBytes);
  engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
    size: 1,
  });
  const voice = new VoiceService({ engine, projectDir: (id) => join(root, id), emitLine: () => undefined });
  mix = new MixService({ voice, projectDir: (id) => join(root, id), mediaUrl: () => '/mix.wav' });
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

/** Root mean square of the mix between two times (seconds). */
function rms(samples: Float32Array, from: number, to: number): number {
  let s = 0;
  const a = Math.round(from * SR);
  const b = Math.round(to * SR);
  for (let i = a; i < b; i++) s += samples[i] * samples[i];
  return Math.sqrt(s / (b - a));
}

describe('episode format 2 with a music bed', () => {
  it('migrates to format 3 with the bed looped under everything, as it sounded before', async () => {
    const raw = JSON.parse(await readFile(FIXTURE, 'utf8')) as { version: number; musicBed: object };
    expect(raw.version).toBe(2);
    expect('mode' in raw.musicBed).toBe(false);
    const episode = await new ProjectService({ root }).open(ID);
    expect(episode.version).toBe(EPISODE_VERSION);
    expect(EPISODE_VERSION).toBe(3);
    expect(episode.musicBed?.mode).toBe('under-all');

    const timeline = await mix.timeline(ID, episode);
    expect(timeline.bedSpans).toEqual([{ start: 0, end: timeline.durationSec }]);
    const old = await mix.mix(ID, episode);
    // l2 ends at 4 + 8 + 0.4 + 8 = 20.4 s, then a 1.5 s pause: between the ducking's release
    // (0.6 s) and the next line's attack (0.25 s) the mix is the music alone at the bed's level,
    // music sample i mod its length (looped from the episode's first sample).
    const music = await decodeAudio(themeBytes, SR, 'theme');
    const gain = 10 ** (-14 / 20);
    for (let i = Math.round(21.05 * SR); i < Math.round(21.6 * SR); i += 97) {
      expect(old.samples[i]).toBeCloseTo(music[i % music.length] * gain, 6);
    }
    expect(rms(old.samples, 21.05, 21.6)).toBeGreaterThan(0.05);

    // The new default mode is silent between the intro's and the outro's time under speech.
    const introOutro: Episode = { ...episode, musicBed: { ...episode.musicBed!, mode: 'intro-outro' } };
    const fresh = await mix.mix(ID, introOutro);
    expect(rms(fresh.samples, 21.05, 21.6)).toBe(0);
  });

  it('gives only beds saved before format 3 the looped mode', async () => {
    const raw = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
    const v3 = migrateEpisode({ ...raw, version: 3 });
    expect(v3.ok && v3.episode.musicBed?.mode).toBeUndefined();
    const v1 = migrateEpisode({
      ...raw,
      version: 1,
      lines: [{ kind: 'speech', id: 'l1', speaker: 'Maya', text: 'One.' }],
    });
    expect(v1.ok && v1.episode.musicBed?.mode).toBe('under-all');
  });
});
