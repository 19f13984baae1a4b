import { isJobActive } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';

/** Shown over the editor while the script is empty: what to do first. */
export function EditorEmptyState() {
  const empty = useStudio((s) => s.episode.lines.length === 0);
  const drafting = useStudio((s) => isJobActive(s.jobs, 'draft'));
  const hasArticle = useStudio((s) => s.articleText.trim().length > 0);
  if (!empty) return null;
  return (
    <div className="editor-empty" aria-hidden={false}>
      {drafting ? (
        <>
          <div className="spinner big" />
          <h3>Drafting the script…</h3>
          <p>The two hosts are reading the article. Progress is shown at the top right.</p>
        </>
      ) : (
        <>
          <h3>No script yet</h3>
          <ol>
            <li className={hasArticle ? 'done' : ''}>
              Paste an article, open a <code>.txt</code>/<code>.md</code> file, or <b>Try the sample</b>{' '}
              (left).
            </li>
            <li>
              Press <b>Draft script</b>: two hosts discuss it, one line each turn.
            </li>
            <li>
              Edit lines here, then <b>Voice all</b> and <b>Export</b>.
            </li>
          </ol>
          <p className="muted">
            Or type lines yourself: <code>## Heading</code> starts a chapter, <code>Name: words</code> is a
            line.
          </p>
        </>
      )}
    </div>
  );
}
