// @vitest-environment jsdom
// "Redraft from here" as the renderer runs it: a failed redraft puts the producer's lines back, a
// project opened meanwhile stops the job and gets none of its lines, and late lines of an ended
// job are not kept. The back end is the preload's API shape (window.studio) answering the three
// calls the redraft makes; the editor is a list of lines the RegionWriter rewrites.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioApi } from '@shared/contract';
import type { ScriptLine } from '@shared/model/episode';
import { draftStore, OFFLINE } from './draft-actions';
import {
  confirmPartial,
  handlePartialLines,
  installPartialEditor,
  openPartialPrompt,
  partialStore,
} from './partial-actions';
import { initialState, studio } from './studio-state';

const line = (id: string, speaker: string, text: string): ScriptLine => ({
  kind: 'speech',
  id,
  speaker,
  text,
});
const script: ScriptLine[] = [
  line('l1', 'Maya', 'Hello and welcome.'),
  line('l2', 'Theo', 'Today: geese.'),
  line('l3', 'Maya', 'Geese fly south in autumn.'),
  line('l4', 'Theo', 'They come back in spring.'),
];
const streamed = [line('n1', 'Maya', 'A streamed line the model later spoiled.')];

/** The editor's script, which region writes replace between their anchors. */
let shown: ScriptLine[] = [];
const writes: ScriptLine[][] = [];
const calls: { name: string; req: unknown }[] = [];
let nextJob = 'j1';

const backEnd = {
  draftRedraftFrom: async (req: unknown) => {
    calls.push({ name: 'draftRedraftFrom', req });
    return { jobId: nextJob };
  },
  jobCancel: async (req: unknown) => {
    calls.push({ name: 'jobCancel', req });
    return {};
  },
  // Opening another project empties the old one's take trash.
  takeTrashPurge: async () => ({ removed: 0 }),
  on: () => () => undefined,
} as unknown as StudioApi;

let uninstall: () => void = () => undefined;

beforeEach(() => {
  window.studio = backEnd;
  calls.length = 0;
  writes.length = 0;
  nextJob = 'j1';
  shown = [...script];
  const article = { title: 'Geese', text: 'Geese fly south in autumn. They come back in spring.' };
  studio.set({
    ...initialState(),
    projectId: 'p1',
    episode: { ...initialState().episode, lines: script, article },
    article,
    articleText: article.text,
  });
  draftStore.set((s) => ({ choice: { ...s.choice, providerId: OFFLINE } }));
  partialStore.set({ prompt: null });
  uninstall = installPartialEditor({
    cursorLineId: () => 'l3',
    anchorBelow: () => 0,
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

function finish(jobId: string, status: 'failed' | 'canceled', message = 'It failed.'): void {
  studio.set((s) => ({
    jobs: {
      ...s.jobs,
      [jobId]: {
        jobId,
        kind: 'draft',
        status,
        percent: 100,
        message: '',
        ...(status === 'failed' ? { error: { code: 'provider', message } } : {}),
      },
    },
  }));
}

async function startRedraft(): Promise<void> {
  expect(openPartialPrompt('redraft-from', 'l3')).toBeNull();
  await confirmPartial();
  expect(partialStore.get().prompt?.phase).toBe('running');
}

describe('redraft from here', () => {
  it('puts the original lines back when the reply is rejected after lines streamed in, and says so', async () => {
    await startRedraft();
    handlePartialLines({ jobId: 'j1', lines: streamed });
    expect(shown.map((l) => l.id)).toEqual(['l1', 'l2', 'n1']);
    finish('j1', 'failed', 'test-model did not return usable lines. The lines above are unchanged.');
    expect(shown).toEqual(script);
    const p = partialStore.get().prompt;
    expect(p?.phase).toBe('failed');
    expect(p?.error).toMatch(/The lines from here on were put back as they were\.$/);
  });

  it('keeps the lines that arrived when the producer stops it', async () => {
    await startRedraft();
    handlePartialLines({ jobId: 'j1', lines: streamed });
    finish('j1', 'canceled');
    expect(shown.map((l) => l.id)).toEqual(['l1', 'l2', 'n1']);
    expect(partialStore.get().prompt).toMatchObject({ phase: 'canceled', error: null, arrived: 1 });
  });

  it('stops the job when another project opens, and writes none of its lines into that one', async () => {
    await startRedraft();
    // Another project: the same ids l1…l4, other words.
    const other = script.map((l) => ({ ...l, text: `Other ${l.id}.` }));
    shown = [...other];
    studio.set((s) => ({
      projectId: 'p2',
      episode: { ...s.episode, lines: other },
      scriptRevision: s.scriptRevision + 1,
      scriptRevisionKind: 'reset',
    }));
    expect(calls.filter((c) => c.name === 'jobCancel').map((c) => c.req)).toEqual([{ jobId: 'j1' }]);
    expect(partialStore.get().prompt).toBeNull();
    handlePartialLines({ jobId: 'j1', lines: streamed });
    finish('j1', 'failed');
    expect(shown).toEqual(other);
    expect(writes).toEqual([]);
  });

  it('does not keep lines of a job that ended for a later job to pick up', async () => {
    // A late snapshot of a job nobody is waiting for…
    handlePartialLines({ jobId: 'j7', lines: streamed });
    // …is not applied when a later start call happens to return that id.
    nextJob = 'j7';
    await startRedraft();
    expect(writes).toEqual([]);
    expect(shown).toEqual(script);
  });
});
