/**
 * Events of jobs this window does not know yet: a job's first events can arrive before the call
 * that started it answers with its id. Kept per job until that answer, and only the newest few
 * jobs (other windows' jobs send events here too).
 */
export class EarlyEvents<T> {
  private readonly byJob = new Map<string, T>();

  constructor(private readonly maxJobs: number) {}

  /** Keeps `update(what was kept)` for the job, as its newest. */
  keep(jobId: string, update: (kept: T | undefined) => T): void {
    const value = update(this.byJob.get(jobId));
    this.byJob.delete(jobId);
    this.byJob.set(jobId, value);
    for (const id of this.byJob.keys()) if (this.byJob.size > this.maxJobs) this.byJob.delete(id);
  }

  /** What was kept for the job, now handed over (and forgotten). */
  take(jobId: string): T | undefined {
    const value = this.byJob.get(jobId);
    this.byJob.delete(jobId);
    return value;
  }

  clear(): void {
    this.byJob.clear();
  }
}
