import { commands } from '../../commands';
import { isJobActive } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';

/** The big "Draft script" button at the foot of the left panel. */
export function DraftButton() {
  const drafting = useStudio((s) => isJobActive(s.jobs, 'draft'));
  const hasText = useStudio((s) => s.articleText.trim().length > 0);
  const ready = useStudio((s) => s.boot === 'ready');
  const hasScript = useStudio((s) => s.episode.lines.length > 0);
  return (
    <div className="draft-bar">
      <button
        className="btn primary big"
        data-testid="draft-button"
        disabled={!ready || !hasText || drafting}
        title={
          hasText
            ? 'Draft a two-host script from this article'
            : 'Paste an article, open a file or try the sample first'
        }
        onClick={() => void commands.draft.perform()}
      >
        {drafting ? 'Drafting…' : hasScript ? 'Redraft script' : 'Draft script'}
      </button>
    </div>
  );
}
