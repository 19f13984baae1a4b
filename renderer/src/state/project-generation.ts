/**
 * Which open episode work belongs to. Line ids are only unique inside one project (every project
 * has l1…lN), so anything that waits — a streamed redraft, an awaited undo step — records the
 * generation it started in and checks it before touching the episode again. The generation
 * bumps whenever another episode takes the editor: a project opened, or a new one started.
 */
import { studio } from './studio-state';

let generation = 0;

/** The generation of the open episode now. */
export function projectGeneration(): number {
  return generation;
}

/** Thrown by a {@link ProjectGuard} when another episode replaced the one the work started in. */
export class ProjectChangedError extends Error {
  constructor() {
    super('Another project was opened meanwhile.');
    this.name = 'ProjectChangedError';
  }
}

/** Throws {@link ProjectChangedError} once the episode it was made for is no longer open. */
export type ProjectGuard = () => void;

/** A guard for the episode open now (call it after every await, before changing the episode). */
export function guardProject(): ProjectGuard {
  const at = generation;
  return () => {
    if (generation !== at) throw new ProjectChangedError();
  };
}

const listeners = new Set<() => void>();

/** Calls `fn` after each bump (before other work sees the new episode); returns the unsubscribe. */
export function onProjectReset(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

studio.subscribe((s, prev) => {
  const fresh = s.episodeOpened !== prev.episodeOpened;
  // The first save gives an open episode its folder (null → id): the same episode, no bump.
  const swapped = s.projectId !== prev.projectId && prev.projectId !== null;
  if (!fresh && !swapped) return;
  generation++;
  for (const fn of [...listeners]) fn();
});
