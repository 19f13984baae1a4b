import { useRef, useState } from 'react';
import { commands } from '../../commands';
import { loadFile, setArticleText, setArticleTitle } from '../../state/article-actions';
import { clearUrlError, loadUrl, useDraft } from '../../state/draft-actions';
import { useStudio } from '../../state/studio-state';
import { LineSources } from './LineSources';

/** Paste an article, open or drop a .txt/.md/.html file, fetch a web page, or load the sample. */
export function ArticlePanel() {
  const text = useStudio((s) => s.articleText);
  const title = useStudio((s) => s.articleTitle);
  const source = useStudio((s) => s.article?.source);
  const busy = useStudio((s) => s.articleBusy);
  const firstRun = useStudio((s) => s.episode.lines.length === 0 && s.articleText.trim() === '');
  const fileRef = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);
  const urlBusy = useDraft((s) => s.urlBusy);
  const urlError = useDraft((s) => s.urlError);
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;

  return (
    <section
      className={`panel article-panel ${dragging ? 'drop-target' : ''}`}
      aria-label="Article"
      data-testid="article-panel"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        setDragging(false);
        void loadFile(file);
      }}
    >
      <header className="panel-head">
        <h2>Article</h2>
        <span className="muted">
          {words ? `${words.toLocaleString()} words${source ? ` · ${source}` : ''}` : ''}
        </span>
      </header>
      {firstRun && (
        <p className="hint">
          Start with a news article: paste it below, fetch a web page, open or drop a .txt, .md or .html file,
          or try the sample to see a full episode.
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
          accept=".txt,.md,.html,.htm,text/plain,text/markdown,text/html"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void loadFile(file);
          }}
        />
        {busy && <span className="spinner" aria-label="Loading" />}
      </div>
      <form
        className="row gap url-row"
        onSubmit={(e) => {
          e.preventDefault();
          void loadUrl(url);
        }}
      >
        <input
          className="input grow"
          inputMode="url"
          data-testid="article-url"
          aria-label="Article web address"
          placeholder="https://… article address"
          spellCheck={false}
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            if (urlError) clearUrlError();
          }}
        />
        <button
          className="btn"
          type="submit"
          data-testid="article-fetch"
          disabled={busy || urlBusy || !url.trim()}
        >
          {urlBusy ? 'Fetching…' : 'Fetch'}
        </button>
      </form>
      {urlError && (
        <div className="error-text url-error" role="alert" data-testid="article-url-error">
          {urlError}
          {text.trim() ? ' The text below is unchanged.' : ''}
        </div>
      )}
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
      <LineSources />
    </section>
  );
}
