/**
 * Every user action is a registered command (name, label, perform), so buttons, shortcuts and the
 * editor's menus run the same code.
 */
import { saveNow, newProject } from './state/project-actions';
import { startDraft, startExport, voiceLines } from './state/job-actions';
import { loadSample } from './state/article-actions';
import { setUi } from './state/studio-state';

export interface Command<A extends unknown[] = []> {
  name: string;
  label: string;
  /** Human-readable shortcut, for tooltips. */
  shortcut?: string;
  perform(...args: A): void | Promise<void>;
}

function command<A extends unknown[] = []>(c: Command<A>): Command<A> {
  return c;
}

/** Play/pause is implemented by whoever owns the player (the timeline) and installed here. */
let playPauseImpl: (() => void) | null = null;

/** Lets the timeline provide play/pause; returns the uninstaller. */
export function installPlayPause(fn: () => void): () => void {
  playPauseImpl = fn;
  return () => {
    if (playPauseImpl === fn) playPauseImpl = null;
  };
}

export const commands = {
  newProject: command({ name: 'newProject', label: 'New', perform: () => newProject() }),
  openProject: command({ name: 'openProject', label: 'Open…', perform: () => setUi({ openDialog: true }) }),
  save: command({ name: 'save', label: 'Save', shortcut: 'Ctrl+S', perform: () => saveNow() }),
  trySample: command({ name: 'trySample', label: 'Try the sample', perform: () => loadSample() }),
  draft: command({ name: 'draft', label: 'Draft script', perform: () => startDraft() }),
  voiceAll: command({ name: 'voiceAll', label: 'Voice all', perform: () => voiceLines() }),
  regenerateLine: command<[lineId: string]>({
    name: 'regenerateLine',
    label: 'Regenerate line',
    shortcut: 'Ctrl+Enter',
    perform: (lineId) => voiceLines([lineId]),
  }),
  exportEpisode: command({ name: 'exportEpisode', label: 'Export', perform: () => startExport() }),
  playPause: command({ name: 'playPause', label: 'Play/Pause', shortcut: 'Space', perform: () => playPauseImpl?.() }),
} as const;
