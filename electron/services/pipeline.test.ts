// The spine, end to end through the real back end: sample article → offline draft → voices →
// edit one line → only that line re-voiced → timeline → MP3 + transcript checked with ffprobe.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobUpdate } from '../../shared/contract';
import { EPISODE_VERSION, speechLines, type Episode } from '../../shared/model/episode';
import { createNodeStudio } from './node-host';
import type { Studio } from './studio';
import { ffmpegEbur128, probeDurationSec } from './test-support/media-probe';

let studio: Studio;
let dataDir: string;

async function finished(jobId: string): Promise<JobUpdate> {
  const end = await studio.jobs.wait(jobId);
  if (end.status !== 'done') throw new Error(`job ${end.kind} ${end.status}: ${end.message}`);
  return end;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gp-pipe-'));
  studio = await createNodeStudio({ dataDir, mediaUrl: (id, rel) => `/media/${id}/${rel}` });
});
afterAll(() => studio.close());

describe('spine pipeline', () => {
  it('drafts, voices, re-voices only the edited line, mixes and exports a playable MP3', async () => {
    const { backend } = studio;
    const settings = await backend.settingsGet({});
    const article = await backend.articleSample({});
    const show = { ...settings.show, listenerName: 'norristong', date: '2025-11-15' };
    const draftJob = await finished(
      (await backend.draftStart({ article, show, personas: settings.personas, targetMinutes: 1 })).jobId,
    );
    if (draftJob.result?.kind !== 'draft') throw new Error('no draft');
    const draft = draftJob.result.draft;
    const now = new Date().toISOString();
    let episode: Episode = {
      version: EPISODE_VERSION,
      id: 'e2e',
      title: draft.title,
      category: draft.category,
      createdAt: now,
      updatedAt: now,
      show,
      personas: settings.personas,
      article,
      lines: draft.lines,
      summary: draft.summary,
      analysis: draft.analysis,
      clips: {},
      pauseSec: 0.4,
    };
    const speech = speechLines(episode.lines);
    expect(speech[0].text).toContain('Good morning norristong');
    const { projectId } = await backend.projectNew({ episode });

    const first = await finished((await backend.voiceSynthesize({ projectId, episode })).jobId);
    if (first.result?.kind !== 'voice') throw new Error('no voice result');
    expect(first.result.synthesized.length).toBe(speech.length);
    expect(first.result.failed).toEqual([]);
    episode = { ...episode, clips: first.result.clips };
    const requestsAfterFirst = studio.voice.engineRequests;

    // Edit one line, then voice everything again: exactly one engine request.
    const edited = speech[2];
    episode = {
      ...episode,
      lines: episode.lines.map((l) =>
        l.id === edited.id && l.kind === 'speech' ? { ...l, text: `${l.text} Truly.` } : l,
      ),
    };
    const second = await finished((await backend.voiceSynthesize({ projectId, episode })).jobId);
    if (second.result?.kind !== 'voice') throw new Error('no voice result');
    expect(second.result.synthesized).toEqual([edited.id]);
    expect(second.result.cached.length).toBe(speech.length - 1);
    expect(studio.voice.engineRequests - requestsAfterFirst).toBe(1);
    expect(second.result.clips[edited.id].hash).not.toBe(episode.clips[edited.id].hash);
    episode = { ...episode, clips: second.result.clips };

    const timeline = await backend.timelineGet({ projectId, episode });
    expect(timeline.regions.map((r) => r.lineId)).toEqual(speech.map((l) => l.id));
    const clipSum = Object.values(episode.clips).reduce((s, c) => s + c.durationSec, 0);
    expect(timeline.durationSec).toBeCloseTo(clipSum + episode.pauseSec * (speech.length - 1), 1);
    expect(Math.abs(timeline.peaks.length - timeline.durationSec * timeline.peaksPerSecond)).toBeLessThan(1);
    // A finer level comes as a window, and each coarse peak is the largest of its fine ones.
    const fine = await backend.timelinePeaks({ projectId, level: 2000, from: 4000, count: 2000 });
    expect(fine.peaks.length).toBe(2000);
    expect(fine.total).toBe(Math.ceil(timeline.durationSec * 2000 - 1e-6));
    for (let c = 40; c < 60; c++) {
      expect(timeline.peaks[c]).toBe(Math.max(...fine.peaks.slice((c - 40) * 100, (c - 39) * 100)));
    }
    await expect(backend.timelinePeaks({ projectId, level: 300, from: 0, count: 10 })).rejects.toThrow(
      /no waveform level of 300/,
    );
    // A well-formed id of no project is refused as such (before any mix state is made for it).
    await expect(
      backend.timelinePeaks({ projectId: 'no-such-project', level: 2000, from: 0, count: 10 }),
    ).rejects.toThrow(/There is no project "no-such-project"/);

    const exported = await finished(
      (await backend.exportStart({ projectId, episode, formats: ['mp3', 'transcript', 'json'] })).jobId,
    );
    if (exported.result?.kind !== 'export') throw new Error('no export');
    const mp3 = join(exported.result.folder, 'episode.mp3');
    const probed = probeDurationSec(mp3);
    // The default cover from resources/ is attached (an attached-picture stream).
    const streams = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', mp3]).toString();
    expect(
      (JSON.parse(streams) as { streams: { disposition?: { attached_pic?: number } }[] }).streams.some(
        (st) => st.disposition?.attached_pic === 1,
      ),
    ).toBe(true);
    expect(Math.abs(probed - timeline.durationSec)).toBeLessThan(0.15);
    // Mastered to the podcast target (−16 LUFS, −1 dBTP), as ffmpeg's own meter reads the MP3.
    expect(exported.result.loudness?.after.integratedLufs).toBeCloseTo(-16, 0);
    const { integrated, truePeak: peak } = ffmpegEbur128(mp3);
    expect(Math.abs(integrated + 16)).toBeLessThan(0.7);
    expect(peak).toBeLessThan(-0.3);
    const transcript = await readFile(join(exported.result.folder, 'transcript.txt'), 'utf8');
    expect(transcript).toContain('Maya\nGood morning norristong');
    expect(transcript).toContain('Truly.');

    // Reopening the project and voicing again costs nothing.
    const reopened = await backend.projectOpen({ projectId });
    const before = studio.voice.engineRequests;
    await finished(
      (await backend.voiceSynthesize({ projectId, episode: { ...reopened.episode, lines: episode.lines } }))
        .jobId,
    );
    expect(studio.voice.engineRequests).toBe(before);
  });

  it('cancels a voice job', async () => {
    const { backend } = studio;
    const settings = await backend.settingsGet({});
    const article = await backend.articleSample({});
    const show = { ...settings.show, date: '2025-11-16' };
    const d = await finished(
      (await backend.draftStart({ article, show, personas: settings.personas })).jobId,
    );
    if (d.result?.kind !== 'draft') throw new Error('no draft');
    const now = new Date().toISOString();
    const episode: Episode = {
      version: EPISODE_VERSION,
      id: 'c',
      title: 'cancel me',
      category: 'x',
      createdAt: now,
      updatedAt: now,
      show,
      personas: settings.personas,
      article,
      lines: d.result.draft.lines,
      summary: '',
      analysis: d.result.draft.analysis,
      clips: {},
      pauseSec: 0.4,
    };
    const { projectId } = await backend.projectNew({ episode });
    const { jobId } = await backend.voiceSynthesize({ projectId, episode });
    await new Promise((r) => setTimeout(r, 300));
    expect((await backend.jobCancel({ jobId })).canceled).toBe(true);
    expect((await studio.jobs.wait(jobId)).status).toBe('canceled');
  });
});
