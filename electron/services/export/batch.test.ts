// Per-listener batch with the real espeak-ng voices, mixer and LAME: only name lines are re-voiced,
// each listener gets its own folder and files, and one listener failing does not stop the others.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError, type JobUpdate } from '../../../shared/contract';
import type { Episode } from '../../../shared/model/episode';
import type { JobContext } from '../jobs/job-manager';
import { JobManager } from '../jobs/job-manager';
import { MixService } from '../audio/mix-service';
import { nodeWorkerFactory } from '../node-workers';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';
import { EspeakEngine } from '../voice/espeak-engine';
import { VoiceService } from '../voice/voice-service';
import { exportBatch, listenerFolders } from './batch';
import { ExportService } from './export-service';

const PROJECT = 'batch-test';
let root: string;
let engine: EspeakEngine;
let voice: VoiceService;
let exporter: ExportService;
let episode: Episode;

function ctx(): JobContext {
  return { jobId: 'batch', signal: new AbortController().signal, progress: () => undefined };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gps-batch-'));
  await mkdir(join(root, PROJECT, 'clips'), { recursive: true });
  engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
    size: 2,
  });
  voice = new VoiceService({ engine, projectDir: () => join(root, PROJECT), emitLine: () => undefined });
  const mix = new MixService({ voice, projectDir: () => join(root, PROJECT), mediaUrl: () => '' });
  exporter = new ExportService({
    mix,
    projectDir: () => join(root, PROJECT),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
  });
  episode = sampleEpisode({
    lines: [
      ...sampleEpisode().lines,
      { kind: 'speech', id: 'l4', speaker: 'Theo', text: 'See you tomorrow, norristong.' },
    ],
  });
  const voiced = await voice.synthesize(ctx(), PROJECT, episode);
  expect(voiced.failed).toEqual([]);
  episode = { ...episode, clips: voiced.clips };
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('exportBatch', () => {
  it('re-voices only the lines naming each listener and writes one folder per listener', async () => {
    const before = voice.engineRequests;
    const messages: { percent: number; message: string }[] = [];
    const result = await exportBatch(
      { ...ctx(), progress: (percent, message) => messages.push({ percent, message }) },
      { voice, exporter },
      { projectId: PROJECT, episode, listeners: ['Ann', 'Bob'], formats: ['mp3', 'transcript'] },
    );
    expect(result.listeners.map((l) => [l.listener, l.linesVoiced, l.linesFromCache, l.error])).toEqual([
      ['Ann', 2, 2, undefined],
      ['Bob', 2, 2, undefined],
    ]);
    expect(voice.engineRequests - before).toBe(4);
    const [ann, bob] = result.listeners;
    expect(ann.folder).toBe(join(result.folder, 'ann'));
    expect(await readdir(bob.folder)).toEqual(['episode.mp3', 'transcript.txt']);
    const stamp = result.folder.split('/').at(-1);
    expect(bob.files.map((f) => f.url)).toEqual([
      `/media/${PROJECT}/exports/${stamp}/bob/episode.mp3`,
      `/media/${PROJECT}/exports/${stamp}/bob/transcript.txt`,
    ]);
    const text = await readFile(join(bob.folder, 'transcript.txt'), 'utf8');
    expect(text).toContain('Good morning Bob');
    expect(text).not.toContain('norristong');
    expect(bob.loudness?.after.integratedLufs).toBeCloseTo(-16, 0);
    // Progress climbs per listener and names who is being exported.
    expect(messages.some((m) => m.message.startsWith('Bob (2 of 2)') && m.percent >= 50)).toBe(true);
    const percents = messages.map((m) => m.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));

    // Again: everything is cached now, the engine is not called at all.
    const again = await exportBatch(
      ctx(),
      { voice, exporter },
      { projectId: PROJECT, episode, listeners: ['Bob'], formats: ['transcript'] },
    );
    expect(again.listeners[0].linesVoiced).toBe(0);
    expect(again.folder).not.toBe(result.folder);
  });

  it('reports a failing listener and goes on with the next', async () => {
    const failing = {
      synthesize: (c: JobContext, id: string, e: Episode) =>
        e.show.listenerName === 'Crash'
          ? Promise.reject(new StudioError('engine', 'the engine fell over'))
          : voice.synthesize(c, id, e),
    } as unknown as VoiceService;
    const result = await exportBatch(
      ctx(),
      { voice: failing, exporter },
      { projectId: PROJECT, episode, listeners: ['Crash', 'Cy'], formats: ['transcript'] },
    );
    expect(result.listeners[0].error).toEqual({ code: 'engine', message: 'the engine fell over' });
    expect(result.listeners[0].files).toEqual([]);
    expect(result.listeners[1].error).toBeUndefined();
    expect(result.listeners[1].files.map((f) => f.name)).toEqual(['transcript.txt']);
  });

  it('is one cancelable job', async () => {
    const jobs = new JobManager();
    const updates: JobUpdate[] = [];
    jobs.on((u) => updates.push(u));
    const id = jobs.start('export', (c) =>
      exportBatch(
        {
          ...c,
          progress: (p, m) => {
            c.progress(p, m);
            if (p > 10) jobs.cancel(c.jobId);
          },
        },
        { voice, exporter },
        { projectId: PROJECT, episode, listeners: ['Di', 'Ed', 'Flo'], formats: ['mp3'] },
      ),
    );
    const end = await jobs.wait(id);
    expect(end.status).toBe('canceled');
    expect(updates.some((u) => u.status === 'done')).toBe(false);
  });

  it('removes the empty batch folder it made in a chosen folder when canceled or failing', async () => {
    const chosen = join(root, 'chosen');
    await mkdir(chosen);
    const into = async () => join(chosen, await exporter.freshFolderIn(chosen));
    const controller = new AbortController();
    // Canceled while the first listener is voiced: nothing is written, so nothing may be left.
    const canceling: JobContext = {
      jobId: 'batch',
      signal: controller.signal,
      progress: (p) => {
        if (p > 1) controller.abort();
      },
    };
    const canceled = await exportBatch(
      canceling,
      { voice, exporter },
      { projectId: PROJECT, episode, listeners: ['Gus', 'Hal'], formats: ['mp3'], into },
    ).catch((e: unknown) => e);
    expect(canceled).toMatchObject({ code: 'canceled' });
    expect(await readdir(chosen)).toEqual([]);
    // The same in the project's exports/ folder.
    const before = await readdir(join(root, PROJECT, 'exports'));
    const controller2 = new AbortController();
    controller2.abort();
    const failed = await exportBatch(
      { jobId: 'batch', signal: controller2.signal, progress: () => undefined },
      { voice, exporter },
      { projectId: PROJECT, episode, listeners: ['Ivy'], formats: ['mp3'] },
    ).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'canceled' });
    expect(await readdir(join(root, PROJECT, 'exports'))).toEqual(before);
  });

  it('names folders by slug, unique and never empty', () => {
    expect(listenerFolders(['Ann', 'ann', '../..', 'Zoë'])).toEqual(['ann', 'ann-2', 'listener', 'zoe']);
  });
});
