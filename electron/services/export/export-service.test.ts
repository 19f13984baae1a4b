// Export of every format from a real mix (espeak-ng voices, the real mixer and LAME), checked with
// ffprobe and a maintained subtitle parser against the regions the mix itself reports.
import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseText } from 'media-captions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StudioError, type ExportFormat, type TimelineRegion } from '../../../shared/contract';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type ScriptLine } from '../../../shared/model/episode';
import { formatChapterTime } from '../../../shared/export/show-notes';
import { ffmpegEbur128, probeDurationSec } from '../test-support/media-probe';
import type { JobContext } from '../jobs/job-manager';
import { MixService } from '../audio/mix-service';
import { nodeWorkerFactory } from '../node-workers';
import { EspeakEngine } from '../voice/espeak-engine';
import { VoiceService } from '../voice/voice-service';
import { ExportService } from './export-service';

const ALL: ExportFormat[] = ['mp3', 'transcript', 'json', 'srt', 'vtt', 'podcast-json', 'show-notes'];
const COVER_URL = new URL('../../../resources/cover.png', import.meta.url);
const PROJECT = 'export-test';

let root: string;
let engine: EspeakEngine;
let voice: VoiceService;
let mix: MixService;
let episode: Episode;

function ctx(): JobContext {
  return { jobId: 'job', signal: new AbortController().signal, progress: () => undefined };
}

function exporter(loadCover?: () => Promise<Uint8Array | undefined>): ExportService {
  return new ExportService({
    mix,
    projectDir: () => join(root, PROJECT),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
    loadCover,
  });
}

