// "Redraft from here" as the renderer runs it, end to end: window.studio is the renderer's real
// web client talking over HTTP (calls) and Server-Sent Events (job updates, streamed lines) to the
// real back end started in this process, whose model is the project's OpenAI-compatible test
// server with injected faults. A failed redraft puts the producer's lines back, a stopped one
// keeps what arrived, a project opened meanwhile cancels the job and gets none of its lines, and
// lines of a job this window is not running are never written. Only the editor is stood in for
// (Monaco needs a real browser: navigator, layout measuring, a worker): a list of lines the
// RegionWriter rewrites, reloaded from the episode when another one opens, as the real editor is.
// Browser globals first: the state modules read storage when they load.
import '../test-support/dom-globals';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScriptLine } from '@shared/model/episode';
import { connectTestBackend, type TestBackend } from '../test-support/backend-client';
import { draftStore, loadPresets } from './draft-actions';
import {
  confirmPartial,
  estimatePending,
  installPartialEditor,
  openPartialPrompt,
  partialProblem,
  partialStore,
  repositionPartialPrompt,
  setPartialInstruction,
  stopPartial,
  subscribePartialLines,
} from './partial-actions';
import { boot, openProject } from './project-actions';
import { studio } from './studio-state';
import { createProjectPair } from '../test-support/projects';

let backend: TestBackend;
/** Projects made on the back end for each test: the one redrafted and another one. */
let projects: { first: string; second: string };
let script: ScriptLine[];
let otherScript: ScriptLine[];

/** The editor's script, which region writes replace between their anchors. */
let shown: ScriptLine[] = [];
/** Where the editor says the prompt's line is (the prompt follows it when the editor scrolls). */
let anchorTop = 0;
const writes: ScriptLine[][] = [];
let uninstall: () => void = () => undefined;
let unsubscribe: () => void = () => undefined;

const api = () => window.studio!;
const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 20_000, interval: 20 });

beforeAll(async () => {
  // Small chunks: a redraft arrives line by line.
  backend = await connectTestBackend({ chunkChars: 24, chunkDelayMs: 2 });
  await boot();
  unsubscribe = subscribePartialLines();
  await loadPresets();
  draftStore.set(() => ({
    choice: {
      providerId: 'custom',
      configs: {
        custom: { baseURL: backend.modelBaseURL, model: 'test-model', inputPricePerM: 0, outputPricePerM: 0 },
      },
    },
  }));
});

afterAll(async () => {
  unsubscribe();
  await backend?.close();
});

beforeEach(async () => {
  const article = {
    title: 'Geese',
    text: 'Geese fly south in autumn. They come back in spring. Flocks fly in a V to save energy. The leader drops back when tired, and another goose takes its place. Goslings learn the route from their parents on their first flight.',
  };
  const made = await createProjectPair(
    ['Hello and welcome.', 'Today: geese.', 'Geese fly south in autumn.', 'They come back in spring.'],
    article,
  );
  projects = { first: made.first, second: made.second };
  await openProject(projects.first);
  script = studio.get().episode.lines;
  otherScript = made.otherLines;
  expect(script.map((l) => l.id)).toEqual(['l1', 'l2', 'l3', 'l4']);
  writes.length = 0;
  shown = [...script];
  uninstall = installPartialEditor({
    cursorLineId: () => 'l3',
    anchorBelow: () => anchorTop,
    replaceLineText: () => false,
    beginRegion(after, until) {
      return {
        write(lines) {
          const from = after ? shown.findIndex((l) => l.id === after) + 1 : 0;
          const to = until ? shown.findIndex((l) => l.id === until) : shown.length;
          if (from < 0 || to < 0) return false;
          shown = [...shown.slice(0, from), ...lines, ...shown.slice(to)];
          writes.push([...lines]);
          return true;
        },
        end: () => [],
      };
    },
  });
});

afterEach(() => uninstall());

