/**
 * Long work as jobs: each returns an id at once and reports
 * queued → running{percent,message} → done | failed{code,message} | canceled.
 */
import { randomUUID } from 'node:crypto';
import {
  isJobOver,
  StudioError,
  toErrorShape,
  type JobKind,
  type JobResult,
  type JobUpdate,
} from '../../../shared/contract';

/** What a job's body receives: a signal to honour and a progress reporter. */
export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Reports progress; percent is clamped to 0..100. */
  progress(percent: number, message: string): void;
}

type Listener = (update: JobUpdate) => void;

/** Keeps the state of every job and tells listeners about each change. */
export class JobManager {
  private readonly jobs = new Map<string, { update: JobUpdate; controller: AbortController }>();
  private readonly listeners = new Set<Listener>();

  /** Subscribes to job updates; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts `body` as a job of `kind` and returns its id immediately. */
  start(kind: JobKind, body: (ctx: JobContext) => Promise<JobResult>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.jobs.set(jobId, {
      controller,
      update: { jobId, kind, status: 'queued', percent: 0, message: 'Queued' },
    });
    this.emit(jobId);
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (percent, message) => {
        if (controller.signal.aborted) return;
        this.patch(jobId, { status: 'running', percent: Math.max(0, Math.min(100, percent)), message });
      },
    };
    // Run on the next tick so the caller has the id before the first 'running' update.
    setImmediate(() => {
      if (controller.signal.aborted) return;
      this.patch(jobId, { status: 'running', message: 'Starting' });
      body(ctx).then(
        (result) => {
          if (controller.signal.aborted) return;
          this.patch(jobId, { status: 'done', percent: 100, message: 'Done', result });
        },
        (err: unknown) => {
          if (controller.signal.aborted || (err instanceof StudioError && err.code === 'canceled')) {
            this.patch(jobId, { status: 'canceled', message: 'Canceled' });
            return;
          }
          const error = toErrorShape(err);
          this.patch(jobId, { status: 'failed', message: error.message, error });
        },
      );
    });
    return jobId;
  }

  /** Cancels a queued or running job; false when it already ended or is unknown. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || !['queued', 'running'].includes(job.update.status)) return false;
    job.controller.abort(new StudioError('canceled', 'Canceled'));
    this.patch(jobId, { status: 'canceled', message: 'Canceled' });
    return true;
  }

  /** Cancels everything still running (on shutdown). */
  cancelAll(): void {
    for (const id of this.jobs.keys()) this.cancel(id);
  }

  /** The latest state of every job, newest last; ended jobs beyond the last 50 are forgotten. */
  list(): JobUpdate[] {
    return [...this.jobs.values()].map((j) => j.update);
  }

  /** Resolves with the job's final update (for the CLI and tests). */
  wait(jobId: string): Promise<JobUpdate> {
    return new Promise((resolve, reject) => {
      const check = (u: JobUpdate | undefined): boolean => {
        if (u && isJobOver(u.status)) {
          resolve(u);
          return true;
        }
        return false;
      };
      if (!this.jobs.has(jobId)) return reject(new StudioError('not-found', `No job ${jobId}`));
      if (check(this.jobs.get(jobId)?.update)) return;
      const off = this.on((u) => {
        if (u.jobId === jobId && check(u)) off();
      });
    });
  }

  private patch(jobId: string, patch: Partial<JobUpdate>): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    const ended = isJobOver(job.update.status);
    if (ended) return;
    job.update = { ...job.update, ...patch };
    this.emit(jobId);
    if (isJobOver(job.update.status)) this.prune();
  }

  private emit(jobId: string): void {
    const update = this.jobs.get(jobId)?.update;
    if (!update) return;
    for (const l of this.listeners) l(update);
  }

  private prune(): void {
    const ended = [...this.jobs.entries()].filter(([, j]) => isJobOver(j.update.status));
    for (const [id] of ended.slice(0, Math.max(0, ended.length - 50))) this.jobs.delete(id);
  }
}
