import { useRef } from 'react';
import { commands } from '../../commands';
import { loadFile, setArticleText, setArticleTitle } from '../../state/article-actions';
import { useStudio } from '../../state/studio-state';

/** Paste an article, open a .txt/.md file, or load the sample. */
export function ArticlePanel() {
  const text = useStudio((s) => s.articleText);
  const title = useStudio((s) => s.articleTitle);
  const source = useStudio((s) => s.article?.source);
  const busy = useStudio((s) => s.articleBusy);
  const firstRun = useStudio((s) => s.episode.lines.length === 0 && s.articleText.trim() === '');
  const fileRef = useRef<HTMLInputElement>(null);
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;

  return (
    <section className="panel article-panel" aria-label="Article">
      <header className="panel-head">
        <h2>Article</h2>
        <span className="muted">
          {words ? `${words.toLocaleString()} words${source ? ` · ${source}` : ''}` : ''}
        </span>
      </header>
      {firstRun && (
        <p className="hint">
          Start with a news article: paste it below, open a text file, or try the sample to see a full
          episode.
        </p>
      )}
      <div className="row gap">
        <button
          className={`btn ${firstRun ? 'primary attention' : ''}`}
          data-testid="try-sample"
          disabled={busy}
          onClick={() => void commands.trySample.perform()}
        >
          Try the sample
        </button>
        <button className="btn" disabled={busy} onClick={() => fileRef.current?.click()}>
          Open file…
        </button>
        <input
          ref={fileRef}
          type="file"
          className="visually-hidden"
          data-testid="article-file"
          accept=".txt,.md,text/plain,text/markdown"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void loadFile(file);
          }}
        />
        {busy && <span className="spinner" aria-label="Loading" />}
      </div>
      <input
        className="input"
        placeholder="Headline (optional)"
        aria-label="Article headline"
        value={title}
        onChange={(e) => setArticleTitle(e.target.value)}
      />
      <textarea
        className="input article-text"
        data-testid="article-input"
        aria-label="Article text"
        placeholder="Paste the article text here…"
        spellCheck={false}
        value={text}
        onChange={(e) => setArticleText(e.target.value)}
      />
    </section>
  );
}
