import { useMemo } from 'react';
import { sourcesOfLine, useDraft } from '../../state/draft-actions';
import { useStudio } from '../../state/studio-state';

/** Selects `sentence` in the article textarea (and scrolls it into view). */
function revealInArticle(sentence: string): void {
  const area = document.querySelector<HTMLTextAreaElement>('[data-testid="article-input"]');
  if (!area) return;
  const norm = (t: string) => t.replace(/\s+/g, ' ');
  let at = area.value.indexOf(sentence);
  if (at < 0) at = norm(area.value).indexOf(norm(sentence)); // whitespace differs: close enough
  if (at < 0) return;
  area.focus();
  area.setSelectionRange(at, at + sentence.length);
  // Scroll roughly to the sentence: the share of text before it.
  area.scrollTop = Math.max(0, (at / Math.max(1, area.value.length)) * area.scrollHeight - 30);
}

/** The article sentences the speech line under the editor's cursor relies on. */
export function LineSources() {
  const lineId = useStudio((s) => s.ui.cursorLineId);
  const line = useStudio((s) => (lineId ? s.episode.lines.find((l) => l.id === lineId) : undefined));
  const articleText = useStudio((s) => s.episode.article.text);
  const sources = useDraft((s) => s.last?.sources);
  const found = useMemo(
    () => (line ? sourcesOfLine(line, articleText, sources) : []),
    [line, articleText, sources],
  );
  if (!line || line.kind !== 'speech') return null;
  return (
    <div className="line-sources" data-testid="line-sources" aria-label="Sources for this line">
      <div className="line-sources-head">
        Sources for this line <span className="muted">({line.speaker})</span>
      </div>
      {found.length === 0 ? (
        <div className="muted">No article sentence backs this line directly.</div>
      ) : (
        <ol>
          {found.map((sentence, i) => (
            <li key={i}>
              <button
                className="source-sentence"
                data-testid="line-source"
                title="Show it in the article"
                onClick={() => revealInArticle(sentence)}
              >
                {sentence}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
