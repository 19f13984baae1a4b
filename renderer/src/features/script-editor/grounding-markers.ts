/** Grounding warnings (figures and quotes the article does not contain) as Monaco markers. */
import { groundingForScript } from '@shared/draft/grounding';
import type { Episode } from '@shared/model/episode';
import { monaco } from './monaco-setup';

/**
 * One warning marker per unsupported claim, placed on the claim inside its editor line.
 * `lineIds[i]` is the script line shown on editor line i + 1.
 */
export function groundingMarkers(
  episode: Episode,
  lineIds: readonly (string | null)[],
  model: monaco.editor.ITextModel,
): monaco.editor.IMarkerData[] {
  const articleText = [episode.article.title, episode.article.text].filter(Boolean).join('\n\n');
  if (!articleText.trim()) return [];
  const found = groundingForScript(episode.lines, articleText);
  if (found.length === 0) return [];
  const editorLineOf = new Map<string, number>();
  lineIds.forEach((id, i) => id && editorLineOf.set(id, i + 1));
  const textOf = new Map(episode.lines.map((l) => [l.id, l.text]));
  const markers: monaco.editor.IMarkerData[] = [];
  for (const { lineId, issues } of found) {
    const n = editorLineOf.get(lineId);
    const text = textOf.get(lineId);
    if (!n || text === undefined || n > model.getLineCount()) continue;
    const content = model.getLineContent(n);
    // The printed line is "Speaker: text"; find where the text starts in it.
    const offset = content.lastIndexOf(text);
    for (const issue of issues) {
      const start = offset >= 0 ? offset + issue.start + 1 : 1;
      const end = offset >= 0 ? offset + issue.end + 1 : content.length + 1;
      markers.push({
        startLineNumber: n,
        endLineNumber: n,
        startColumn: start,
        endColumn: end,
        severity: monaco.MarkerSeverity.Warning,
        message: issue.message,
        source: 'grounding',
      });
    }
  }
  return markers;
}
