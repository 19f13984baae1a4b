/**
 * Long jobs (draft, voice, export): starting them, mirroring their updates from the back end,
 * and folding finished results into the episode.
 */
import { isJobOver, type CallRequest, type EventPayload, type JobUpdate } from '@shared/contract';
import { withVoicedClip, type Article } from '@shared/model/episode';
import { errorMessage, getStudio } from '../transport/studio-client';
import { voicingSnapshot } from './episode-helpers';
import { recordVoiceAction, voiceStateAction } from './history-actions';
import { lineVoiceStates, voiceStateChanged, type LineVoiceState } from './line-voice-state';
import { EarlyEvents } from './early-events';
import { applyDraft, ensureProject, saveNow, updateEpisode } from './project-actions';
import { onProjectReset, projectGeneration } from './project-generation';
import { refreshTimeline } from './timeline-actions';
import { showError, studio, type VoicedWith } from './studio-state';

export type JobContext =
  | { kind: 'draft'; article: Article }
  | {
      kind: 'voice';
      snapshot: Map<string, VoicedWith>;
      /** The lines' voice states when the job started (what undoing the job puts back). */
      before?: Map<string, LineVoiceState>;
    }
  | { kind: 'export' };

/** A job this window started, with what it needs to fold its results in. */
interface Tracked {
  ctx: JobContext;
  /**
   * The episode it was started for ({@link projectGeneration}): line ids repeat across projects,
   * so a late clip or draft must never land in another one.
   */
  generation: number;
  /** Lines whose clip a `voiceLine` event already put in: the job's end does not put it again. */
  applied: Set<string>;
}

/** Jobs this window started. */
const contexts = new Map<string, Tracked>();
/** Terminal updates already folded in (events can repeat after a reconnect). */
const settled = new Set<string>();
/** voiceLine events that arrived before their job's start call returned. */
const early = new EarlyEvents<EventPayload<'voiceLine'>[]>(8);

const DONE_LINGER_MS = 4000;

/** Mirrors the back end's job list after a (re)load; old finished jobs are not shown. */
export function adoptJobList(jobs: JobUpdate[]): void {
  studio.set((s) => {
    const next = { ...s.jobs };
    const dismissed = { ...s.dismissedJobs };
    for (const j of jobs) {
      next[j.jobId] = j;
      if (isJobOver(j.status)) dismissed[j.jobId] = true;
    }
    return { jobs: next, dismissedJobs: dismissed };
  });
}

export function handleJobUpdate(update: JobUpdate): void {
  const before = studio.get().jobs[update.jobId];
  studio.set((s) => ({ jobs: { ...s.jobs, [update.jobId]: update } }));
  // Finished and canceled jobs leave the job area after a moment; failures stay until dismissed.
  if ((update.status === 'done' || update.status === 'canceled') && before?.status !== update.status) {
    setTimeout(() => dismissJob(update.jobId), DONE_LINGER_MS);
  }
  settle(update.jobId);
}

export function handleVoiceLine(ev: EventPayload<'voiceLine'>): void {
  const tracked = contexts.get(ev.jobId);
  if (!tracked) {
    if (settled.has(ev.jobId)) return; // over, or dropped with its episode
    early.keep(ev.jobId, (kept = []) => [...kept, ev]);
    return;
  }
  const { ctx } = tracked;
  if (ctx.kind !== 'voice' || tracked.generation !== projectGeneration()) return;
  const line = studio.get().episode.lines.find((l) => l.id === ev.lineId);
  studio.set((s) => {
    const rendering = { ...s.rendering };
    if (rendering[ev.lineId] === ev.jobId) delete rendering[ev.lineId];
    const failedLines = { ...s.failedLines };
    const voicedWith = { ...s.voicedWith };
    if (ev.error) failedLines[ev.lineId] = ev.error;
    else delete failedLines[ev.lineId];
    const was = ctx.snapshot.get(ev.lineId);
    if (ev.clip && was) voicedWith[ev.lineId] = was;
    return { rendering, failedLines, voicedWith };
  });
  if (ev.clip && line) {
    const clip = ev.clip;
    updateEpisode((e) => withVoicedClip(e, ev.lineId, clip, ev.take));
    tracked.applied.add(ev.lineId);
  }
}

/** Puts a finished voice job on the undo history: the lines whose current clip or pin it changed. */
function recordVoicing(before: Map<string, LineVoiceState>): void {
  const now = lineVoiceStates(studio.get(), before.keys());
  const changed = [...before.keys()].filter((id) => voiceStateChanged(before.get(id)!, now.get(id)!));
  if (changed.length === 0) return;
  const pick = (m: Map<string, LineVoiceState>) => new Map(changed.map((id) => [id, m.get(id)!]));
  recordVoiceAction(
    voiceStateAction(
      (number) => {
        if (changed.length > 1) return `voice ${changed.length} lines`;
        const n = number(changed[0]!);
        return n ? `regenerate line ${n}` : 'regenerate a line';
      },
      pick(before),
      pick(now),
    ),
  );
}

/**
 * Tracks a job this window started so its result is folded in (draft-actions starts drafts).
 * `generation` is the episode's when the start call was made (default: now); a job started for
 * an episode that is no longer open is canceled instead.
 */
export function registerJob(jobId: string, ctx: JobContext, generation = projectGeneration()): void {
  if (generation !== projectGeneration() && ctx.kind !== 'export') {
    settled.add(jobId);
    early.take(jobId);
    void getStudio()
      .jobCancel({ jobId })
      .catch(() => undefined);
    return;
  }
  contexts.set(jobId, { ctx, generation, applied: new Set() });
  for (const ev of early.take(jobId) ?? []) handleVoiceLine(ev);
  settle(jobId);
}

