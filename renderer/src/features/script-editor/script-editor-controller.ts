/**
 * Binds a Monaco editor to the studio store: the editor owns the script text, every edit is
 * re-parsed into `episode.lines` (stable ids), and the store drives markers, voice-status glyphs,
 * the playing-line highlight, CodeLens and reveal requests. Language smarts (diagnostics, quick
 * fixes, completion, hovers) come from pure functions in shared/script; commands come from the
 * one registry in commands.ts. No React here.
 */
import { articleGroundingText, type ScriptLine } from '@shared/model/episode';
import {
  cycleSpeaker,
  mergeLines,
  speakerSuggestions,
  splitLineAt,
  splitOverlongLine,
} from '@shared/script/edits';
import {
  parseScript,
  printScript,
  readEditorLine,
  scriptLineIndexOfEditorLine,
  type ScriptDiagnostic,
  type ScriptDiagnosticCode,
} from '@shared/script/format';
import { TEMPLATE_VARIABLES } from '@shared/script/template';
import { commands, installEditorActions, type Command, type Keybinding } from '../../commands';
import { voiceStatusOf, type VoiceStatus } from '../../state/episode-helpers';
import {
  installPartialEditor,
  repositionPartialPrompt,
  type PartialEditor,
} from '../../state/partial-actions';
import { installTextStack, noteTextChange } from '../../state/history-actions';
import { setLinesFromEditor } from '../../state/project-actions';
import { setUi, showError, studio, type StudioState } from '../../state/studio-state';
import { createDiagnosticsRunner } from './diagnostics-runner';
import { applyPersonas, LANGUAGE_ID, registerGoosepodLanguage, THEME_ID } from './goosepod-language';
import { lineHoverMarkdown, STATUS_LABEL } from './line-hover';
import { monaco } from './monaco-setup';

/** Quiet time after a keystroke before diagnostics run (coalesces bursts of typing). */
const DIAGNOSTICS_DELAY_MS = 25;
const REGENERATE_COMMAND = 'goosepod.lens.regenerateLine';
const PLAY_COMMAND = 'goosepod.lens.playLine';
const MARKER_OWNER = 'goosepod-script';

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

function toMarker(d: ScriptDiagnostic): monaco.editor.IMarkerData {
  return {
    startLineNumber: d.line,
    endLineNumber: d.line,
    startColumn: d.startColumn,
    endColumn: d.endColumn,
    severity: SEVERITY[d.severity],
    message: d.message,
    code: d.code,
    source: d.code === 'grounding' ? 'grounding' : 'script',
  };
}

/** Monaco's key chord for a command's keybinding. */
function monacoKeybinding(kb: Keybinding): number {
  const code = (monaco.KeyCode as unknown as Record<string, number>)[kb.key] ?? monaco.KeyCode.Unknown;
  return (
    (kb.ctrlCmd ? monaco.KeyMod.CtrlCmd : 0) |
    (kb.shift ? monaco.KeyMod.Shift : 0) |
    (kb.alt ? monaco.KeyMod.Alt : 0) |
    code
  );
}

function markerCode(m: monaco.editor.IMarkerData): ScriptDiagnosticCode | undefined {
  return (typeof m.code === 'string' ? m.code : m.code?.value) as ScriptDiagnosticCode | undefined;
}

export interface ScriptEditorController {
  dispose(): void;
}

/** Editor line (0-based) → id of the script line it shows, for the given text and lines. */
function lineIdsFor(text: string, lines: readonly ScriptLine[]): (string | null)[] {
  return scriptLineIndexOfEditorLine(text).map((i) => (i == null ? null : (lines[i]?.id ?? null)));
}

function personaKey(s: StudioState): string {
  return s.episode.personas.map((p) => `${p.name}\u0000${p.color}`).join('\u0001');
}

