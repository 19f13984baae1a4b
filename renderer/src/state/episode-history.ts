/**
 * The episode's one undo history, as a pure value: script edits and voice actions (regenerate,
 * pin, delete a take) in the order the producer made them, behind one Ctrl+Z / Ctrl+Shift+Z.
 *
 * Script edits stay on Monaco's own undo stack (it groups typing, keeps cursors, and redrafts
 * already land there). Rather than guessing how Monaco groups keystrokes, each voice action is
 * anchored at a point of that stack: Monaco's alternative version id when the action was recorded
 * (the caller closes Monaco's open undo group first, so the point is a group boundary). Undo then
 * asks one question: is the text exactly at the newest voice action's anchor? If so that action
 * is next; otherwise the next step is Monaco's. Alternative version ids are unique per point and
 * come back on undo/redo, so this stays consistent with whatever Monaco grouped.
 */

/** Where Monaco's text undo stack stands. */
export interface TextStackView {
  /** `model.getAlternativeVersionId()`: the same number whenever the text is at the same point. */
  version: number;
  canUndo: boolean;
  canRedo: boolean;
}

/** A voice action on the history, anchored at the text point where it happened. */
export interface VoiceEntry<A> {
  readonly at: number;
  readonly action: A;
}

export interface EpisodeHistory<A> {
  /** Voice actions that can be undone, oldest first. */
  readonly done: readonly VoiceEntry<A>[];
  /** Voice actions undone and not yet redone; the last one is redone first. */
  readonly undone: readonly VoiceEntry<A>[];
  /**
   * Monaco keeps text redo steps a newer voice action made obsolete (its redo list is cleared
   * only by a text edit). At this text point they must not be redone.
   */
  readonly deadTextFutureAt: number | null;
}

/** What one undo or redo does: a Monaco text step, or a voice entry's inverse. */
export type HistoryStep<A> = { kind: 'text' } | { kind: 'voice'; entry: VoiceEntry<A> };

/** How many voice actions are kept (the oldest fall off). */
export const MAX_VOICE_ENTRIES = 200;

export function emptyHistory<A>(): EpisodeHistory<A> {
  return { done: [], undone: [], deadTextFutureAt: null };
}

/**
 * Records a voice action done now. Clears the redo branch: undone voice actions are dropped, and
 * Monaco's text redo steps from here on are marked dead. Close Monaco's open undo group
 * (`model.pushStackElement()`) before reading `text`, so later typing starts a new group.
 */
export function recordVoice<A>(h: EpisodeHistory<A>, action: A, text: TextStackView): EpisodeHistory<A> {
  const done = [...h.done, { at: text.version, action }].slice(-MAX_VOICE_ENTRIES);
  return { done, undone: [], deadTextFutureAt: text.canRedo ? text.version : null };
}

/** A new script edit (not an undo or redo): Monaco dropped its redo list, so the branch is gone. */
export function recordTextEdit<A>(h: EpisodeHistory<A>): EpisodeHistory<A> {
  if (h.undone.length === 0 && h.deadTextFutureAt === null) return h;
  return { done: h.done, undone: [], deadTextFutureAt: null };
}

/** What Ctrl+Z would do now, or null when there is nothing to undo. */
export function nextUndo<A>(h: EpisodeHistory<A>, text: TextStackView): HistoryStep<A> | null {
  const top = h.done.at(-1);
  if (top && top.at === text.version) return { kind: 'voice', entry: top };
  if (text.canUndo) return { kind: 'text' };
  // Monaco's stack was cut short (it cannot go back to the anchor): the action is still undoable.
  return top ? { kind: 'voice', entry: top } : null;
}

/** What Ctrl+Shift+Z / Ctrl+Y would do now, or null when there is nothing to redo. */
export function nextRedo<A>(h: EpisodeHistory<A>, text: TextStackView): HistoryStep<A> | null {
  const top = h.undone.at(-1);
  if (top && top.at === text.version) return { kind: 'voice', entry: top };
  if (text.canRedo && h.deadTextFutureAt !== text.version) return { kind: 'text' };
  return top ? { kind: 'voice', entry: top } : null;
}

/** The history after `step` was undone (text steps live on Monaco's stack: nothing moves here). */
export function afterUndo<A>(h: EpisodeHistory<A>, step: HistoryStep<A>): EpisodeHistory<A> {
  if (step.kind === 'text' || h.done.at(-1) !== step.entry) return h;
  return { ...h, done: h.done.slice(0, -1), undone: [...h.undone, step.entry] };
}

/** The history after `step` was redone. */
export function afterRedo<A>(h: EpisodeHistory<A>, step: HistoryStep<A>): EpisodeHistory<A> {
  if (step.kind === 'text' || h.undone.at(-1) !== step.entry) return h;
  return { ...h, done: [...h.done, step.entry], undone: h.undone.slice(0, -1) };
}

/** Takes an entry off both lists (its inverse failed: it must not block the steps behind it). */
export function dropEntry<A>(h: EpisodeHistory<A>, entry: VoiceEntry<A>): EpisodeHistory<A> {
  return {
    ...h,
    done: h.done.filter((e) => e !== entry),
    undone: h.undone.filter((e) => e !== entry),
  };
}
