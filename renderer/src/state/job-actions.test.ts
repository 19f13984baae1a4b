// Voice and draft jobs as the renderer folds them in, against the real back end in this process
// (window.studio is the renderer's real web client: calls over HTTP, events over Server-Sent
// Events; the voices are the offline espeak-ng engine). The test holds the job events and hands
// them to the renderer's handlers itself, so it can choose what the producer does between a
// clip arriving and the job ending, and when another project opens: orders a slow machine or a
// long "Voice all" produce on their own.
// Browser globals first: the state modules read storage when they load.
import '../test-support/dom-globals';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '@shared/contract';
import { connectTestBackend, startSilentServer, type TestBackend } from '../test-support/backend-client';
import { draftStore } from './draft-actions';
import { blankEpisode } from './episode-helpers';
import { handleJobUpdate, handleVoiceLine, voiceLines } from './job-actions';
import { openProject } from './project-actions';
import { startDraft } from './draft-actions';
import { studio } from './studio-state';
import { createProjectPair } from '../test-support/projects';
import { pinTake, setPersonaEngine, setPersonaVoice } from './voice-actions';

let backend: TestBackend;
const api = () => window.studio!;
const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 30_000, interval: 20 });

type Held =
  | { name: 'jobUpdate'; payload: EventPayload<'jobUpdate'> }
  | { name: 'voiceLine'; payload: EventPayload<'voiceLine'> };
/** Events the back end sent, not yet handed to the renderer. */
let held: Held[] = [];

function hold<N extends 'jobUpdate' | 'voiceLine'>(name: N): void {
  api().on(name as EventName, (payload) => held.push({ name, payload } as Held));
}

/** Hands the held events of one job to the renderer, in order; `until` stops before the one it matches. */
function deliver(jobId: string, until?: (e: Held) => boolean): void {
  const rest: Held[] = [];
  let stopped = false;
  for (const e of held) {
    if (e.payload.jobId !== jobId || stopped || until?.(e)) {
      if (e.payload.jobId === jobId) stopped = true;
      rest.push(e);
      continue;
    }
    if (e.name === 'jobUpdate') handleJobUpdate(e.payload);
    else handleVoiceLine(e.payload);
  }
  held = rest;
}

const isEnd = (e: Held) =>
  e.name === 'jobUpdate' && ['done', 'failed', 'canceled'].includes(e.payload.status);

/** The id of the newest job the back end has announced. */
async function newestJob(before: Set<string>): Promise<string> {
  return waitFor(() => {
    const id = held.find((e) => !before.has(e.payload.jobId))?.payload.jobId;
    expect(id).toBeTruthy();
    return id!;
  });
}
/** Records the ids of jobs this window asks the back end to cancel from now on (the call still goes through). */
function recordCancels(): string[] {
  const ids: string[] = [];
  const client = api();
  const real = client.jobCancel.bind(client);
  client.jobCancel = (req) => {
    ids.push(req.jobId);
    return real(req);
  };
  return ids;
}
const knownJobs = () => new Set(held.map((e) => e.payload.jobId));

let projects: { first: string; second: string };

beforeAll(async () => {
  backend = await connectTestBackend();
  hold('jobUpdate');
  hold('voiceLine');
  const [appInfo, settings] = await Promise.all([api().appInfo({}), api().settingsGet({})]);
  studio.set({ appInfo, settings, boot: 'ready', episode: blankEpisode(settings) });
  draftStore.set(() => ({ choice: { providerId: 'offline', configs: {} } }));
}, 30_000);

afterAll(async () => {
  await backend?.close();
});

beforeEach(async () => {
  held = [];
  projects = await createProjectPair(['Hello and welcome.', 'Today: geese.', 'Geese fly south.'], {
    title: 'Geese',
    text: 'Geese fly south in autumn. They come back in spring.',
  });
  await openProject(projects.first);
});