export function createScriptEditorController(host: HTMLElement): ScriptEditorController {
  registerGoosepodLanguage();
  const initial = studio.get();
  applyPersonas(initial.episode.personas);

  const model = monaco.editor.createModel(printScript(initial.episode.lines), LANGUAGE_ID);
  const editor = monaco.editor.create(host, {
    model,
    theme: THEME_ID,
    automaticLayout: true,
    glyphMargin: true,
    lineNumbers: 'on',
    lineNumbersMinChars: 3,
    lineDecorationsWidth: 6,
    folding: false,
    wordWrap: 'on',
    wrappingIndent: 'indent',
    minimap: { enabled: false },
    fontSize: 13,
    lineHeight: 20,
    fontFamily: "'JetBrains Mono', 'Cascadia Code', 'Fira Code', Menlo, Consolas, monospace",
    scrollBeyondLastLine: false,
    renderWhitespace: 'none',
    codeLens: true,
    codeLensFontSize: 11,
    fixedOverflowWidgets: true,
    // Host names are offered as you start a line; the provider answers nothing elsewhere.
    quickSuggestions: { other: 'on', comments: 'off', strings: 'off' },
    wordBasedSuggestions: 'off',
    suggestOnTriggerCharacters: true,
    unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
    padding: { top: 6, bottom: 6 },
    ariaLabel: 'Script editor',
    stickyScroll: { enabled: false },
  });

  const disposables: monaco.IDisposable[] = [editor, model];
  let applying = false;
  let lineIds = lineIdsFor(model.getValue(), initial.episode.lines);
  const statusDecorations = editor.createDecorationsCollection();
  const playingDecoration = editor.createDecorationsCollection();
  const codeLensChanged = new monaco.Emitter<monaco.languages.CodeLensProvider>();
  disposables.push(codeLensChanged);

  const personaNames = () => studio.get().episode.personas.map((p) => p.name);

  // ---- text ⇄ lines ------------------------------------------------------------------------
  // Monaco's undo stack is the text half of the episode's one history (history-actions).
  disposables.push(
    model.onDidChangeContent((e) =>
      noteTextChange(e.isFlush ? 'reset' : e.isUndoing ? 'undo' : e.isRedoing ? 'redo' : 'edit'),
    ),
    {
      dispose: installTextStack({
        view: () => ({
          version: model.getAlternativeVersionId(),
          canUndo: model.canUndo(),
          canRedo: model.canRedo(),
        }),
        undo: () => model.undo(),
        redo: () => model.redo(),
        close: () => model.pushStackElement(),
        lineNumber: (lineId) => editorLineOf(lineId),
      }),
    },
  );
  disposables.push(
    model.onDidChangeContent(() => {
      if (applying) return;
      const text = model.getValue();
      const lines = parseScript(text, studio.get().episode.lines);
      lineIds = lineIdsFor(text, lines);
      setLinesFromEditor(lines);
      scheduleDiagnostics();
    }),
  );

  function applyExternal(s: StudioState): void {
    const text = printScript(s.episode.lines);
    applying = true;
    try {
      if (s.scriptRevisionKind === 'reset') {
        model.setValue(text);
      } else if (text !== model.getValue()) {
        // An undoable replacement (a redraft or a host rename can be taken back with Ctrl+Z).
        editor.pushUndoStop();
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
        editor.pushUndoStop();
      }
    } finally {
      applying = false;
    }
    lineIds = lineIdsFor(model.getValue(), s.episode.lines);
    updateDecorations();
    scheduleDiagnostics();
  }

  // ---- markers (computed in shared/, in a worker for long scripts) --------------------------
  const runner = createDiagnosticsRunner((diagnostics) => {
    if (model.isDisposed()) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, diagnostics.map(toMarker));
    performance.mark('gp:diagnostics-applied');
  });
  disposables.push({ dispose: () => runner.dispose() });

  let diagnosticsTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleDiagnostics(): void {
    clearTimeout(diagnosticsTimer);
    diagnosticsTimer = setTimeout(runDiagnostics, DIAGNOSTICS_DELAY_MS);
  }
  function runDiagnostics(): void {
    if (model.isDisposed()) return;
    const s = studio.get();
    runner.run(
      {
        text: model.getValue(),
        personaNames: personaNames(),
        articleText: articleGroundingText(s.episode.article),
      },
      model.getLineCount(),
    );
  }

  // ---- decorations -------------------------------------------------------------------------
  let decorationFrame = 0;
  let lensSignature = '';
  /** Status and hover detail of each glyph last set, in order (see statusDecorationsMatch). */
  let statusKeys: string[] = [];
  /** Whether the glyphs in the editor are exactly `rows` (same lines, statuses and details). */
  function statusDecorationsMatch(rows: readonly { line: number }[], keys: readonly string[]): boolean {
    if (keys.length !== statusKeys.length) return false;
    for (let k = 0; k < keys.length; k++) if (keys[k] !== statusKeys[k]) return false;
    const ranges = statusDecorations.getRanges();
    if (ranges.length !== rows.length) return false;
    for (let k = 0; k < rows.length; k++) {
      const r = ranges[k];
      const n = rows[k].line;
      if (r.startLineNumber !== n || r.endLineNumber !== n || r.startColumn !== 1 || r.endColumn !== 1)
        return false;
    }
    return true;
  }
  function updateDecorations(): void {
    if (decorationFrame) return;
    decorationFrame = requestAnimationFrame(() => {
      decorationFrame = 0;
      if (model.isDisposed()) return;
      renderDecorations();
    });
  }
  function renderDecorations(): void {
    const s = studio.get();
    const byId = new Map(s.episode.lines.map((l) => [l.id, l]));
    const rows: { line: number; status: VoiceStatus; detail: string }[] = [];
    const signature: string[] = [];
    lineIds.forEach((id, i) => {
      const line = id ? byId.get(id) : undefined;
      if (!line || line.kind !== 'speech') return;
      const status = voiceStatusOf(line, s);
      const clip = s.episode.clips[line.id];
      signature.push(`${line.id}:${status}:${clip ? 1 : 0}`);
      const detail =
        status === 'failed'
          ? `: ${s.failedLines[line.id]}`
          : clip && status !== 'missing'
            ? ` (${clip.durationSec.toFixed(1)} s)`
            : '';
      rows.push({ line: i + 1, status, detail });
    });
    const keys = rows.map((r) => `${r.status}\u0000${r.detail}`);
    // Typing inside a line leaves every glyph where it was: skip re-setting thousands of them.
    if (!statusDecorationsMatch(rows, keys)) {
      statusDecorations.set(
        rows.map(({ line: n, status, detail }) => ({
          range: new monaco.Range(n, 1, n, 1),
          options: {
            glyphMarginClassName: `gp-voice-glyph gp-voice-${status}`,
            glyphMarginHoverMessage: {
              value: `**${STATUS_LABEL[status]}**${detail}  \nCtrl/Cmd+Enter regenerates this line.`,
            },
            overviewRuler:
              status === 'failed' || status === 'stale'
                ? {
                    color: status === 'failed' ? '#f85149' : '#d29922',
                    position: monaco.editor.OverviewRulerLane.Left,
                  }
                : undefined,
          },
        })),
      );
      statusKeys = keys;
    }
    // CodeLens follows text edits by itself; ask for new lenses only when a line's state changed.
    const joined = signature.join('|');
    if (joined !== lensSignature) {
      lensSignature = joined;
      codeLensChanged.fire(codeLensProvider);
    }
    renderPlaying(s);
    performance.mark('gp:decorations-applied');
  }

  function editorLineOf(lineId: string): number | null {
    const i = lineIds.indexOf(lineId);
    return i < 0 ? null : i + 1;
  }

  function renderPlaying(s: StudioState): void {
    const n = s.ui.playingLineId ? editorLineOf(s.ui.playingLineId) : null;
    if (!n) {
      playingDecoration.clear();
      return;
    }
    playingDecoration.set([
      {
        range: new monaco.Range(n, 1, n, model.getLineMaxColumn(n)),
        options: {
          isWholeLine: true,
          className: 'gp-line-playing',
          linesDecorationsClassName: 'gp-line-playing-bar',
          overviewRuler: { color: '#58a6ff', position: monaco.editor.OverviewRulerLane.Full },
        },
      },
    ]);
    if (s.ui.playing) editor.revealLineInCenterIfOutsideViewport(n, monaco.editor.ScrollType.Smooth);
  }

  function reveal(lineId: string): void {
    const n = editorLineOf(lineId);
    if (!n) return;
    editor.revealLineInCenterIfOutsideViewport(n, monaco.editor.ScrollType.Smooth);
    // Select without focusing, so Space keeps driving the player instead of typing.
    editor.setSelection(new monaco.Selection(n, 1, n, model.getLineMaxColumn(n)));
  }

  // ---- cursor commands (split, merge, change speaker, problems) ------------------------------
  function speechLineAt(editorLine: number) {
    const id = lineIds[editorLine - 1];
    if (!id) return undefined;
    const line = studio.get().episode.lines.find((l) => l.id === id);
    return line?.kind === 'speech' ? line : undefined;
  }

  /** Replaces editor lines [from, to] with `text` as one undoable step. */
  function replaceLines(from: number, to: number, text: string, cursor?: monaco.IPosition): void {
    replaceRange(new monaco.Range(from, 1, to, model.getLineMaxColumn(to)), text, cursor);
  }

  /** Replaces a range with `text` as one undoable step and gives the editor the focus. */
  function replaceRange(range: monaco.IRange, text: string, cursor?: monaco.IPosition): void {
    editor.pushUndoStop();
    editor.executeEdits(
      'goosepod',
      [{ range, text, forceMoveMarkers: true }],
      cursor
        ? [new monaco.Selection(cursor.lineNumber, cursor.column, cursor.lineNumber, cursor.column)]
        : undefined,
    );
    editor.pushUndoStop();
    editor.focus();
  }

  disposables.push({
    dispose: installEditorActions({
      currentSpeechLineId() {
        const pos = editor.getPosition();
        return pos ? (speechLineAt(pos.lineNumber)?.id ?? null) : null;
      },
      splitLineAtCursor() {
        const pos = editor.getPosition();
        if (!pos) return;
        const parts = splitLineAt(model.getLineContent(pos.lineNumber), pos.column - 1);
        if (!parts) {
          showError('Put the cursor inside a line’s words (not at either end) to split it there.');
          return;
        }
        const second = readEditorLine(parts[1]);
        replaceLines(pos.lineNumber, pos.lineNumber, parts.join('\n'), {
          lineNumber: pos.lineNumber + 1,
          column: (second?.textStart ?? 0) + 1,
        });
      },
      mergeWithNext() {
        const pos = editor.getPosition();
        if (!pos) return;
        let next = pos.lineNumber + 1;
        while (next <= model.getLineCount() && model.getLineContent(next).trim() === '') next++;
        const first = model.getLineContent(pos.lineNumber);
        const merged = next <= model.getLineCount() ? mergeLines(first, model.getLineContent(next)) : null;
        if (merged === null) {
          showError('Only two speech lines can be merged: the cursor’s line and the next one.');
          return;
        }
        replaceLines(pos.lineNumber, next, merged, {
          lineNumber: pos.lineNumber,
          column: first.trimEnd().length + 1,
        });
      },
      changeSpeaker() {
        const pos = editor.getPosition();
        if (!pos) return;
        const changed = cycleSpeaker(model.getLineContent(pos.lineNumber), personaNames());
        if (changed === null) {
          showError('Put the cursor on a speech line to give it to another host.');
          return;
        }
        replaceLines(pos.lineNumber, pos.lineNumber, changed, pos);
      },
      nextProblem: () => editor.trigger('goosepod', 'editor.action.marker.next', null),
      previousProblem: () => editor.trigger('goosepod', 'editor.action.marker.prev', null),
    }),
  });

  // ---- rewrite a line / redraft from here: one undoable edit each ------------------------------
  disposables.push(
    { dispose: installPartialEditor(partialEditor()) },
    editor.onDidScrollChange(() => repositionPartialPrompt()),
    editor.onDidLayoutChange(() => repositionPartialPrompt()),
  );

  function partialEditor(): PartialEditor {
    return {
      cursorLineId() {
        const pos = editor.getPosition();
        return pos ? (lineIds[pos.lineNumber - 1] ?? null) : null;
      },
      anchorBelow(lineId) {
        const n = editorLineOf(lineId);
        if (!n) return null;
        const scroll = editor.getScrollTop();
        const below = editor.getTopForLineNumber(n + 1) - scroll;
        // Near the bottom the prompt (about 120 px) goes above the line so the line stays visible.
        if (below + 120 <= editor.getLayoutInfo().height) return Math.max(0, below);
        return Math.max(0, editor.getTopForLineNumber(n) - scroll - 120);
      },
      replaceLineText(lineId, expected, text) {
        const n = editorLineOf(lineId);
        const line = speechLineAt(n ?? 0);
        if (!n || !line || line.text !== expected) return false;
        const raw = model.getLineContent(n);
        const info = readEditorLine(raw);
        if (!info) return false;
        replaceRange(
          new monaco.Range(n, info.textStart + 1, n, raw.length + 1),
          text.replace(/\s*[\r\n]+\s*/g, ' '),
        );
        return true;
      },
      beginRegion(afterLineId, untilLineId) {
        if ((afterLineId && !editorLineOf(afterLineId)) || (untilLineId && !editorLineOf(untilLineId)))
          return null;
        let written = 0;
        const region = (): monaco.Range | null => {
          const after = afterLineId ? editorLineOf(afterLineId) : 0;
          const until = untilLineId ? editorLineOf(untilLineId) : model.getLineCount() + 1;
          if (after === null || until === null || until <= after) return null;
          const endLine = Math.min(until, model.getLineCount());
          const endColumn = until > model.getLineCount() ? model.getLineMaxColumn(endLine) : 1;
          return new monaco.Range(after + 1, 1, endLine, endColumn);
        };
        return {
          write(lines) {
            const range = region();
            if (!range) return false;
            let text = printScript(lines);
            // printScript puts a blank line before a heading: keep the one before the kept sign-off.
            const until = untilLineId
              ? studio.get().episode.lines.find((l) => l.id === untilLineId)
              : undefined;
            if (until?.kind === 'heading' && text !== '') text += '\n';
            if (range.startLineNumber > model.getLineCount()) text = `\n${text}`;
            if (model.getValueInRange(range) === text) return true;
            // The first write opens the undo step; later ones join it, so Ctrl+Z restores the old tail at once.
            if (written++ === 0) editor.pushUndoStop();
            editor.executeEdits('goosepod-redraft', [{ range, text, forceMoveMarkers: true }]);
            return true;
          },
          end() {
            editor.pushUndoStop();
            const after = afterLineId ? editorLineOf(afterLineId) : 0;
            const until = untilLineId ? editorLineOf(untilLineId) : lineIds.length + 1;
            if (after === null || until === null) return [];
            return lineIds.slice(after, until - 1).filter((id): id is string => id !== null);
          },
        };
      },
    };
  }

  // Every editor command from the one registry: keybinding, F1 palette entry, context menu.
  for (const c of Object.values(commands) as Command<[]>[]) {
    if (!c.inEditor) continue;
    disposables.push(
      editor.addAction({
        id: `goosepod.${c.name}`,
        label: c.label,
        keybindings: [...(c.keybinding ? [c.keybinding] : []), ...(c.moreKeybindings ?? [])].map(
          monacoKeybinding,
        ),
        ...(c.editorWhen ? { keybindingContext: c.editorWhen } : {}),
        ...(c.contextMenuOrder !== undefined
          ? { contextMenuGroupId: '1_goosepod', contextMenuOrder: c.contextMenuOrder }
          : {}),
        run: () => void c.perform(),
      }),
    );
  }

  // ---- CodeLens: play and regenerate per line ------------------------------------------------
  disposables.push(
    monaco.editor.registerCommand(REGENERATE_COMMAND, (_accessor, lineId: unknown) => {
      if (typeof lineId === 'string') void commands.regenerateLine.perform(lineId);
    }),
    monaco.editor.registerCommand(PLAY_COMMAND, (_accessor, lineId: unknown) => {
      if (typeof lineId === 'string') void commands.playLine.perform(lineId);
    }),
  );

  const codeLensProvider: monaco.languages.CodeLensProvider = {
    onDidChange: codeLensChanged.event,
    provideCodeLenses(m) {
      if (m !== model) return { lenses: [], dispose() {} };
      const s = studio.get();
      const byId = new Map(s.episode.lines.map((l) => [l.id, l]));
      const lenses: monaco.languages.CodeLens[] = [];
      lineIds.forEach((id, i) => {
        const line = id ? byId.get(id) : undefined;
        if (!line || line.kind !== 'speech') return;
        const status = voiceStatusOf(line, s);
        const range = new monaco.Range(i + 1, 1, i + 1, 1);
        lenses.push({
          range,
          id: `regen-${line.id}`,
          command: {
            id: REGENERATE_COMMAND,
            title:
              status === 'rendering'
                ? '$(loading~spin) Voicing…'
                : status === 'stale' || status === 'failed'
                  ? `↻ Regenerate · ${status}`
                  : '↻ Regenerate',
            tooltip: `${STATUS_LABEL[status]} — voice this line again (Ctrl/Cmd+Enter)`,
            arguments: [line.id],
          },
        });
        if (s.episode.clips[line.id]) {
          lenses.push({
            range,
            id: `play-${line.id}`,
            command: {
              id: PLAY_COMMAND,
              title: '▶ Play',
              tooltip: 'Play from this line (Ctrl/Cmd+Shift+Enter)',
              arguments: [line.id],
            },
          });
        }
      });
      return { lenses, dispose() {} };
    },
  };
  disposables.push(monaco.languages.registerCodeLensProvider(LANGUAGE_ID, codeLensProvider));

  // ---- quick fixes -----------------------------------------------------------------------------
  disposables.push(
    monaco.languages.registerCodeActionProvider(
      LANGUAGE_ID,
      {
        provideCodeActions(m, _range, context) {
          if (m !== model) return { actions: [], dispose() {} };
          const actions: monaco.languages.CodeAction[] = [];
          const edit = (range: monaco.IRange, text: string): monaco.languages.WorkspaceEdit => ({
            edits: [{ resource: model.uri, textEdit: { range, text }, versionId: model.getVersionId() }],
          });
          for (const marker of context.markers) {
            const code = markerCode(marker);
            const n = marker.startLineNumber;
            const raw = model.getLineContent(n);
            const wholeLine = new monaco.Range(n, 1, n, raw.length + 1);
            if (code === 'unknown-speaker') {
              const typed = model.getValueInRange(marker);
              speakerSuggestions(typed, personaNames()).forEach((name, i) =>
                actions.push({
                  title: `Change speaker to “${name}”`,
                  kind: 'quickfix',
                  diagnostics: [marker],
                  isPreferred: i === 0,
                  edit: edit(marker, name),
                }),
              );
            } else if (code === 'missing-speaker') {
              const info = readEditorLine(raw);
              const text = info ? raw.slice(info.textStart) : raw.trim();
              for (const name of personaNames()) {
                actions.push({
                  title: `Give this line to “${name}”`,
                  kind: 'quickfix',
                  diagnostics: [marker],
                  edit: edit(wholeLine, `${name}: ${text}`),
                });
              }
            } else if (code === 'too-long') {
              const fixed = splitOverlongLine(raw);
              if (fixed) {
                actions.push({
                  title: `Split into ${fixed.split('\n').length} lines at sentence ends`,
                  kind: 'quickfix',
                  diagnostics: [marker],
                  isPreferred: true,
                  edit: edit(wholeLine, fixed),
                });
              }
            } else if (code === 'same-speaker') {
              const changed = cycleSpeaker(raw, personaNames());
              const to = changed ? readEditorLine(changed) : undefined;
              if (changed && changed !== raw && to?.kind === 'speech') {
                actions.push({
                  title: `Give this line to “${to.speaker}”`,
                  kind: 'quickfix',
                  diagnostics: [marker],
                  edit: edit(wholeLine, changed),
                });
              }
            }
          }
          return { actions, dispose() {} };
        },
      },
      { providedCodeActionKinds: ['quickfix'] },
    ),
  );

  // ---- completion: host names at line start, template variables after "{" ---------------------
  disposables.push(
    monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: ['{'],
      provideCompletionItems(m, position) {
        if (m !== model) return { suggestions: [] };
        const raw = model.getLineContent(position.lineNumber);
        const before = raw.slice(0, position.column - 1);
        const variable = /\{(\w*)$/.exec(before);
        if (variable) {
          const closes = raw[position.column - 1] === '}';
          const range = new monaco.Range(
            position.lineNumber,
            position.column - variable[1].length,
            position.lineNumber,
            position.column + (closes ? 1 : 0),
          );
          return {
            suggestions: TEMPLATE_VARIABLES.map((v) => ({
              label: `{${v.name}}`,
              filterText: v.name,
              kind: monaco.languages.CompletionItemKind.Variable,
              insertText: `${v.name}}`,
              detail: v.description,
              range,
            })),
          };
        }
        const start = /^(\s*)([^:#[\]{}]*)$/.exec(before);
        if (!start || /^\s*##/.test(raw)) return { suggestions: [] };
        const hasColon = raw.slice(before.length).includes(':');
        const range = new monaco.Range(
          position.lineNumber,
          start[1].length + 1,
          position.lineNumber,
          position.column,
        );
        const personas = studio.get().episode.personas;
        return {
          suggestions: personas.map((p, i) => ({
            label: p.name,
            kind: monaco.languages.CompletionItemKind.User,
            insertText: hasColon ? p.name : `${p.name}: `,
            detail: p.role || 'host',
            sortText: String(i).padStart(2, '0'),
            range,
          })),
        };
      },
    }),
  );

  // ---- hover: speaker, estimated length, voice state, cost -------------------------------------
  disposables.push(
    monaco.languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(m, position) {
        if (m !== model) return null;
        const line = speechLineAt(position.lineNumber);
        if (!line) return null;
        return {
          range: new monaco.Range(
            position.lineNumber,
            1,
            position.lineNumber,
            model.getLineMaxColumn(position.lineNumber),
          ),
          contents: lineHoverMarkdown(line, studio.get()).map((value) => ({ value })),
        };
      },
    }),
  );

  // ---- cursor → store (the takes panel follows the speech line under the cursor) ------------
  const publishCursorLine = (): void => {
    const pos = editor.getPosition();
    const id = pos ? (speechLineAt(pos.lineNumber)?.id ?? null) : null;
    if (studio.get().ui.cursorLineId !== id) setUi({ cursorLineId: id });
  };
  disposables.push(editor.onDidChangeCursorPosition(publishCursorLine));

  // ---- store → editor ----------------------------------------------------------------------
  let lastPersonaKey = personaKey(initial);
  const unsubscribe = studio.subscribe((s, p) => {
    if (s.scriptRevision !== p.scriptRevision) applyExternal(s);
    const key = personaKey(s);
    if (key !== lastPersonaKey) {
      lastPersonaKey = key;
      applyPersonas(s.episode.personas);
      scheduleDiagnostics();
    }
    if (s.episode.article !== p.episode.article || s.episode.show !== p.episode.show) scheduleDiagnostics();
    if (
      s.episode.lines !== p.episode.lines ||
      s.episode.clips !== p.episode.clips ||
      s.episode.personas !== p.episode.personas ||
      s.voicedWith !== p.voicedWith ||
      s.rendering !== p.rendering ||
      s.failedLines !== p.failedLines
    ) {
      updateDecorations();
    }
    if (s.ui.playingLineId !== p.ui.playingLineId) renderPlaying(s);
    if (s.ui.selectLine && s.ui.selectLine !== p.ui.selectLine) reveal(s.ui.selectLine.lineId);
  });

  updateDecorations();
  scheduleDiagnostics();

  return {
    dispose() {
      unsubscribe();
      clearTimeout(diagnosticsTimer);
      if (decorationFrame) cancelAnimationFrame(decorationFrame);
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}
