/**
 * Everything the script editor flags, in one pure pass the editor can run on the UI thread for
 * short scripts or in a Web Worker for long ones: the format's own diagnostics
 * ({@link scriptDiagnostics}) plus the drafting stage's grounding warnings (figures and quotes
 * the article does not contain), positioned on the claim inside its editor line.
 */
import { groundingForScript } from '../draft/grounding';
import type { ScriptLine } from '../model/episode';
import { parseScript, readEditorLine, scriptDiagnostics, type ScriptDiagnostic } from './format';

/** What the editor diagnostics need besides the text. */
export interface EditorDiagnosticsInput {
  /** The editor's text. */
  text: string;
  /** The show's persona names (speakers must match one exactly). */
  personaNames: readonly string[];
  /** The article's title and text joined; empty when there is no article (no grounding check). */
  articleText: string;
}

/** Grounding warnings for the text, as editor diagnostics on the unsupported claims. */
export function groundingDiagnostics(text: string, articleText: string): ScriptDiagnostic[] {
  if (!articleText.trim()) return [];
  const rawLines = text.split(/\r\n|\r|\n/);
  // Editor line (0-based) of each parsed script line, in order.
  const editorLineOf: number[] = [];
  rawLines.forEach((raw, i) => {
    if (raw.trim() !== '') editorLineOf.push(i);
  });
  const lines: ScriptLine[] = parseScript(text);
  const indexOf = new Map(lines.map((l, i) => [l.id, i]));
  const out: ScriptDiagnostic[] = [];
  for (const { lineId, issues } of groundingForScript(lines, articleText)) {
    const i = indexOf.get(lineId);
    if (i === undefined) continue;
    const n = editorLineOf[i];
    const raw = rawLines[n];
    const info = readEditorLine(raw);
    const offset = info ? info.textStart : 0;
    for (const issue of issues) {
      out.push({
        line: n + 1,
        startColumn: offset + issue.start + 1,
        endColumn: offset + issue.end + 1,
        severity: 'warning',
        message: issue.message,
        code: 'grounding',
      });
    }
  }
  return out;
}

/** The format's diagnostics and the grounding warnings, sorted by position. */
export function editorDiagnostics(input: EditorDiagnosticsInput): ScriptDiagnostic[] {
  const all = [
    ...scriptDiagnostics(input.text, input.personaNames),
    ...groundingDiagnostics(input.text, input.articleText),
  ];
  return all.sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
}
