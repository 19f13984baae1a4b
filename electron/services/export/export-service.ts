/**
 * Export: the mastered-for-now mix as a tagged MP3 (LAME in WebAssembly, off the main thread; ID3
 * with cover, transcript and chapters), the transcript in the seed's style, SRT, WebVTT, the
 * Podcasting 2.0 JSON transcript, show notes (Markdown + HTML) and the episode JSON, into a fresh
 * folder under `exports/`. Every timed output (chapters, cues) comes from the regions of the very
 * mix that is encoded. Every file is written under a temp name and renamed, so no final name is
 * ever half-written.
 */
import { mkdir, realpath, rmdir } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { StudioError, type ExportFormat, type JobResult } from '../../../shared/contract';
import { speechLines, type Episode } from '../../../shared/model/episode';
import { chaptersFromScript } from '../../../shared/export/chapters';
import { showNotesHtml, showNotesMarkdown } from '../../../shared/export/show-notes';
import { cuesFromRegions, toPodcastJson, toSrt, toWebVtt } from '../../../shared/export/subtitles';
import { transcriptText } from '../../../shared/export/transcript';
import { ioError, writeFileAtomic } from '../fs/atomic-write';
import type { JobContext } from '../jobs/job-manager';
import type { MixService } from '../audio/mix-service';
import { encodeMp3 } from '../audio/mp3-encoder';
import type { Mp3Choices } from '../../../shared/export/mp3-choices';
import { LOUDNESS_PRESETS, type LoudnessPreset } from '../audio/master';
import type { MasterReport } from '../audio/mp3-worker';
import { tagMp3 } from './id3';

/** A folder name for an export made at `date`: `2025-11-15T06-00-00` (sorts by time). */
export function exportStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

/** The folder an export writes into, made on its first file. */
interface Target {
  folder: string;
  /** `folder` relative to the project ('' outside it). */
  rel: string;
  /** Set when the folder is outside the project: its files get no URLs. */
  outDir: string | undefined;
  /** This export made the folder, so it removes it again if the export fails before writing. */
  made: boolean;
  /** Where `folder` resolved to when it was made. */
  real: string;
}

/**
 * Runs `work`; if it fails or is canceled, removes the folder `made()` names (if any) when it is
 * still empty, then rethrows. rmdir only removes an empty folder, so nothing written is ever lost.
 * Single exports and batches both clean up through this.
 */
export async function removeIfEmptyOnFailure<T>(
  made: () => string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const folder = made();
    if (folder) await rmdir(folder).catch(() => undefined);
    throw err;
  }
}

/** Formats whose output is timed by the mix: every speech line must be voiced first. */
const NEEDS_VOICES: readonly ExportFormat[] = ['mp3', 'srt', 'vtt', 'podcast-json'];

export class ExportService {
  constructor(
    private readonly deps: {
      mix: MixService;
      projectDir: (projectId: string) => string;
      mediaUrl: (projectId: string, relPath: string) => string;
      createMp3Worker: () => Worker;
      now?: () => Date;
      /**
       * Cover art (PNG or JPEG bytes) for the MP3's APIC frame, read at each export so a replaced
       * file is picked up; `undefined` (or no loader) exports without a cover.
       */
      loadCover?: () => Promise<Uint8Array | undefined>;
    },
  ) {}

