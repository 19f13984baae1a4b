/**
 * Everything the script editor flags, in one pure pass the editor can run on the UI thread for
 * short scripts or in a Web Worker for long ones: the format's own diagnostics
 * ({@link scriptDiagnostics}) plus the drafting stage's grounding warnings (figures and quotes
 * the article does not contain), positioned on the claim inside its editor line.
 */
import { groundingForScript, type LineGrounding } from '../draft/grounding';
import type { ScriptLine, SpeechLine } from '../model/episode';
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

type Issues = LineGrounding['issues'];

/**
 * Grounding issues by line text for one article, so a keystroke re-checks only the line it
 * changed (preparing the article and checking 3,000 lines each time is too slow to type on).
 */
export interface GroundingCache {
  article: string;
  issues: Map<string, Issues>;
}

/** An empty {@link GroundingCache}; pass the same one to successive calls. */
export function createGroundingCache(): GroundingCache {
  return { article: '', issues: new Map() };
}

function groundingByText(
  lines: readonly ScriptLine[],
  articleText: string,
  cache: GroundingCache,
): Map<string, Issues> {
  if (cache.article !== articleText) {
    cache.article = articleText;
    cache.issues = new Map();
  }
  const missing: SpeechLine[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.kind !== 'speech' || cache.issues.has(l.text) || seen.has(l.text)) continue;
    seen.add(l.text);
    missing.push({ ...l, id: `t${missing.length}` });
  }
  if (missing.length > 0) {
    const found = new Map(groundingForScript(missing, articleText).map((g) => [g.lineId, g.issues]));
    missing.forEach((l) => cache.issues.set(l.text, found.get(l.id) ?? []));
  }
  // Bound the cache: texts typed and abandoned would otherwise pile up.
  if (cache.issues.size > 4 * lines.length + 1000) {
    cache.article = '';
  }
  return cache.issues;
}

/** Grounding warnings for the text, as editor diagnostics on the unsupported claims. */
export function groundingDiagnostics(
  text: string,
  articleText: string,
  cache: GroundingCache = createGroundingCache(),
): ScriptDiagnostic[] {
  if (!articleText.trim()) return [];
  const rawLines = text.split(/\r\n|\r|\n/);
  // Editor line (0-based) of each parsed script line, in order.
  const editorLineOf: number[] = [];
  rawLines.forEach((raw, i) => {
    if (raw.trim() !== '') editorLineOf.push(i);
  });
  const lines: ScriptLine[] = parseScript(text);
  const byText = groundingByText(lines, articleText, cache);
  const out: ScriptDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.kind !== 'speech') continue;
    const issues = byText.get(line.text) ?? [];
    if (issues.length === 0) continue;
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
export function editorDiagnostics(input: EditorDiagnosticsInput, cache?: GroundingCache): ScriptDiagnostic[] {
  const all = [
    ...scriptDiagnostics(input.text, input.personaNames),
    ...groundingDiagnostics(input.text, input.articleText, cache),
  ];
  return all.sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
}
