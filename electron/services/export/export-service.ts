/**
 * Export: the mastered-for-now mix as MP3 (LAME in WebAssembly, off the main thread), the
 * transcript in the seed's style and the episode JSON, into a fresh folder under `exports/`.
 * Every file is written under a temp name and renamed, so no final name is ever half-written.
 */
import { mkdir } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { StudioError, type ExportFormat, type JobResult } from '../../../shared/contract';
import { speechLines, type Episode } from '../../../shared/model/episode';
import { transcriptText } from '../../../shared/export/transcript';
import { writeFileAtomic } from '../fs/atomic-write';
import type { JobContext } from '../jobs/job-manager';
import type { MixService } from '../audio/mix-service';
import { encodeMp3 } from '../audio/mp3-encoder';

export class ExportService {
  constructor(
    private readonly deps: {
      mix: MixService;
      projectDir: (projectId: string) => string;
      mediaUrl: (projectId: string, relPath: string) => string;
      createMp3Worker: () => Worker;
      now?: () => Date;
    },
  ) {}

  /** Runs an export job; `outDir` overrides the project's exports folder (CLI). */
  async export(
    ctx: JobContext,
    projectId: string,
    episode: Episode,
    formats: readonly ExportFormat[],
    opts: { bitrateKbps?: number; outDir?: string } = {},
  ): Promise<Extract<JobResult, { kind: 'export' }>> {
    const lines = speechLines(episode.lines);
    if (lines.length === 0) throw new StudioError('empty-input', 'The script has no lines to export.');
    const unvoiced = lines.filter((l) => !episode.clips[l.id]);
    if (formats.includes('mp3') && unvoiced.length > 0) {
      throw new StudioError(
        'bad-request',
        `${unvoiced.length} line${unvoiced.length === 1 ? ' is' : 's are'} not voiced yet; use "Voice all" first.`,
      );
    }
    const stamp = (this.deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const rel = `exports/${stamp}`;
    const folder = opts.outDir ?? join(this.deps.projectDir(projectId), rel);
    await mkdir(folder, { recursive: true });
    const files: Extract<JobResult, { kind: 'export' }>['files'] = [];
    const write = async (format: ExportFormat, name: string, data: Uint8Array | string): Promise<void> => {
      ctx.signal.throwIfAborted();
      await writeFileAtomic(join(folder, name), data);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      files.push({
        format,
        name,
        bytes,
        url: opts.outDir ? '' : this.deps.mediaUrl(projectId, `${rel}/${name}`),
      });
    };

    ctx.progress(2, 'Mixing');
    const mix = await this.deps.mix.mix(projectId, episode, ctx.signal);
    const durationSec = mix.samples.length / mix.sampleRate;
    if (formats.includes('mp3')) {
      ctx.progress(10, 'Encoding MP3');
      const mp3 = await encodeMp3(mix.samples, mix.sampleRate, {
        bitrateKbps: opts.bitrateKbps ?? 64,
        signal: ctx.signal,
        createWorker: this.deps.createMp3Worker,
        onProgress: (f) => ctx.progress(10 + f * 80, `Encoding MP3 ${Math.round(f * 100)}%`),
      });
      await write('mp3', 'episode.mp3', mp3);
    }
    ctx.progress(92, 'Writing transcript');
    if (formats.includes('transcript')) await write('transcript', 'transcript.txt', transcriptText(episode));
    if (formats.includes('json')) {
      const timed = { ...episode, timeline: mix.regions, durationSec };
      await write('json', 'episode.json', `${JSON.stringify(timed, null, 2)}\n`);
    }
    return { kind: 'export', folder, files, durationSec };
  }
}
