/**
 * Per-listener batch export: the same episode addressed to each listener in turn. Only the lines
 * that speak the listener's name change (see `personaliseForListener`), so only they reach the
 * voice engine; every other line comes from the clip cache. One job, progress per listener, and a
 * failure of one listener is reported in its entry while the others go on. The studio's
 * `exportBatch` call and the CLI's `--listeners` both run this one loop.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  StudioError,
  toErrorShape,
  type BatchListenerResult,
  type ExportFormat,
  type JobResult,
} from '../../../shared/contract';
import type { Episode } from '../../../shared/model/episode';
import { personaliseForListener } from '../../../shared/export/personalise';
import type { JobContext } from '../jobs/job-manager';
import type { LoudnessPreset } from '../audio/master';
import { slug } from '../project/project-service';
import type { VoiceService } from '../voice/voice-service';
import { ioError } from '../fs/atomic-write';
import { confirmFolder } from './export-folders';
import type { Mp3Choices } from '../../../shared/export/mp3-choices';
import { removeIfEmptyOnFailure, type ExportService } from './export-service';

export type BatchResult = Extract<JobResult, { kind: 'export-batch' }>;

export interface BatchRequest {
  projectId: string;
  /** The episode as voiced so far (its clips are the cache the listeners share). */
  episode: Episode;
  listeners: readonly string[];
  formats: readonly ExportFormat[];
  /** How each listener's MP3 is encoded. */
  mp3?: Mp3Choices;
  loudness?: LoudnessPreset | 'none';
  /**
   * Absolute folder for the listeners' folders (CLI; files get no URLs). Default: a new
   * `exports/<stamp>/` in the project, served to the UI.
   */
  outDir?: string;
  /**
   * Makes the batch's folder elsewhere and returns its real path (a granted export folder, see
   * `ExportFolders.makeInside`; files get no URLs). Called when the job runs; each listener's
   * folder in it is checked again before anything is written there.
   */
  into?: () => Promise<string>;
  /** Write a single listener straight into `outDir` instead of `outDir/<listener>/` (CLI). */
  flat?: boolean;
  /** Called when a listener starts (CLI logging). */
  onListener?: (listener: string, index: number) => void;
}

/** Makes the listener folder `dir` inside the real folder `root` and checks it stayed there. */
async function makeChild(root: string, dir: string): Promise<string> {
  try {
    await mkdir(dir);
  } catch (err) {
    throw ioError(err, dir);
  }
  await confirmFolder(dir, root, true, dir);
  return dir;
}

/** Folder names for listeners: their slug, made unique (`ann`, `ann-2`), never empty. */
export function listenerFolders(listeners: readonly string[]): string[] {
  const used = new Map<string, number>();
  return listeners.map((name) => {
    const base = slug(name) || 'listener';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

/** Runs one export per listener inside the job `ctx`; see the module comment. */
export async function exportBatch(
  ctx: JobContext,
  deps: { voice: VoiceService; exporter: ExportService },
  req: BatchRequest,
): Promise<BatchResult> {
  const names = req.listeners.map((l) => l.trim()).filter(Boolean);
  if (names.length === 0) throw new StudioError('empty-input', 'The listener list has no names.');
  const flat = !!req.flat && !!req.outDir && names.length === 1;
  const into = req.into ? await req.into() : undefined;
  const outDir = into ?? req.outDir;
  const rootRel = outDir ? '' : await deps.exporter.freshFolder(req.projectId);
  const root = outDir ?? deps.exporter.projectFolder(req.projectId, rootRel);
  const folders = listenerFolders(names);
  // A batch folder this job made (not the CLI's --out) is removed again if the batch fails or is
  // canceled before any listener wrote a file, as a single export does.
  const made = !req.outDir || !!into;
  return removeIfEmptyOnFailure(
    () => (made ? root : undefined),
    () => exportListeners(ctx, deps, req, { names, folders, root, rootRel, flat, into }),
  );
}

/** The loop of {@link exportBatch}: one export per listener into `to.root`. */
async function exportListeners(
  ctx: JobContext,
  deps: { voice: VoiceService; exporter: ExportService },
  req: BatchRequest,
  to: {
    names: string[];
    folders: string[];
    root: string;
    rootRel: string;
    flat: boolean;
    into: string | undefined;
  },
): Promise<BatchResult> {
  const { names, folders, root, rootRel, flat, into } = to;
  const listeners: BatchListenerResult[] = [];
  const n = names.length;

  for (const [i, listener] of names.entries()) {
    if (ctx.signal.aborted) throw new StudioError('canceled', 'Batch export canceled');
    req.onListener?.(listener, i);
    const share = (from: number, to: number) => (percent: number, message: string) =>
      ctx.progress(
        ((i + from + ((to - from) * percent) / 100) / n) * 100,
        `${listener} (${i + 1} of ${n}): ${message}`,
      );
    const sub = (from: number, to: number): JobContext => ({
      jobId: ctx.jobId,
      signal: ctx.signal,
      progress: share(from, to),
    });
    const folder = flat ? root : join(root, folders[i]);
    const entry: BatchListenerResult = {
      listener,
      folder,
      files: [],
      durationSec: 0,
      linesVoiced: 0,
      linesFromCache: 0,
      costUsd: 0,
    };
    listeners.push(entry);
    try {
      const personal = personaliseForListener(req.episode, listener).episode;
      const voiced = await deps.voice.synthesize(sub(0, 0.3), req.projectId, personal);
      entry.linesVoiced = voiced.synthesized.length;
      entry.linesFromCache = voiced.cached.length;
      entry.costUsd = voiced.costUsd ?? 0;
      if (voiced.failed.length > 0) {
        const first = voiced.failed[0];
        throw new StudioError(
          first.code ?? 'engine',
          `Voicing failed for ${voiced.failed.length} line${voiced.failed.length === 1 ? '' : 's'}: ${first.message}`,
        );
      }
      const exported = await deps.exporter.export(
        sub(0.3, 1),
        req.projectId,
        { ...personal, clips: { ...personal.clips, ...voiced.clips } },
        req.formats,
        {
          ...(req.mp3 ? { mp3: req.mp3 } : {}),
          ...(req.loudness ? { loudness: req.loudness } : {}),
          ...(into
            ? { into: () => makeChild(into, folder) }
            : req.outDir
              ? { outDir: folder }
              : { relDir: flat ? rootRel : `${rootRel}/${folders[i]}` }),
        },
      );
      entry.files = exported.files;
      entry.durationSec = exported.durationSec;
      if (exported.loudness) entry.loudness = exported.loudness;
    } catch (err) {
      if (ctx.signal.aborted || (err instanceof StudioError && err.code === 'canceled')) {
        throw new StudioError('canceled', 'Batch export canceled');
      }
      entry.error = toErrorShape(err);
    }
  }
  const failed = listeners.filter((l) => l.error).length;
  ctx.progress(100, failed ? `${n - failed} of ${n} listeners exported` : `${n} listeners exported`);
  return { kind: 'export-batch', folder: root, listeners };
}
