import { describe, expect, it } from 'vitest';
import { StudioError, type JobUpdate } from '../../../shared/contract';
import { JobManager } from './job-manager';

describe('JobManager', () => {
  it('reports queued, running with progress, then done with the result', async () => {
    const jobs = new JobManager();
    const seen: JobUpdate[] = [];
    jobs.on((u) => seen.push(u));
    const id = jobs.start('draft', async (ctx) => {
      ctx.progress(50, 'half');
      return {
        kind: 'draft',
        draft: {
          title: 't',
          category: 'c',
          lines: [],
          summary: '',
          analysis: { conflict: '', relatedInfo: '', coreEvent: '', background: '', impact: '', future: '' },
        },
      };
    });
    const end = await jobs.wait(id);
    expect(end.status).toBe('done');
    expect(end.result?.kind).toBe('draft');
    expect(seen.map((u) => u.status)).toEqual(['queued', 'running', 'running', 'done']);
    expect(seen.find((u) => u.message === 'half')?.percent).toBe(50);
  });

  it('reports failures with the typed code and message', async () => {
    const jobs = new JobManager();
    const id = jobs.start('voice', async () => {
      throw new StudioError('engine', 'the engine broke');
    });
    const end = await jobs.wait(id);
    expect(end).toMatchObject({ status: 'failed', error: { code: 'engine', message: 'the engine broke' } });
  });

  it('cancels a running job: its signal aborts and it ends as canceled, not failed', async () => {
    const jobs = new JobManager();
    let aborted = false;
    const id = jobs.start(
      'export',
      (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          });
        }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(jobs.cancel(id)).toBe(true);
    const end = await jobs.wait(id);
    expect(aborted).toBe(true);
    expect(end.status).toBe('canceled');
    expect(jobs.cancel(id)).toBe(false);
  });
});