describe('a voice job ending', () => {
  it('keeps the take the producer pinned after its clip arrived, and the pin', async () => {
    // Two takes of l1: the first voicing, then a regenerate.
    let before = knownJobs();
    await voiceLines(['l1']);
    let jobId = await newestJob(before);
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    deliver(jobId);
    const firstTake = studio.get().episode.clips.l1!.hash;

    before = knownJobs();
    await voiceLines(['l1', 'l2', 'l3'], { regenerate: true });
    jobId = await newestJob(before);
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    // The lines' clips arrive; the job has not ended yet for this window.
    deliver(jobId, isEnd);
    const regenerated = studio.get().episode.clips.l1!.hash;
    expect(regenerated).not.toBe(firstTake);
    // The producer prefers the first take and pins it while the job is still "running".
    await pinTake('l1', firstTake);
    expect(studio.get().episode.clips.l1?.hash).toBe(firstTake);
    deliver(jobId); // now the end
    expect(studio.get().jobs[jobId]?.status).toBe('done');
    expect(studio.get().episode.clips.l1?.hash).toBe(firstTake);
    expect(studio.get().episode.pinned?.l1).toBe(firstTake);
    // The other lines got their new clips.
    expect(Object.keys(studio.get().episode.clips).sort()).toEqual(['l1', 'l2', 'l3']);
  });

  it('puts in the clips whose line events never came (a reconnect), once the job ends', async () => {
    const before = knownJobs();
    await voiceLines(['l2', 'l3']);
    const jobId = await newestJob(before);
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    held = held.filter((e) => !(e.name === 'voiceLine' && e.payload.lineId === 'l3'));
    deliver(jobId);
    expect(Object.keys(studio.get().episode.clips).sort()).toEqual(['l2', 'l3']);
  });
});

describe('another project opened while a job runs', () => {
  it('gets none of a voice job’s clips, and the job is canceled', async () => {
    const canceled = recordCancels();
    const before = knownJobs();
    await voiceLines();
    const jobId = await newestJob(before);
    await openProject(projects.second);
    expect(studio.get().projectId).toBe(projects.second);
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    deliver(jobId);
    expect(studio.get().episode.clips).toEqual({});
    const saved = await api().projectOpen({ projectId: projects.second });
    expect(saved.episode.clips).toEqual({});
    // The window asked the back end to stop it (it may have ended first: a short job).
    expect(canceled).toContain(jobId);
  });

  it('gets none of a draft started for the first one, and the draft is canceled', async () => {
    const canceled = recordCancels();
    const before = knownJobs();
    await startDraft();
    const jobId = await newestJob(before);
    await openProject(projects.second);
    const lines = studio.get().episode.lines.map((l) => (l.kind === 'speech' ? l.text : ''));
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    deliver(jobId);
    await new Promise((r) => setTimeout(r, 50)); // a (wrong) applyDraft would save meanwhile
    expect(studio.get().episode.lines.map((l) => (l.kind === 'speech' ? l.text : ''))).toEqual(lines);
    const saved = await api().projectOpen({ projectId: projects.second });
    expect(saved.episode.lines.map((l) => (l.kind === 'speech' ? l.text : ''))).toEqual(lines);
    expect(draftStore.get().last).toBeNull();
    expect(canceled).toContain(jobId);
  });
});

describe('changing a host’s voice engine', () => {
  it('does not replace a voice the producer picked while the engine’s list was loading', async () => {
    // A server that answers nothing until told: the voice list waits on it.
    const server = await startSilentServer();
    try {
      const host = studio.get().episode.personas[0]!;
      setPersonaVoice(host, { baseURL: `${server.url}/v1` });
      const switching = setPersonaEngine(studio.get().episode.personas[0]!, 'openai-compatible');
      await waitFor(() => expect(server.connections()).toBeGreaterThan(0));
      setPersonaVoice(studio.get().episode.personas[0]!, { voice: 'my-own-voice' });
      server.release(); // the list request fails: the engine's built-in list comes back
      await switching;
      const now = studio.get().episode.personas[0]!.voice;
      expect(now.engine).toBe('openai-compatible');
      expect(now.voice).toBe('my-own-voice');
    } finally {
      await server.close();
    }
  });
});

describe('the event stream dropping while a job runs', () => {
  it('folds in a voice job that ended during the gap, once the stream is back', async () => {
    const earlier = new Set((await api().jobList({})).jobs.map((j) => j.jobId));
    const restore = backend.dropEvents();
    let jobId = '';
    try {
      await voiceLines(['l1', 'l2']);
      // The job ends on the back end; none of its events reach this window.
      await waitFor(async () => {
        const job = (await api().jobList({})).jobs.find((j) => !earlier.has(j.jobId));
        expect(job?.status).toBe('done');
        jobId = job!.jobId;
      });
    } finally {
      restore(); // the stream is cut and comes back
    }
    expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(false);
    await waitFor(() => expect(held.some((e) => e.payload.jobId === jobId && isEnd(e))).toBe(true));
    deliver(jobId);
    expect(studio.get().jobs[jobId]?.status).toBe('done');
    expect(Object.keys(studio.get().episode.clips).sort()).toEqual(['l1', 'l2']);
  });
});
