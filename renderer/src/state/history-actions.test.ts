// @vitest-environment jsdom
// The history's runner: what a voice step that is still being awaited does when the producer
// types, or opens another project, before it settles.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  historyStore,
  noteTextChange,
  recordVoiceAction,
  redoLabel,
  resetHistory,
  undo,
  undoLabel,
} from './history-actions';
import { initialState, studio } from './studio-state';

/** A voice action whose undo waits until the test lets it finish. */
function slowAction(name: string) {
  let release: () => void = () => undefined;
  const applied: string[] = [];
  return {
    applied,
    release: () => release(),
    action: {
      describe: () => name,
      async undo(guard: () => void) {
        await new Promise<void>((r) => (release = r));
        guard();
        applied.push('undo');
      },
      async redo(guard: () => void) {
        guard();
        applied.push('redo');
      },
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  studio.set(initialState());
  resetHistory();
});

describe('undo of a voice step', () => {
  it('a script edit typed while the undo is awaited drops the redo step', async () => {
    const slow = slowAction('pin take #1');
    recordVoiceAction(slow.action);
    const done = undo();
    await tick();
    noteTextChange('edit'); // typing while the take is coming back
    slow.release();
    await done;
    expect(slow.applied).toEqual(['undo']);
    expect(redoLabel(historyStore.get())).toBeNull();
    expect(historyStore.get().history.undone).toEqual([]);
  });

  it('without an edit meanwhile, the undone step can be redone', async () => {
    const slow = slowAction('pin take #1');
    recordVoiceAction(slow.action);
    const done = undo();
    await tick();
    slow.release();
    await done;
    expect(redoLabel(historyStore.get())).toBe('pin take #1');
  });

  it('changes nothing when another project opened while it was awaited, and says so', async () => {
    studio.set({ projectId: 'p1' });
    const slow = slowAction('delete take #2');
    recordVoiceAction(slow.action);
    expect(undoLabel(historyStore.get())).toBe('delete take #2');
    const done = undo();
    await tick();
    // Another project opens: a fresh document in the editor.
    studio.set((s) => ({
      projectId: 'p2',
      scriptRevision: s.scriptRevision + 1,
      scriptRevisionKind: 'reset',
    }));
    slow.release();
    await done;
    expect(slow.applied).toEqual([]);
    expect(undoLabel(historyStore.get())).toBeNull();
    expect(redoLabel(historyStore.get())).toBeNull();
    expect(studio.get().banner?.message).toMatch(
      /^Stopped undoing “delete take #2”: another project was opened meanwhile/,
    );
  });
});
