import { beforeEach, describe, expect, it } from 'vitest';
import { handleVoiceProgress, voiceStore } from './voice-actions';
import { initialState, studio } from './studio-state';

const running = { jobId: 'j1', kind: 'voice' as const, status: 'running' as const, percent: 0, message: '' };

describe('handleVoiceProgress', () => {
  beforeEach(() => {
    studio.set(initialState());
    voiceStore.set({ lineProgress: {} });
  });

  it('marks a line as rendering while it runs or retries, with the message', () => {
    studio.set({ jobs: { j1: running } });
    handleVoiceProgress({ jobId: 'j1', lineId: 'a', status: 'running', message: 'Voicing' });
    expect(studio.get().rendering).toEqual({ a: 'j1' });
    handleVoiceProgress({ jobId: 'j1', lineId: 'a', status: 'retrying', message: '429 — retry 1 in 1.0 s' });
    expect(studio.get().rendering).toEqual({ a: 'j1' });
    expect(voiceStore.get().lineProgress.a?.message).toBe('429 — retry 1 in 1.0 s');
  });

  it('clears only the mark of the job that failed or canceled, and never other lines', () => {
    studio.set({ jobs: { j1: running }, rendering: { a: 'j2', b: 'j1' } });
    handleVoiceProgress({ jobId: 'j1', lineId: 'a', status: 'failed', message: 'boom' });
    expect(studio.get().rendering).toEqual({ a: 'j2', b: 'j1' });
    expect(studio.get().failedLines).toEqual({ a: 'boom' });
    handleVoiceProgress({ jobId: 'j1', lineId: 'b', status: 'canceled', message: 'Canceled' });
    expect(studio.get().rendering).toEqual({ a: 'j2' });
  });

  it('ignores late running events of a finished job, and a finished job leaves no marks', () => {
    studio.set({ jobs: { j1: { ...running, status: 'done' } } });
    handleVoiceProgress({ jobId: 'j1', lineId: 'a', status: 'running', message: 'Voicing' });
    expect(studio.get().rendering).toEqual({});
    studio.set({ jobs: { j2: { ...running, jobId: 'j2' } }, rendering: { a: 'j2', b: 'j3' } });
    studio.set((s) => ({ jobs: { ...s.jobs, j2: { ...running, jobId: 'j2', status: 'failed' } } }));
    expect(studio.get().rendering).toEqual({ b: 'j3' });
  });
});
