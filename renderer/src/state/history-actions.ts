/**
 * One Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) for the open episode: script edits on Monaco's undo
 * stack and voice actions (regenerate, pin, delete a take) in the order they were made. The
 * ordering rules are the pure {@link EpisodeHistory}; this module keeps it in a store, lets the
 * script editor plug in Monaco's stack ({@link installTextStack}) and runs the steps one at a
 * time. Undoing or redoing a voice action never voices anything: it moves the line's current
 * clip and pin between takes that exist, and a deleted take comes back from the project's trash.
 */
import { errorMessage, getStudio } from '../transport/studio-client';
import {
  afterRedo,
  afterUndo,
  dropEntry,
  emptyHistory,
  nextRedo,
  nextUndo,
  recordTextEdit,
  recordVoice,
  type EpisodeHistory,
  type HistoryStep,
  type TextStackView,
} from './episode-history';
import { withLineVoiceStates, type LineVoiceState } from './line-voice-state';
import { guardProject, ProjectChangedError, type ProjectGuard } from './project-generation';
import { saveNow } from './project-actions';
import { createStore, useStore } from './store';
import { showError, studio } from './studio-state';
import { refreshTimeline } from './timeline-actions';

/** A voice action the producer can take back and do again. */
export interface VoiceAction {
  /** What it did, e.g. "pin take #2 on line 12"; `lineNumber` is a line's number in the editor. */
  describe(lineNumber: (lineId: string) => number | null): string;
  /**
   * Puts things back as before the action; throws (in the producer's words) when it cannot.
   * Call `guard` after every await, before changing the episode: it throws when another project
   * was opened meanwhile (line ids repeat across projects, so the change would land in the wrong one).
   */
  undo(guard: ProjectGuard): Promise<void>;
  redo(guard: ProjectGuard): Promise<void>;
}

/** The script editor's side of the history: Monaco's own undo stack. */
export interface TextStack {
  view(): TextStackView;
  undo(): void | Promise<void>;
  redo(): void | Promise<void>;
  /** Closes Monaco's open undo group, so a voice action sits between two groups. */
  close(): void;
  /** A script line's number in the editor, or null when it is not shown. */
  lineNumber(lineId: string): number | null;
}

export interface HistoryState {
  history: EpisodeHistory<VoiceAction>;
  /** Monaco's stack as last seen (for the Undo/Redo labels). */
  text: TextStackView;
  /** A voice step is being undone or redone. */
  busy: boolean;
}

const NO_TEXT: TextStackView = { version: 0, canUndo: false, canRedo: false };

export const historyStore = createStore<HistoryState>({
  history: emptyHistory(),
  text: NO_TEXT,
  busy: false,
});

export function useHistory<S>(selector: (s: HistoryState) => S): S {
  return useStore(historyStore, selector);
}

let textStack: TextStack | null = null;

function textView(): TextStackView {
  return textStack?.view() ?? NO_TEXT;
}

/** Lets the script editor provide Monaco's undo stack; returns the uninstaller. */
export function installTextStack(stack: TextStack): () => void {
  textStack = stack;
  historyStore.set({ text: stack.view() });
  return () => {
    if (textStack === stack) {
      textStack = null;
      historyStore.set({ text: NO_TEXT });
    }
  };
}

/**
 * The editor's text changed: a new edit (clears the redo branch), Monaco's own undo/redo, or a
 * reset (a project opened or created: the history ends, and with it the project's trash).
 */
export function noteTextChange(kind: 'edit' | 'undo' | 'redo' | 'reset'): void {
  if (kind === 'reset') {
    resetHistory();
    purgeTrash(studio.get().projectId);
    return;
  }
  historyStore.set((s) => ({
    history: kind === 'edit' ? recordTextEdit(s.history) : s.history,
    text: textView(),
  }));
}

/** Puts a voice action on the history, after every script edit made so far. */
export function recordVoiceAction(action: VoiceAction): void {
  textStack?.close();
  const text = textView();
  historyStore.set((s) => ({ history: recordVoice(s.history, action, text), text }));
}

/** Forgets every step (the open episode was replaced). */
export function resetHistory(): void {
  historyStore.set({ history: emptyHistory(), text: textView(), busy: false });
}

let chain: Promise<void> = Promise.resolve();

/** Runs steps one after another; a step that throws does not stop the ones queued after it. */
function enqueue(direction: 'undo' | 'redo'): Promise<void> {
  const next = chain.then(() => runStep(direction));
  chain = next.catch(() => undefined);
  return next;
}