const lines: ScriptLine[] = [
  { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Good morning, and welcome to Goose Pod.' },
  { kind: 'heading', id: 'h1', text: 'The bridge' },
  {
    kind: 'speech',
    id: 'l2',
    speaker: 'Theo',
    text:
      'The new bridge opened on Tuesday after four years of work, and the town says traffic on the old ' +
      'ferry route has already fallen by half, which is a <big> deal & then some.',
  },
  { kind: 'speech', id: 'l3', speaker: 'Maya', text: 'Who paid for it?' },
  { kind: 'heading', id: 'h2', text: 'Nothing voiced here' },
  { kind: 'heading', id: 'h3', text: 'What comes next' },
  { kind: 'speech', id: 'l4', speaker: 'Theo', text: 'A second crossing is planned for the north side.' },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gps-export-'));
  // The project service creates this when a project is made.
  await mkdir(join(root, PROJECT, 'clips'), { recursive: true });
  engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
    size: 2,
  });
  voice = new VoiceService({ engine, projectDir: () => join(root, PROJECT), emitLine: () => undefined });
  mix = new MixService({ voice, projectDir: () => join(root, PROJECT), mediaUrl: () => '' });
  const personas = JSON.parse(
    await readFile(new URL('../../../resources/default-personas.json', import.meta.url), 'utf8'),
  ) as Episode['personas'];
  episode = {
    version: EPISODE_VERSION,
    id: 'ep',
    title: 'Bridges & <ferries>',
    category: 'Local',
    createdAt: '2025-11-15T06:00:00.000Z',
    updatedAt: '2025-11-15T06:00:00.000Z',
    show: { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' },
    personas,
    article: { title: 'Bridge', text: 'x', source: 'The Daily', url: 'https://example.com/bridge' },
    lines,
    summary: 'A bridge opened.',
    analysis: { ...emptyAnalysis(), conflict: 'Cost.', future: 'A second crossing.' },
    clips: {},
    pauseSec: 0.4,
  };
  const voiced = await voice.synthesize(ctx(), PROJECT, episode);
  expect(voiced.failed).toEqual([]);
  episode = { ...episode, clips: voiced.clips };
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const ms = (sec: number) => Math.round(sec * 1000);

describe('ExportService', () => {
  it('exports every format with chapter and cue times that match the mix', async () => {
    const cover = new Uint8Array(await readFile(COVER_URL));
    const result = await exporter(async () => cover).export(ctx(), PROJECT, episode, ALL);
    const regions: TimelineRegion[] = (await mix.mix(PROJECT, episode)).regions;
    const region = (id: string) => regions.find((r) => r.lineId === id)!;
    const file = (name: string) => join(result.folder, name);

    expect(result.files.map((f) => [f.format, f.name])).toEqual([
      ['mp3', 'episode.mp3'],
      ['transcript', 'transcript.txt'],
      ['srt', 'transcript.srt'],
      ['vtt', 'transcript.vtt'],
      ['podcast-json', 'transcript.json'],
      ['show-notes', 'show-notes.md'],
      ['show-notes', 'show-notes.html'],
      ['json', 'episode.json'],
    ]);
    expect(regions.at(-1)!.end).toBeCloseTo(result.durationSec, 6);

    // MP3: chapters where the mix voices each section's first line, cover, duration.
    const probe = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_chapters',
        '-show_format',
        '-show_streams',
        '-of',
        'json',
        file('episode.mp3'),
      ]).toString(),
    ) as {
      chapters: { start_time: string; end_time: string; tags: { title: string } }[];
      format: { duration: string; start_time: string; tags: Record<string, string> };
      streams: { codec_type: string; disposition: { attached_pic: number } }[];
    };
    const expected = [
      { title: 'Introduction', start: region('l1').start, end: region('l2').start },
      { title: 'The bridge', start: region('l2').start, end: region('l4').start },
      { title: 'What comes next', start: region('l4').start, end: result.durationSec },
    ];
    expect(probe.chapters.map((c) => c.tags.title)).toEqual(expected.map((c) => c.title));
    probe.chapters.forEach((c, i) => {
      expect(Math.abs(Number(c.start_time) - expected[i].start)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(Number(c.end_time) - expected[i].end)).toBeLessThanOrEqual(0.001);
    });
    expect(probe.format.tags).toMatchObject({ title: episode.title, artist: 'Goose Pod', genre: 'Podcast' });
    expect(
      probe.streams.filter((s) => s.codec_type === 'video' && s.disposition.attached_pic === 1),
    ).toHaveLength(1);
    const audio = Number(probe.format.duration) - Number(probe.format.start_time);
    expect(Math.abs(audio - result.durationSec)).toBeLessThan(0.05);

    // SRT and WebVTT: each line's first cue starts and last cue ends on its region.
    for (const [name, type] of [
      ['transcript.srt', 'srt'],
      ['transcript.vtt', 'vtt'],
    ] as const) {
      const { cues, errors } = await parseText(await readFile(file(name), 'utf8'), { type, strict: true });
      expect(errors).toEqual([]);
      for (const r of regions) {
        const own = cues.filter((c) => ms(c.startTime) >= ms(r.start) && ms(c.endTime) <= ms(r.end));
        expect(own.length, `${name} ${r.lineId}`).toBeGreaterThan(0);
        expect(ms(own[0].startTime)).toBe(ms(r.start));
        expect(ms(own.at(-1)!.endTime)).toBe(ms(r.end));
      }
      // The long line was split into several cues.
      expect(cues.length).toBeGreaterThan(regions.length);
    }

    // Podcasting 2.0 JSON transcript.
    const transcript = z
      .object({
        version: z.literal('1.0.0'),
        segments: z.array(
          z
            .object({ speaker: z.string(), startTime: z.number(), endTime: z.number(), body: z.string() })
            .strict(),
        ),
      })
      .strict()
      .parse(JSON.parse(await readFile(file('transcript.json'), 'utf8')));
    for (const r of regions) {
      const own = transcript.segments.filter(
        (s) => ms(s.startTime) >= ms(r.start) && ms(s.endTime) <= ms(r.end),
      );
      expect(own[0].startTime).toBe(ms(r.start) / 1000);
      expect(own.at(-1)!.endTime).toBe(ms(r.end) / 1000);
      expect(own.every((s) => s.speaker === r.speaker)).toBe(true);
    }

    // Show notes list the same chapters at the same times.
    const md = await readFile(file('show-notes.md'), 'utf8');
    const html = await readFile(file('show-notes.html'), 'utf8');
    for (const c of expected) {
      expect(md).toContain(`- ${formatChapterTime(c.start)} ${c.title}`);
      expect(html).toContain(`<li><time>${formatChapterTime(c.start)}</time><span>${c.title}</span></li>`);
    }
    expect(html).toContain('&lt;big&gt; deal &amp; then some');

    const json = JSON.parse(await readFile(file('episode.json'), 'utf8')) as { chapters: typeof expected };
    expect(json.chapters).toEqual(expected);
  });

  it('refuses timed formats while lines are unvoiced, but writes untimed ones', async () => {
    const partial = { ...episode, clips: { l1: episode.clips.l1 } };
    for (const format of ['srt', 'vtt', 'podcast-json', 'mp3'] as const) {
      const err = await exporter()
        .export(ctx(), PROJECT, partial, [format])
        .catch((e: unknown) => e);
      expect(err, format).toBeInstanceOf(StudioError);
      expect((err as StudioError).code).toBe('bad-request');
    }
    const notes = await exporter().export(ctx(), PROJECT, partial, ['show-notes', 'transcript'], {
      outDir: join(root, 'partial'),
    });
    expect(notes.files.map((f) => f.name)).toEqual(['transcript.txt', 'show-notes.md', 'show-notes.html']);
  });

  it('leaves no final-named (or temp) file behind when canceled in the middle of the MP3', async () => {
    const controller = new AbortController();
    const progress: string[] = [];
    const canceling: JobContext = {
      jobId: 'job',
      signal: controller.signal,
      progress: (percent, message) => {
        progress.push(message);
        // Halfway through encoding: the worker is busy and nothing has been written yet.
        if (/^Encoding MP3 \d+%/.test(message) && percent > 20) controller.abort();
      },
    };
    // The producer's own folder: it stays, with nothing written into it.
    const outDir = join(root, 'canceled');
    await mkdir(outDir);
    const err = await exporter()
      .export(canceling, PROJECT, episode, ALL, { outDir, loudness: 'none' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('canceled');
    expect(progress.some((m) => /^Encoding MP3 \d+%/.test(m))).toBe(true);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('puts two exports made in the same second in different folders', async () => {
    const fixed = new ExportService({
      mix,
      projectDir: () => join(root, 'same-second'),
      mediaUrl: (id, rel) => `/media/${id}/${rel}`,
      createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
      now: () => new Date('2025-11-15T06:00:00.000Z'),
    });
    const a = await fixed.export(ctx(), PROJECT, episode, ['transcript']);
    const b = await fixed.export(ctx(), PROJECT, episode, ['transcript']);
    expect(a.folder).toBe(join(root, 'same-second', 'exports', '2025-11-15T06-00-00'));
    expect(b.folder).toBe(join(root, 'same-second', 'exports', '2025-11-15T06-00-00-2'));
    expect(b.files[0].url).toBe(`/media/${PROJECT}/exports/2025-11-15T06-00-00-2/transcript.txt`);
  });

  it('exports into a chosen folder as a new dated folder, never over an earlier export', async () => {
    const chosen = join(root, 'chosen');
    const stamp = '2025-11-15T06-00-00';
    // A folder of that name already holds the producer's own file: it must stay as it is.
    await mkdir(join(chosen, stamp), { recursive: true });
    await writeFile(join(chosen, stamp, 'transcript.txt'), 'mine');
    const fixed = new ExportService({
      mix,
      projectDir: () => join(root, PROJECT),
      mediaUrl: (id, rel) => `/media/${id}/${rel}`,
      createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
      now: () => new Date('2025-11-15T06:00:00.000Z'),
    });
    const into = async () => join(chosen, await fixed.freshFolderIn(chosen));
    const a = await fixed.export(ctx(), PROJECT, episode, ['transcript'], { into });
    const b = await fixed.export(ctx(), PROJECT, episode, ['transcript'], { into });
    expect(a.folder).toBe(join(chosen, `${stamp}-2`));
    expect(b.folder).toBe(join(chosen, `${stamp}-3`));
    expect(a.files[0].url).toBe('');
    expect(await readFile(join(chosen, stamp, 'transcript.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(a.folder, 'transcript.txt'), 'utf8')).toContain('Good morning');
    expect((await readdir(chosen)).sort()).toEqual([stamp, `${stamp}-2`, `${stamp}-3`]);
  });

  it('cancels an export into a chosen folder without leaving a file, temp file or empty folder', async () => {
    const controller = new AbortController();
    const canceling: JobContext = { jobId: 'job', signal: controller.signal, progress: () => undefined };
    const chosen = join(root, 'chosen-cancel');
    await mkdir(chosen);
    const ex = exporter();
    const made: string[] = [];
    const err = await ex
      .export(canceling, PROJECT, episode, ALL, {
        loudness: 'none',
        // Canceled the moment its dated folder exists, before the first file is written.
        into: async () => {
          made.push(join(chosen, await ex.freshFolderIn(chosen)));
          controller.abort();
          return made[0];
        },
      })
      .catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('canceled');
    expect(made).toHaveLength(1);
    // Not even the dated folder it made is left behind.
    expect(await readdir(chosen)).toEqual([]);
  });

  it('stops writing when its folder is swapped for a symlink between two files', async () => {
    const chosen = join(root, 'chosen-swap');
    const away = join(root, 'swap-target');
    await mkdir(chosen);
    await mkdir(away);
    const ex = exporter();
    let dated = '';
    const swapping: JobContext = {
      jobId: 'job',
      signal: new AbortController().signal,
      // After the MP3 is written, the dated folder is moved away and a symlink put in its place.
      progress: (_p, message) => {
        if (message !== 'Writing transcripts' || !dated) return;
        renameSync(dated, `${dated}-moved`);
        symlinkSync(away, dated);
      },
    };
    const err = await ex
      .export(swapping, PROJECT, episode, ['mp3', 'transcript'], {
        loudness: 'none',
        into: async () => (dated = join(chosen, await ex.freshFolderIn(chosen))),
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/changed while exporting/),
    });
    expect(await readdir(away)).toEqual([]);
    expect(await readdir(`${dated}-moved`)).toEqual(['episode.mp3']);
  });

  it('writes VBR dual-mono stereo at the loudness target, the duration the mix has', async () => {
    const result = await exporter().export(ctx(), PROJECT, episode, ['mp3'], {
      outDir: join(root, 'vbr-stereo'),
      mp3: { mode: 'vbr', channels: 2, vbrQuality: 6 },
    });
    const file = join(result.folder, 'episode.mp3');
    const { streams } = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file]).toString(),
    ) as { streams: { codec_type: string; channels?: number; start_time: string; duration: string }[] };
    const audio = streams.find((s) => s.codec_type === 'audio')!;
    expect(audio.channels).toBe(2);
    // What a player shows: the Xing frame count's length less the encoder delay ffprobe reports as
    // start_time (the container duration also counts the delay and the last frame's padding).
    expect(Math.abs(Number(audio.duration) - Number(audio.start_time) - result.durationSec)).toBeLessThan(
      0.05,
    );
    expect(probeDurationSec(file)).toBeGreaterThan(result.durationSec);
    // A gapless decode gives back exactly the mix's samples.
    const decoded = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-'], {
      maxBuffer: 1 << 28,
    });
    expect(Math.abs(decoded.length / 2 / 22050 - result.durationSec)).toBeLessThan(0.001);
    const { integrated, truePeak } = ffmpegEbur128(file);
    expect(Math.abs(integrated - -16)).toBeLessThanOrEqual(1);
    expect(truePeak).toBeLessThanOrEqual(-0.5);
    // The job reports the file's loudness (stereo), not the mono mix it mastered.
    expect(Math.abs(result.loudness!.after.integratedLufs! - integrated)).toBeLessThanOrEqual(0.5);
    // The tag sits in front of a Xing (VBR) frame, not an Info (CBR) one.
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from('Xing'))).toBe(true);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x49, 0x44, 0x33, 4]));
  });

  it('reports an unreadable cover as an io error', async () => {
    const err = await exporter(() => Promise.reject(new Error('ENOENT: cover.png')))
      .export(ctx(), PROJECT, episode, ['mp3'], { outDir: join(root, 'nocover') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('io');
  });
});