// The real editor shows the new episode when another one opens.
studio.subscribe((s, p) => {
  if (s.scriptRevision !== p.scriptRevision && s.scriptRevisionKind === 'reset') shown = [...s.episode.lines];
});

/** Waits until the prompt shows the cost of what confirming would run. */
async function estimated(): Promise<void> {
  await waitFor(() => expect(estimatePending(partialStore.get().prompt!)).toBe(false));
  expect(partialStore.get().prompt?.estimate).not.toBeNull();
}

/** Opens the prompt at l3 and confirms it; resolves once the back end has the job. */
async function startRedraft(): Promise<string> {
  expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
  await estimated();
  await confirmPartial();
  const p = partialStore.get().prompt;
  expect(p?.phase).toBe('running');
  expect(p?.jobId).toBeTruthy();
  return p!.jobId!;
}

async function jobStatus(jobId: string): Promise<string | undefined> {
  return (await api().jobList({})).jobs.find((j) => j.jobId === jobId)?.status;
}

describe('redraft from here', () => {
  it('puts the original lines back when the reply is rejected after lines streamed in, and says so', async () => {
    // The lines stream in with speakers who are not hosts; the retry does it again: rejected.
    backend.enqueue(
      { kind: 'unknown-speakers', names: ['Narrator', 'Guest'] },
      { kind: 'unknown-speakers', names: ['Narrator', 'Guest'] },
    );
    const jobId = await startRedraft();
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('failed'));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.flat().some((l) => l.kind === 'speech' && l.speaker === 'Narrator')).toBe(true);
    expect(shown).toEqual(script);
    expect(partialStore.get().prompt?.error).toMatch(
      /^test-model kept writing lines for speakers who are not hosts.*The lines from here on were put back as they were\.$/,
    );
    expect(await jobStatus(jobId)).toBe('failed');
  });

  it('keeps the lines that arrived when the producer stops it', async () => {
    // A few lines, then the model goes quiet until the producer stops the job.
    backend.enqueue({ kind: 'stall', afterChunks: 30 });
    const jobId = await startRedraft();
    await waitFor(() => expect(partialStore.get().prompt?.arrived).toBeGreaterThan(0));
    const arrived = writes.at(-1)!;
    await stopPartial();
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('canceled'));
    expect(shown).toEqual([...script.slice(0, 2), ...arrived]);
    expect(partialStore.get().prompt).toMatchObject({ error: null, arrived: arrived.length });
    expect(await jobStatus(jobId)).toBe('canceled');
  });

  it('cancels the job when another project opens, and writes none of its lines into that one', async () => {
    backend.enqueue({ kind: 'stall', afterChunks: 30 });
    const jobId = await startRedraft();
    await waitFor(() => expect(partialStore.get().prompt?.arrived).toBeGreaterThan(0));
    const before = writes.length;
    await openProject(projects.second);
    expect(studio.get().projectId).toBe(projects.second);
    expect(partialStore.get().prompt).toBeNull();
    await waitFor(async () => expect(await jobStatus(jobId)).toBe('canceled'));
    expect(shown).toEqual(otherScript);
    expect(writes.length).toBe(before);
  });

  it('writes no lines of a redraft this window is not running, before or during its own', async () => {
    // Another window redrafts the same back end: its lines stream to every window.
    const foreign: string[] = [];
    const off = api().on('draftPartialLines', (ev) => foreign.push(ev.jobId));
    backend.enqueue({ kind: 'unknown-speakers', names: ['Narrator', 'Guest'] });
    const { episode } = studio.get();
    const { jobId: theirs } = await api().draftRedraftFrom({
      article: episode.article,
      show: episode.show,
      personas: episode.personas,
      lines: episode.lines,
      lineId: 'l2',
      llm: {
        providerId: 'custom',
        baseURL: backend.modelBaseURL,
        model: 'test-model',
        inputPricePerM: 0,
        outputPricePerM: 0,
      },
    });
    await waitFor(() => expect(foreign).toContain(theirs));
    const mine = await startRedraft();
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('done'));
    off();
    expect(mine).not.toBe(theirs);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.flat().some((l) => l.kind === 'speech' && ['Narrator', 'Guest'].includes(l.speaker))).toBe(
      false,
    );
    expect(shown.slice(0, 2)).toEqual(script.slice(0, 2));
  });
});