/** Folds a finished job of this window into the episode, once. */
function settle(jobId: string): void {
  const job = studio.get().jobs[jobId];
  const tracked = contexts.get(jobId);
  if (!job || !tracked || !isJobOver(job.status) || settled.has(jobId)) return;
  settled.add(jobId);
  contexts.delete(jobId);
  // Another episode is open now: this job's lines, draft or files are not its.
  if (tracked.generation !== projectGeneration()) return;
  const { ctx, applied } = tracked;

  if (ctx.kind === 'voice') {
    const result = job.result?.kind === 'voice' ? job.result : undefined;
    // Only the clips whose `voiceLine` event never came (a reconnect): the others are in, and
    // the producer may have pinned another take or undone one since.
    const missed = Object.entries(result?.clips ?? {}).filter(([id]) => !applied.has(id));
    studio.set((s) => {
      const rendering = Object.fromEntries(Object.entries(s.rendering).filter(([, j]) => j !== jobId));
      const voicedWith = { ...s.voicedWith };
      const failedLines = { ...s.failedLines };
      for (const [id] of missed) {
        const was = ctx.snapshot.get(id);
        if (was) voicedWith[id] = was;
        delete failedLines[id];
      }
      for (const f of result?.failed ?? []) failedLines[f.lineId] = f.message;
      return { rendering, voicedWith, failedLines };
    });
    if (result && missed.length > 0) {
      updateEpisode((e) => {
        const ids = new Set(e.lines.map((l) => l.id));
        let next = e;
        for (const [id, clip] of missed)
          if (ids.has(id)) next = withVoicedClip(next, id, clip, result.takes?.[id]);
        return next;
      });
    }
    if (ctx.before) recordVoicing(ctx.before);
    void saveNow().then(() => refreshTimeline());
    return;
  }

  if (job.status !== 'done' || !job.result) return;
  if (ctx.kind === 'draft' && job.result.kind === 'draft') {
    void applyDraft(job.result.draft, ctx.article);
  } else if (ctx.kind === 'export' && job.result.kind === 'export') {
    studio.set({ exportResult: job.result });
  }
}

// Another episode replaced this one: drafts and voicing started for it stop (the clips already
// voiced are cached, so voicing those lines again in their project costs nothing). Exports go on:
// they write files into their own project and touch no episode.
onProjectReset(() => {
  for (const [jobId, { ctx, generation }] of contexts) {
    if (ctx.kind === 'export' || generation === projectGeneration()) continue;
    contexts.delete(jobId);
    settled.add(jobId);
    const status = studio.get().jobs[jobId]?.status;
    if (isJobOver(status)) continue;
    void getStudio()
      .jobCancel({ jobId })
      .catch(() => undefined);
  }
});

export function dismissJob(jobId: string): void {
  studio.set((s) => ({ dismissedJobs: { ...s.dismissedJobs, [jobId]: true } }));
}

export async function cancelJob(jobId: string): Promise<void> {
  try {
    await getStudio().jobCancel({ jobId });
  } catch (err) {
    showError(`Could not cancel the job: ${errorMessage(err)}`);
  }
}

/** True while a job of this kind is queued or running. */
export function isJobActive(jobs: Record<string, JobUpdate>, kind: JobUpdate['kind']): boolean {
  return Object.values(jobs).some(
    (j) => j.kind === kind && (j.status === 'queued' || j.status === 'running'),
  );
}

/** Voices the listed speech lines, or all of them (cached clips come back at once). */
export async function voiceLines(
  lineIds?: string[],
  opts: { regenerate?: boolean; budgetUsd?: number } = {},
): Promise<void> {
  const generation = projectGeneration();
  try {
    const projectId = await ensureProject();
    const { episode } = studio.get();
    const snapshot = voicingSnapshot(episode, lineIds);
    if (snapshot.size === 0) {
      showError(lineIds ? 'That line is not a speech line.' : 'The script has no speech lines to voice yet.');
      return;
    }
    const before = lineVoiceStates(studio.get(), snapshot.keys());
    const { jobId } = await getStudio().voiceSynthesize({ projectId, episode, lineIds, ...opts });
    if (generation !== projectGeneration()) {
      registerJob(jobId, { kind: 'voice', snapshot, before }, generation); // cancels it
      return;
    }
    studio.set((s) => {
      const rendering = { ...s.rendering };
      const failedLines = { ...s.failedLines };
      for (const id of snapshot.keys()) {
        rendering[id] = jobId;
        delete failedLines[id];
      }
      return { rendering, failedLines };
    });
    registerJob(jobId, { kind: 'voice', snapshot, before });
  } catch (err) {
    showError(`Could not start voicing: ${errorMessage(err)}`, (err as { code?: string }).code);
  }
}

/** Exports into a new folder under the project's exports/ (every format unless told). */
export async function startExport(
  options: Omit<CallRequest<'exportStart'>, 'projectId' | 'episode'> = {
    formats: ['mp3', 'transcript', 'json', 'srt', 'vtt', 'podcast-json', 'show-notes'],
  },
  onStarted?: (jobId: string) => void,
): Promise<void> {
  try {
    const projectId = await ensureProject();
    await saveNow();
    const { episode } = studio.get();
    studio.set({ exportResult: null });
    const { jobId } = await getStudio().exportStart({ projectId, episode, ...options });
    registerJob(jobId, { kind: 'export' });
    onStarted?.(jobId);
  } catch (err) {
    showError(`Could not start the export: ${errorMessage(err)}`, (err as { code?: string }).code);
  }
}
