/**
 * Every user action is a registered command (name, label, keybinding, perform), so buttons,
 * shortcuts, the editor's menus and its command palette (F1) run the same code. Commands that
 * work on "the line under the cursor" reach the editor through {@link installEditorActions}; the
 * player's commands reach the timeline through {@link installPlayPause} / {@link installPlayLine}.
 */
import { saveNow, newProject } from './state/project-actions';
import { startExport, voiceLines } from './state/job-actions';
import { startDraft } from './state/draft-actions';
import { openPartialPrompt } from './state/partial-actions';
import { loadSample } from './state/article-actions';
import { voiceAll } from './state/voice-actions';
import { redo, undo } from './state/history-actions';
import { setUi, showError, studio } from './state/studio-state';
import { events, type MenuCommand } from '@shared/contract';

/**
 * A key chord. `key` is a Monaco `KeyCode` name (`Enter`, `F8`, `KeyS` …); `ctrlCmd` is Ctrl on
 * Windows/Linux and Cmd on macOS.
 */
export interface Keybinding {
  key: string;
  ctrlCmd?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export interface Command<A extends unknown[] = []> {
  name: string;
  label: string;
  /** The command's shortcut; the editor binds it, tooltips show it (see {@link shortcutLabel}). */
  keybinding?: Keybinding;
  /** Further shortcuts the editor binds (Ctrl+Y besides Ctrl+Shift+Z). */
  moreKeybindings?: Keybinding[];
  /** When the editor's keybinding applies (a Monaco context expression); default: editor focus. */
  editorWhen?: string;
  /** Shown in the editor's command palette (F1) and bound there. */
  inEditor?: boolean;
  /** Shown in the editor's context menu, in this order. */
  contextMenuOrder?: number;
  perform(...args: A): void | Promise<void>;
}

function command<A extends unknown[] = []>(c: Command<A>): Command<A> {
  return c;
}

/** "Ctrl+Shift+Enter" (or "⌘⇧Enter" style on macOS is left to Monaco's own labels). */
export function shortcutLabel(kb: Keybinding | undefined): string {
  if (!kb) return '';
  const key = kb.key.replace(/^Key(?=[A-Z]$)/, '').replace(/^Digit/, '');
  return [kb.ctrlCmd && 'Ctrl', kb.alt && 'Alt', kb.shift && 'Shift', key].filter(Boolean).join('+');
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

/** Seeks to a line's region and plays from there; false when the line has no region yet. */
let playLineImpl: ((lineId: string) => boolean) | null = null;

/** Lets the timeline provide "play this line"; returns the uninstaller. */
export function installPlayLine(fn: (lineId: string) => boolean): () => void {
  playLineImpl = fn;
  return () => {
    if (playLineImpl === fn) playLineImpl = null;
  };
}

/** What the script editor does for the cursor-based commands. */
export interface EditorActions {
  /** Id of the speech line under the cursor, or null. */
  currentSpeechLineId(): string | null;
  splitLineAtCursor(): void;
  mergeWithNext(): void;
  changeSpeaker(): void;
  nextProblem(): void;
  previousProblem(): void;
}

let editorActions: EditorActions | null = null;

/** Lets the script editor provide the cursor-based commands; returns the uninstaller. */
export function installEditorActions(actions: EditorActions): () => void {
  editorActions = actions;
  return () => {
    if (editorActions === actions) editorActions = null;
  };
}

function lineOrCursor(lineId: string | undefined, what: string): string | null {
  const id = lineId ?? editorActions?.currentSpeechLineId() ?? null;
  if (!id) showError(`Put the cursor on a speech line (“Name: words”) to ${what} it.`);
  return id;
}

export const commands = {
  newProject: command({ name: 'newProject', label: 'New', perform: () => newProject() }),
  openProject: command({ name: 'openProject', label: 'Open…', perform: () => setUi({ openDialog: true }) }),
  save: command({
    name: 'save',
    label: 'Save project',
    keybinding: { key: 'KeyS', ctrlCmd: true },
    inEditor: true,
    perform: () => saveNow(),
  }),
  trySample: command({ name: 'trySample', label: 'Try the sample', perform: () => loadSample() }),
  draft: command({ name: 'draft', label: 'Draft script', perform: () => startDraft() }),
  voiceAll: command({
    name: 'voiceAll',
    label: 'Voice all lines',
    keybinding: { key: 'Enter', ctrlCmd: true, alt: true },
    inEditor: true,
    contextMenuOrder: 3,
    // Estimates first: a run that costs money (or breaks the budget cap) asks before it starts.
    perform: () => voiceAll(),
  }),
  regenerateLine: command<[lineId?: string]>({
    name: 'regenerateLine',
    label: 'Regenerate line',
    keybinding: { key: 'Enter', ctrlCmd: true },
    inEditor: true,
    contextMenuOrder: 1,
    perform: (lineId) => {
      const id = lineOrCursor(lineId, 'regenerate');
      return id ? voiceLines([id]) : undefined;
    },
  }),
  playLine: command<[lineId?: string]>({
    name: 'playLine',
    label: 'Play line (and on from there)',
    keybinding: { key: 'Enter', ctrlCmd: true, shift: true },
    inEditor: true,
    contextMenuOrder: 2,
    perform: (lineId) => {
      const id = lineOrCursor(lineId, 'play');
      if (!id) return;
      if (!playLineImpl?.(id)) {
        const voiced = Boolean(studio.get().episode.clips[id]);
        showError(
          voiced
            ? 'The timeline is still loading; try again in a moment.'
            : 'This line is not voiced yet: regenerate it (Ctrl+Enter) first.',
        );
      }
    },
  }),
  nextProblem: command({
    name: 'nextProblem',
    label: 'Go to next line with a problem',
    keybinding: { key: 'F8' },
    inEditor: true,
    perform: () => editorActions?.nextProblem(),
  }),
  previousProblem: command({
    name: 'previousProblem',
    label: 'Go to previous line with a problem',
    keybinding: { key: 'F8', shift: true },
    inEditor: true,
    perform: () => editorActions?.previousProblem(),
  }),
  splitLine: command({
    name: 'splitLine',
    label: 'Split line at cursor',
    keybinding: { key: 'KeyS', alt: true },
    inEditor: true,
    contextMenuOrder: 4,
    perform: () => editorActions?.splitLineAtCursor(),
  }),
  mergeWithNext: command({
    name: 'mergeWithNext',
    label: 'Merge line with next',
    keybinding: { key: 'KeyM', alt: true },
    inEditor: true,
    contextMenuOrder: 5,
    perform: () => editorActions?.mergeWithNext(),
  }),
  changeSpeaker: command({
    name: 'changeSpeaker',
    label: 'Change speaker (next host)',
    keybinding: { key: 'KeyP', alt: true },
    inEditor: true,
    contextMenuOrder: 6,
    perform: () => editorActions?.changeSpeaker(),
  }),
  rewriteLine: command<[lineId?: string]>({
    name: 'rewriteLine',
    label: 'Rewrite line with an instruction…',
    keybinding: { key: 'KeyR', alt: true },
    inEditor: true,
    contextMenuOrder: 7,
    // Opens a prompt at the line: the instruction, the estimated cost, then the model's rewrite.
    perform: (lineId) => {
      const problem = openPartialPrompt('rewrite-line', lineId);
      if (problem) showError(problem);
    },
  }),
  redraftFrom: command<[lineId?: string]>({
    name: 'redraftFrom',
    label: 'Redraft from here…',
    keybinding: { key: 'KeyR', alt: true, shift: true },
    inEditor: true,
    contextMenuOrder: 8,
    perform: (lineId) => {
      const problem = openPartialPrompt('redraft-from', lineId);
      if (problem) showError(problem);
    },
  }),
  exportEpisode: command({ name: 'exportEpisode', label: 'Export', perform: () => startExport() }),
  undo: command({
    name: 'undo',
    label: 'Undo (script edits and voice actions)',
    // The find box keeps its own undo.
    editorWhen: 'editorTextFocus',
    keybinding: { key: 'KeyZ', ctrlCmd: true },
    inEditor: true,
    perform: () => undo(),
  }),
  redo: command({
    name: 'redo',
    label: 'Redo (script edits and voice actions)',
    // The find box keeps its own undo.
    editorWhen: 'editorTextFocus',
    keybinding: { key: 'KeyZ', ctrlCmd: true, shift: true },
    moreKeybindings: [{ key: 'KeyY', ctrlCmd: true }],
    inEditor: true,
    perform: () => redo(),
  }),
  playPause: command({
    name: 'playPause',
    label: 'Play/Pause',
    keybinding: { key: 'Space' },
    perform: () => playPauseImpl?.(),
  }),
} as const;

/**
 * Runs the command an application-menu item names (the `menuCommand` event; Electron only). The
 * payload is checked against the contract again: only the commands it lists can run.
 */
export function runMenuCommand(payload: unknown): void {
  const parsed = events.menuCommand.safeParse(payload);
  if (parsed.success) void menuCommands[parsed.data.command].perform();
}

// Every command the menu may name exists in the registry (a compile-time check).
const menuCommands: Record<MenuCommand, Command> = commands;