/** Undoes the newest step, script edit or voice action (presses queue up in order). */
export function undo(): Promise<void> {
  return enqueue('undo');
}

/** Redoes the step undone last. */
export function redo(): Promise<void> {
  return enqueue('redo');
}

async function runStep(direction: 'undo' | 'redo'): Promise<void> {
  const { history } = historyStore.get();
  const step = direction === 'undo' ? nextUndo(history, textView()) : nextRedo(history, textView());
  if (!step) return;
  if (step.kind === 'text') {
    await (direction === 'undo' ? textStack?.undo() : textStack?.redo());
    historyStore.set({ text: textView() });
    return;
  }
  const action = step.entry.action;
  const guard = guardProject();
  // The entry moves before the inverse is awaited: an edit typed meanwhile then finds it already
  // undone (or redone) and drops it from the redo branch, as any new edit does.
  historyStore.set((s) => ({
    busy: true,
    history: direction === 'undo' ? afterUndo(s.history, step) : afterRedo(s.history, step),
  }));
  try {
    await (direction === 'undo' ? action.undo(guard) : action.redo(guard));
    guard();
  } catch (err) {
    if (err instanceof ProjectChangedError) {
      // The history was reset with the project: nothing to drop, and nothing landed in the new one.
      showError(
        `Stopped ${direction === 'undo' ? 'undoing' : 'redoing'} “${action.describe(() => null)}”: another project was opened meanwhile, so nothing was changed in it.`,
      );
      return;
    }
    // A step that cannot be taken must not block the ones behind it.
    historyStore.set((s) => ({ history: dropEntry(s.history, step.entry) }));
    showError(
      `Could not ${direction} “${action.describe(lineNumber)}”: ${errorMessage(err).replace(/\.?$/, '.')} It was taken off the undo list.`,
    );
  } finally {
    historyStore.set({ busy: false, text: textView() });
  }
}

function lineNumber(lineId: string): number | null {
  return textStack?.lineNumber(lineId) ?? null;
}

function describeStep(step: HistoryStep<VoiceAction> | null): string | null {
  if (!step) return null;
  return step.kind === 'text' ? 'script edit' : step.entry.action.describe(lineNumber);
}

/** What Undo would undo now ("pin take #2 on line 12", "script edit"), or null. */
export function undoLabel(s: HistoryState): string | null {
  return describeStep(nextUndo(s.history, s.text));
}

/** What Redo would redo now, or null. */
export function redoLabel(s: HistoryState): string | null {
  return describeStep(nextRedo(s.history, s.text));
}

/** "… on line 12" when the line is in the editor. */
export function onLine(what: string, lineId: string, number: (lineId: string) => number | null): string {
  const n = number(lineId);
  return n ? `${what} on line ${n}` : what;
}

/**
 * A voice action whose inverse is putting lines' voice states back (regenerate, pin): undo
 * restores `before`, redo restores `after`, and neither asks the back end for audio.
 */
export function voiceStateAction(
  describe: VoiceAction['describe'],
  before: ReadonlyMap<string, LineVoiceState>,
  after: ReadonlyMap<string, LineVoiceState>,
): VoiceAction {
  return {
    describe,
    undo: (guard) => restoreVoiceStates(before, guard),
    redo: (guard) => restoreVoiceStates(after, guard),
  };
}

/**
 * Puts lines' voice states back, then saves and redraws the timeline from the clips it has
 * (`guard`: when the episode this was recorded in is no longer open, it throws instead).
 */
export async function restoreVoiceStates(
  states: ReadonlyMap<string, LineVoiceState>,
  guard: ProjectGuard,
): Promise<void> {
  guard();
  studio.set((s) => ({ ...withLineVoiceStates(s, states), dirty: true }));
  await saveNow();
  await refreshTimeline();
}

/** Deleted takes wait in the project's trash only while an undo could bring them back. */
function purgeTrash(projectId: string | null): void {
  if (!projectId) return;
  getStudio()
    .takeTrashPurge({ projectId })
    .catch(() => {
      // A trash left behind costs disk space only; the next open of the project empties it.
    });
}

// Another project replaces this one: its history, and its trash, end here.
studio.subscribe((s, prev) => {
  if (s.projectId === prev.projectId || prev.projectId === null) return;
  resetHistory();
  purgeTrash(prev.projectId);
});