  private async loadCover(): Promise<Uint8Array | undefined> {
    try {
      return await this.deps.loadCover?.();
    } catch (err) {
      throw new StudioError(
        'io',
        `Could not read the cover art: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** The clock exports are stamped with. */
  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Absolute path of a folder given relative to the project (`exports/<stamp>/…`). */
  projectFolder(projectId: string, relDir: string): string {
    return join(this.deps.projectDir(projectId), relDir);
  }

  /**
   * Creates a new `exports/<stamp>` folder in the project and returns its relative path; a second
   * export within the same second gets `<stamp>-2` and so on, so no export overwrites another.
   */
  async freshFolder(projectId: string): Promise<string> {
    const exportsDir = join(this.deps.projectDir(projectId), 'exports');
    try {
      await mkdir(exportsDir, { recursive: true });
    } catch (err) {
      throw ioError(err, exportsDir);
    }
    return `exports/${await this.freshFolderIn(exportsDir)}`;
  }

  /**
   * Creates a new dated folder inside `parent` (which must exist) and returns its name: the stamp,
   * or `<stamp>-2` … when that name is taken, so an export never writes into an existing folder.
   */
  async freshFolderIn(parent: string): Promise<string> {
    const stamp = exportStamp(this.now());
    for (let n = 1; ; n++) {
      const name = n === 1 ? stamp : `${stamp}-${n}`;
      try {
        await mkdir(join(parent, name));
        return name;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw ioError(err, name);
      }
    }
  }

  /**
   * Runs an export job into `exports/<stamp>/` of the project; `relDir` picks another folder inside
   * the project (batches: `exports/<stamp>/<listener>`), `outDir` any folder outside it (CLI; no URLs),
   * `into` makes a new folder elsewhere and returns its real path (a granted export folder, see
   * `ExportFolders.makeInside`; no URLs). The folder is made right before the first file is written
   * (after mixing and encoding), and before every file it must still resolve to where it was made.
   */
  async export(
    ctx: JobContext,
    projectId: string,
    episode: Episode,
    formats: readonly ExportFormat[],
    opts: {
      /** How the MP3 is encoded (see `encodeMp3`). */
      mp3?: Mp3Choices;
      outDir?: string;
      relDir?: string;
      into?: () => Promise<string>;
      loudness?: LoudnessPreset | 'none';
    } = {},
  ): Promise<Extract<JobResult, { kind: 'export' }>> {
    const lines = speechLines(episode.lines);
    if (lines.length === 0) throw new StudioError('empty-input', 'The script has no lines to export.');
    const unvoiced = lines.filter((l) => !episode.clips[l.id]);
    const timed = formats.filter((f) => NEEDS_VOICES.includes(f));
    if (timed.length > 0 && unvoiced.length > 0) {
      throw new StudioError(
        'bad-request',
        `${unvoiced.length} line${unvoiced.length === 1 ? ' is' : 's are'} not voiced yet; use "Voice all" first.`,
      );
    }
    let made: Target | undefined;
    const target = async (): Promise<Target> => (made ??= await this.makeTarget(projectId, opts));
    return removeIfEmptyOnFailure(
      () => (made?.made ? made.folder : undefined),
      () => this.writeAll(ctx, projectId, episode, formats, opts, target),
    );
  }

  /** Makes (or opens) the folder an export writes into; see {@link export}. */
  private async makeTarget(
    projectId: string,
    opts: { outDir?: string; relDir?: string; into?: () => Promise<string> },
  ): Promise<Target> {
    if (opts.into) {
      const folder = await opts.into();
      return { folder, rel: '', outDir: folder, made: true, real: folder };
    }
    const rel = opts.relDir ?? (opts.outDir ? '' : await this.freshFolder(projectId));
    const folder = opts.outDir ?? join(this.deps.projectDir(projectId), rel);
    let first: string | undefined;
    try {
      first = await mkdir(folder, { recursive: true });
    } catch (err) {
      throw ioError(err, folder);
    }
    const real = await realpath(folder).catch((err: unknown) => {
      throw ioError(err, folder);
    });
    // A folder this export made (the fresh dated one, or a listener's) is removed again if it
    // stays empty; a folder that was there before is never touched.
    const made = (!opts.relDir && !opts.outDir) || first === folder;
    return { folder, rel, outDir: opts.outDir, made, real };
  }

  /** Mixes, encodes and writes every chosen format into the folder `target` makes (see {@link export}). */
  private async writeAll(
    ctx: JobContext,
    projectId: string,
    episode: Episode,
    formats: readonly ExportFormat[],
    opts: { mp3?: Mp3Choices; loudness?: LoudnessPreset | 'none' },
    target: () => Promise<Target>,
  ): Promise<Extract<JobResult, { kind: 'export' }>> {
    const files: Extract<JobResult, { kind: 'export' }>['files'] = [];
    const write = async (format: ExportFormat, name: string, data: Uint8Array | string): Promise<void> => {
      const { folder, rel, outDir, real } = await target();
      if (ctx.signal.aborted) throw new StudioError('canceled', 'Export canceled');
      // Each file is written by path, so the folder must still be the one that was made.
      if ((await realpath(folder).catch(() => null)) !== real) {
        throw new StudioError(
          'bad-request',
          `The export folder ${folder} changed while exporting (it now leads somewhere else); the rest was not written.`,
        );
      }
      await writeFileAtomic(join(folder, name), data);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      files.push({
        format,
        name,
        bytes,
        url: outDir ? '' : this.deps.mediaUrl(projectId, `${rel}/${name}`),
      });
    };

    ctx.progress(2, 'Mixing');
    const mix = await this.deps.mix.mix(projectId, episode, ctx.signal);
    const durationSec = mix.samples.length / mix.sampleRate;
    const chapters = chaptersFromScript(episode.lines, mix.regions, durationSec);
    let loudness: MasterReport | undefined;
    if (formats.includes('mp3')) {
      const cover = await this.loadCover();
      const preset = opts.loudness ?? 'podcast';
      ctx.progress(10, preset === 'none' ? 'Encoding MP3' : 'Mastering loudness');
      const mp3 = await encodeMp3(mix.samples, mix.sampleRate, {
        ...opts.mp3,
        // Mastering runs in the encoder's worker, off the main thread.
        ...(preset === 'none' ? {} : { master: LOUDNESS_PRESETS[preset] }),
        onMastered: (report) => {
          loudness = report;
        },
        signal: ctx.signal,
        createWorker: this.deps.createMp3Worker,
        onProgress: (f) => ctx.progress(10 + f * 80, `Encoding MP3 ${Math.round(f * 100)}%`),
      });
      ctx.progress(91, 'Tagging MP3');
      const tagged = tagMp3(mp3, {
        title: episode.title,
        show: episode.show.showName,
        date: episode.show.date,
        description: episode.summary,
        transcript: transcriptText(episode),
        cover,
        chapters,
        durationSec,
      });
      await write('mp3', 'episode.mp3', tagged);
    }
    ctx.progress(92, 'Writing transcripts');
    if (formats.includes('transcript')) await write('transcript', 'transcript.txt', transcriptText(episode));
    const cues = cuesFromRegions(episode.lines, mix.regions);
    if (formats.includes('srt')) await write('srt', 'transcript.srt', toSrt(cues));
    if (formats.includes('vtt')) await write('vtt', 'transcript.vtt', toWebVtt(cues));
    if (formats.includes('podcast-json')) {
      await write('podcast-json', 'transcript.json', `${JSON.stringify(toPodcastJson(cues), null, 2)}\n`);
    }
    if (formats.includes('show-notes')) {
      ctx.progress(96, 'Writing show notes');
      await write('show-notes', 'show-notes.md', showNotesMarkdown(episode, chapters));
      await write('show-notes', 'show-notes.html', showNotesHtml(episode, chapters));
    }
    if (formats.includes('json')) {
      const withTimes = { ...episode, timeline: mix.regions, chapters, durationSec };
      await write('json', 'episode.json', `${JSON.stringify(withTimes, null, 2)}\n`);
    }
    const { folder } = await target();
    return { kind: 'export', folder, files, durationSec, ...(loudness ? { loudness } : {}) };
  }
}
