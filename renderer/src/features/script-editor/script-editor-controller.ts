/**
 * Binds a Monaco editor to the studio store: the editor owns the script text, every edit is
 * re-parsed into `episode.lines` (stable ids), and the store drives markers, voice-status glyphs,
 * the playing-line highlight, CodeLens and reveal requests. No React here.
 */
import { parseScript, printScript, scriptDiagnostics, scriptLineIndexOfEditorLine } from '@shared/script/format';
import type { ScriptLine } from '@shared/model/episode';
import { commands } from '../../commands';
import { voiceStatusOf, type VoiceStatus } from '../../state/episode-helpers';
import { setLinesFromEditor } from '../../state/project-actions';
import { showError, studio, type StudioState } from '../../state/studio-state';
import { applyPersonas, LANGUAGE_ID, registerGoosepodLanguage, THEME_ID } from './goosepod-language';
import { groundingMarkers } from './grounding-markers';
import { monaco } from './monaco-setup';

const DIAGNOSTICS_DELAY_MS = 150;
const REGENERATE_COMMAND = 'goosepod.regenerateLine';

const STATUS_LABEL: Record<VoiceStatus, string> = {
  missing: 'Not voiced yet',
  ready: 'Voiced',
  stale: 'Stale: the clip was voiced for other words, speaker or voice',
  rendering: 'Voicing…',
  failed: 'Voicing failed',
};

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

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
    quickSuggestions: false,
    wordBasedSuggestions: 'off',
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

  // ---- text ⇄ lines ------------------------------------------------------------------------
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

  // ---- markers -----------------------------------------------------------------------------
  let diagnosticsTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleDiagnostics(): void {
    clearTimeout(diagnosticsTimer);
    diagnosticsTimer = setTimeout(runDiagnostics, DIAGNOSTICS_DELAY_MS);
  }
  function runDiagnostics(): void {
    if (model.isDisposed()) return;
    const s = studio.get();
    const text = model.getValue();
    const diagnostics = scriptDiagnostics(
      text,
      s.episode.personas.map((p) => p.name),
    );
    monaco.editor.setModelMarkers(
      model,
      'goosepod-script',
      diagnostics.map((d) => ({
        startLineNumber: d.line,
        endLineNumber: d.line,
        startColumn: d.startColumn,
        endColumn: d.endColumn,
        severity: SEVERITY[d.severity],
        message: d.message,
        source: 'script',
      })),
    );
    monaco.editor.setModelMarkers(model, 'goosepod-grounding', groundingMarkers(s.episode, lineIds, model));
  }

  // ---- decorations -------------------------------------------------------------------------
  let decorationFrame = 0;
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
    const decorations: monaco.editor.IModelDeltaDecoration[] = [];
    lineIds.forEach((id, i) => {
      const line = id ? byId.get(id) : undefined;
      if (!line || line.kind !== 'speech') return;
      const status = voiceStatusOf(line, s);
      const clip = s.episode.clips[line.id];
      const detail =
        status === 'failed'
          ? `: ${s.failedLines[line.id]}`
          : clip && status !== 'missing'
            ? ` (${clip.durationSec.toFixed(1)} s)`
            : '';
      decorations.push({
        range: new monaco.Range(i + 1, 1, i + 1, 1),
        options: {
          glyphMarginClassName: `gp-voice-glyph gp-voice-${status}`,
          glyphMarginHoverMessage: { value: `**${STATUS_LABEL[status]}**${detail}  \nCtrl/Cmd+Enter regenerates this line.` },
          overviewRuler:
            status === 'failed' || status === 'stale'
              ? { color: status === 'failed' ? '#f85149' : '#d29922', position: monaco.editor.OverviewRulerLane.Left }
              : undefined,
        },
      });
    });
    statusDecorations.set(decorations);
    codeLensChanged.fire(codeLensProvider);
    renderPlaying(s);
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

  // ---- regenerate: CodeLens, Ctrl/Cmd+Enter, context menu ----------------------------------
  function speechLineIdAt(editorLine: number): string | null {
    const id = lineIds[editorLine - 1];
    if (!id) return null;
    const line = studio.get().episode.lines.find((l) => l.id === id);
    return line?.kind === 'speech' ? id : null;
  }

  function regenerateAtCursor(): void {
    const pos = editor.getPosition();
    const id = pos ? speechLineIdAt(pos.lineNumber) : null;
    if (!id) {
      showError('Put the cursor on a speech line (“Name: words”) to regenerate it.');
      return;
    }
    void commands.regenerateLine.perform(id);
  }

  disposables.push(
    monaco.editor.registerCommand(REGENERATE_COMMAND, (_accessor, lineId: unknown) => {
      if (typeof lineId === 'string') void commands.regenerateLine.perform(lineId);
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
        lenses.push({
          range: new monaco.Range(i + 1, 1, i + 1, 1),
          id: `regen-${line.id}`,
          command: {
            id: REGENERATE_COMMAND,
            title:
              status === 'rendering'
                ? '$(loading~spin) Voicing…'
                : status === 'stale' || status === 'failed'
                  ? `▶ Regenerate · ${status}`
                  : '▶ Regenerate',
            tooltip: `${STATUS_LABEL[status]} — voice this line again (Ctrl/Cmd+Enter)`,
            arguments: [line.id],
          },
        });
      });
      return { lenses, dispose() {} };
    },
  };
  disposables.push(monaco.languages.registerCodeLensProvider(LANGUAGE_ID, codeLensProvider));

  disposables.push(
    editor.addAction({
      id: 'goosepod.regenerateLineAtCursor',
      label: 'Regenerate line',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      contextMenuGroupId: '1_goosepod',
      contextMenuOrder: 1,
      run: regenerateAtCursor,
    }),
    editor.addAction({
      id: 'goosepod.voiceAll',
      label: 'Voice all lines',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      contextMenuGroupId: '1_goosepod',
      contextMenuOrder: 2,
      run: () => void commands.voiceAll.perform(),
    }),
    editor.addAction({
      id: 'goosepod.save',
      label: 'Save project',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => void commands.save.perform(),
    }),
  );

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
