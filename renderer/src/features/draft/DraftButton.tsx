import type { DraftUsageShape } from '@shared/contract';
import { commands } from '../../commands';
import { configOf, configProblem, OFFLINE, useDraft } from '../../state/draft-actions';
import { isJobActive } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';

/** "$0.0123" for small sums, "$1.23" for larger ones. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : value < 1 ? `$${value.toFixed(3)}` : `$${value.toFixed(2)}`;
}

function tokens(usage: DraftUsageShape): string {
  return `${usage.inputTokens.toLocaleString()} in + ${usage.outputTokens.toLocaleString()} out tokens`;
}

/** Before a model draft: its estimated tokens and cost, and whether it fits the budget. */
function EstimateLine() {
  const estimate = useDraft((s) => s.estimate);
  const error = useDraft((s) => s.estimateError);
  const busy = useDraft((s) => s.estimateBusy);
  const budget = useDraft((s) => s.choice.budgetUsd);
  if (error) return <div className="draft-note error-text">Estimate failed: {error}</div>;
  if (!estimate) return busy ? <div className="draft-note muted">Estimating the cost…</div> : null;
  return (
    <div
      className={`draft-note ${estimate.withinBudget ? '' : 'error-text'}`}
      data-testid="draft-estimate"
      data-within-budget={estimate.withinBudget}
    >
      Estimate: ≈{tokens(estimate)} · <strong>{usd(estimate.costUsd)}</strong>
      {budget !== undefined &&
        (estimate.withinBudget ? (
          <span className="muted"> · within the {usd(budget)} budget</span>
        ) : (
          <span> · over the {usd(budget)} budget</span>
        ))}
      {estimate.condensed && <span className="muted"> · long article: condensed for the model</span>}
    </div>
  );
}

/** After a draft: what it used and cost, or what was kept of a stream that stopped. */
function LastDraftLine() {
  const last = useDraft((s) => s.last);
  if (!last) return null;
  if (last.status !== 'done') {
    return last.keptLines ? (
      <div className="draft-note muted" data-testid="draft-kept">
        Draft {last.status}: the {last.keptLines} line{last.keptLines === 1 ? '' : 's'} that arrived are kept
        in the editor.
      </div>
    ) : null;
  }
  if (!last.usage) return null;
  return (
    <div className="draft-note" data-testid="draft-usage">
      Used: {tokens(last.usage)} · <strong>{usd(last.usage.costUsd)}</strong>
      {last.usage.requests !== undefined && last.usage.requests > 1 && (
        <span className="muted"> · {last.usage.requests} requests</span>
      )}
      {last.usage.estimated && <span className="muted"> (estimated: the provider reported no usage)</span>}
      {last.condensed && <span className="muted"> · article condensed</span>}
    </div>
  );
}

/** The big "Draft script" button at the foot of the left panel, with cost before and after. */
export function DraftButton() {
  const drafting = useStudio((s) => isJobActive(s.jobs, 'draft'));
  const hasText = useStudio((s) => s.articleText.trim().length > 0);
  const ready = useStudio((s) => s.boot === 'ready');
  const hasScript = useStudio((s) => s.episode.lines.length > 0);
  const useModel = useDraft(
    (s) => s.choice.providerId !== OFFLINE && s.presets.some((p) => p.id === s.choice.providerId),
  );
  const problem = useDraft((s) => (useModel ? configProblem(s) : null));
  const overBudget = useDraft((s) => useModel && s.estimate !== null && !s.estimate.withinBudget);
  const streaming = useDraft((s) => s.streaming);
  const model = useDraft((s) => (useModel ? (configOf(s)?.model ?? '') : ''));

  const reason = !hasText
    ? 'Paste an article, open a file or try the sample first'
    : problem
      ? problem
      : overBudget
        ? 'The estimated cost is above the budget cap: raise the budget or pick a cheaper model.'
        : null;
  return (
    <div className="draft-bar">
      {useModel && hasText && !drafting && <EstimateLine />}
      {useModel && hasText && problem && (
        <div className="draft-note warn-text" data-testid="draft-problem">
          {problem}
        </div>
      )}
      {overBudget && (
        <div className="draft-note error-text" data-testid="draft-over-budget">
          Over budget: drafting is off until the estimate fits the cap.
        </div>
      )}
      {drafting && streaming && (
        <div className="draft-note" data-testid="draft-stream" data-lines={streaming.lines}>
          <span className="spinner" aria-hidden="true" /> Streaming {model ? `from ${model}` : ''}:{' '}
          {streaming.lines} line{streaming.lines === 1 ? '' : 's'} so far
        </div>
      )}
      {!drafting && <LastDraftLine />}
      <button
        className="btn primary big"
        data-testid="draft-button"
        disabled={!ready || drafting || reason !== null}
        title={
          reason ??
          (useModel ? 'Draft a two-host script with the model' : 'Draft a two-host script from this article')
        }
        onClick={() => void commands.draft.perform()}
      >
        {drafting ? 'Drafting…' : hasScript ? 'Redraft script' : 'Draft script'}
      </button>
    </div>
  );
}