describe('confirming', () => {
  it('a confirm while the estimate is on its way starts once it is in, not before', async () => {
    backend.enqueue({ kind: 'stall', afterChunks: 30 });
    expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
    await estimated();
    const shownBefore = partialStore.get().prompt!.estimate;
    // A new instruction: the cost shown is the old one's until the new estimate arrives.
    setPartialInstruction('more sceptical');
    expect(estimatePending(partialStore.get().prompt!)).toBe(true);
    await confirmPartial(); // Enter, at once
    expect(partialStore.get().prompt).toMatchObject({ phase: 'ask', confirmQueued: true });
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('running'));
    const p = partialStore.get().prompt!;
    expect(p.estimate).not.toBe(shownBefore); // it ran on the new instruction's estimate
    expect(p.estimatedFor).toContain('more sceptical');
    await stopPartial();
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('canceled'));
  });

  it('typing again takes back a confirm that waited for the estimate', async () => {
    expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
    await estimated();
    setPartialInstruction('more sceptical');
    await confirmPartial();
    setPartialInstruction('more sceptical, and shorter');
    expect(partialStore.get().prompt?.confirmQueued).toBe(false);
    await estimated();
    await new Promise((r) => setTimeout(r, 50));
    expect(partialStore.get().prompt?.phase).toBe('ask');
  });

  it('starts even if the prompt moves while the start call is on its way', async () => {
    backend.enqueue({ kind: 'stall', afterChunks: 30 });
    expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
    await estimated();
    // The editor scrolls meanwhile (the prompt follows its line): the same prompt, so it starts.
    const confirming = confirmPartial();
    anchorTop = 120;
    repositionPartialPrompt();
    await confirming;
    const p = partialStore.get().prompt!;
    expect(p.top).toBe(120);
    expect(p.phase).toBe('running');
    expect(p.jobId).toBeTruthy();
    await stopPartial();
    await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('canceled'));
    anchorTop = 0;
  });

  it('follows the Drafter switched to offline while it is open, instead of waiting for an estimate', async () => {
    const withModel = draftStore.get().choice;
    expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
    expect(partialStore.get().prompt?.useModel).toBe(true);
    try {
      draftStore.set((s) => ({ choice: { ...s.choice, providerId: 'offline' } }));
      const p = partialStore.get().prompt!;
      expect(p.useModel).toBe(false);
      expect(estimatePending(p)).toBe(false);
      expect(partialProblem(p)).toBeNull();
      await confirmPartial();
      await waitFor(() => expect(partialStore.get().prompt?.phase).toBe('done'));
      expect(partialStore.get().prompt?.usage).toBeUndefined(); // the offline drafter costs nothing
    } finally {
      draftStore.set({ choice: withModel });
    }
  });

  it('after an estimate that failed, a new instruction waits for its own estimate again', async () => {
    expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
    await estimated();
    // The line goes away under the prompt: estimating it fails, and says why.
    studio.set((s) => ({ episode: { ...s.episode, lines: s.episode.lines.filter((l) => l.id !== 'l3') } }));
    setPartialInstruction('more sceptical');
    await waitFor(() => expect(partialStore.get().prompt?.estimateError).toBeTruthy());
    expect(estimatePending(partialStore.get().prompt!)).toBe(false);
    setPartialInstruction('end on a question');
    expect(estimatePending(partialStore.get().prompt!)).toBe(true);
    await waitFor(() => expect(estimatePending(partialStore.get().prompt!)).toBe(false));
    expect(partialStore.get().prompt?.estimateError).toBeTruthy();
  });
});
