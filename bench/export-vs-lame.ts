/**
 * Bench: a full export of a 60-minute episode through ExportService (mix, loudness mastering, MP3
 * with ID3 and chapters, every transcript, show notes, episode JSON) against the native `lame` CLI
 * alone encoding the same mix as a PCM WAV, in CBR and in VBR (`-V 6`, Xing header). Goal: ours
 * ≤ 1.25× lame.
 * The episode is a few espeak-ng clips (voiced once through the VoiceService) repeated to an hour.
 * Run: `npx tsx bench/export-vs-lame.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ExportFormat } from '../shared/contract';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type ScriptLine } from '../shared/model/episode';
import { MixService } from '../electron/services/audio/mix-service';
import { encodeWav } from '../electron/services/audio/wav';
import type { JobContext } from '../electron/services/jobs/job-manager';
import { createNodeStudio } from '../electron/services/node-host';
import { markdown, seedDialogue } from './espeak-vs-native';

const run$ = promisify(execFile);
const MINUTES = 60;
const BITRATE = 64;
const VBR_QUALITY = 6;
const ALL: ExportFormat[] = ['mp3', 'transcript', 'srt', 'vtt', 'podcast-json', 'show-notes', 'json'];

const ctx = (): JobContext => ({ jobId: 'bench', signal: new AbortController().signal, progress: () => {} });

async function timed<T>(fn: () => Promise<T>): Promise<{ sec: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { sec: (performance.now() - t) / 1000, value };
}

/** Runs the bench and returns its table. */
export async function run(minutes = MINUTES): Promise<{ title: string; markdown: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gps-bench-export-'));
  const studio = await createNodeStudio({ dataDir, voiceWorkers: 2 });
  try {
    const settings = await studio.backend.settingsGet({});
    const names = settings.personas.map((p) => p.name);
    const texts = (await seedDialogue()).slice(0, 8);
    const now = new Date().toISOString();
    const base: Episode = {
      version: EPISODE_VERSION,
      id: 'bench',
      title: 'Export bench',
      category: 'Bench',
      createdAt: now,
      updatedAt: now,
      show: { ...settings.show, date: '2025-11-15' },
      personas: settings.personas,
      article: { title: 'Bench', text: texts.join(' ') },
      lines: texts.map((text, i) => ({ kind: 'speech', id: `s${i}`, speaker: names[i % 2], text })),
      summary: 'A long episode for the export bench.',
      analysis: emptyAnalysis(),
      clips: {},
      pauseSec: 0.6,
    };
    const { projectId } = await studio.backend.projectNew({ episode: base });
    const voiced = await studio.voice.synthesize(ctx(), projectId, base);
    const seed = base.lines.map((l) => ({ line: l, clip: voiced.clips[l.id] }));
    // Repeat the voiced lines (same text and speaker, so the same clips) to the target length,
    // with a chapter heading every 20 lines.
    const lines: ScriptLine[] = [];
    const clips: Episode['clips'] = {};
    let sec = 0;
    for (let i = 0; sec < minutes * 60; i++) {
      const { line, clip } = seed[i % seed.length];
      if (i % 20 === 0) lines.push({ kind: 'heading', id: `h${i}`, text: `Part ${i / 20 + 1}` });
      const id = `l${i}`;
      lines.push({ ...line, id } as ScriptLine);
      clips[id] = clip;
      sec += clip.durationSec + base.pauseSec;
    }
    const episode: Episode = { ...base, lines, clips };

    // Reference input: the same mix (unmastered) as a 16-bit PCM WAV, written outside the timing.
    const mix = await new MixService({
      voice: studio.voice,
      projectDir: (id) => studio.projects.dir(id),
      mediaUrl: () => '',
    }).mix(projectId, episode);
    const work = await mkdtemp(join(tmpdir(), 'gps-bench-lame-'));
    const wav = join(work, 'in.wav');
    await writeFile(wav, encodeWav(mix.samples, mix.sampleRate));
    const audioMin = mix.samples.length / mix.sampleRate / 60;

    const ours = await timed(() =>
      studio.exporter.export(ctx(), projectId, episode, ALL, {
        mp3: { bitrateKbps: BITRATE },
        loudness: 'podcast',
      }),
    );
    const lame = await timed(() =>
      run$('lame', ['--quiet', '-b', String(BITRATE), '--cbr', '-m', 'm', wav, join(work, 'lame.mp3')]),
    );
    const oursVbr = await timed(() =>
      studio.exporter.export(ctx(), projectId, episode, ALL, {
        mp3: { mode: 'vbr', vbrQuality: VBR_QUALITY },
        loudness: 'podcast',
      }),
    );
    const lameVbr = await timed(() =>
      run$('lame', ['--quiet', '-V', String(VBR_QUALITY), '-m', 'm', wav, join(work, 'lame-vbr.mp3')]),
    );
    const mp3Bytes = (r: typeof ours) => r.value.files.find((f) => f.name === 'episode.mp3')!.bytes;
    const lameBytes = (await stat(join(work, 'lame.mp3'))).size;
    const lameVbrBytes = (await stat(join(work, 'lame-vbr.mp3'))).size;
    await rm(work, { recursive: true, force: true });
    const version = (await run$('lame', ['--version'])).stdout.split('\n')[0].trim();
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);

    const title = `Full export of a ${Math.round(audioMin)}-minute episode vs lame CLI alone`;
    const columns = ['Work', 'Ours (s)', 'Reference (s)', 'Ratio'];
    const rows = [
      [
        `${audioMin.toFixed(1)} min, ${lines.length} lines, ${mix.sampleRate} Hz mono, ${BITRATE} kbps CBR: ours = mix + −16 LUFS mastering + MP3 + ID3/chapters + ${ALL.length} formats; reference = \`lame -b ${BITRATE} --cbr -m m\` on the WAV`,
        ours.sec.toFixed(2),
        lame.sec.toFixed(2),
        (ours.sec / lame.sec).toFixed(2),
      ],
      [
        `the same, VBR \`-V ${VBR_QUALITY}\` with a Xing header; reference = \`lame -V ${VBR_QUALITY} -m m\` on the WAV`,
        oursVbr.sec.toFixed(2),
        lameVbr.sec.toFixed(2),
        (oursVbr.sec / lameVbr.sec).toFixed(2),
      ],
    ];
    const notes = [
      `Goal ≤ 1.25×. Ratio > 1 means ours is slower. One run each (a full hour per run).`,
      `MP3 size (tags and cover included in ours): CBR ours ${mib(mp3Bytes(ours))} MiB, lame ${mib(lameBytes)} MiB; VBR ours ${mib(mp3Bytes(oursVbr))} MiB, lame ${mib(lameVbrBytes)} MiB (lame's WAV is not mastered, so its VBR sees quieter audio).`,
      `Loudness ${ours.value.loudness?.before.integratedLufs} → ${ours.value.loudness?.after.integratedLufs} LUFS. Reference: ${version}; ours: wasm LAME 3.100 in a worker.`,
    ];
    return { title, markdown: markdown(title, columns, rows, notes) };
  } finally {
    await studio.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(Number(process.argv[2] ?? MINUTES)).then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
