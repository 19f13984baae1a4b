import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../state/studio-state';
import {
  answerVoiceAll,
  episodeVoiceCost,
  formatUsd,
  refreshEstimateSoon,
  setBudget,
  useVoice,
} from '../../state/voice-actions';

/** Budget cap in US dollars for "Voice all" (empty: no cap). */
function BudgetField() {
  const budget = useVoice((s) => s.budgetUsd);
  const [draft, setDraft] = useState(budget === null ? '' : String(budget));
  useEffect(() => setDraft(budget === null ? '' : String(budget)), [budget]);
  const commit = () => {
    const t = draft.trim();
    if (t === '') return setBudget(null);
    const n = Number(t);
    if (Number.isFinite(n) && n >= 0 && n <= 100_000) setBudget(n);
    else setDraft(budget === null ? '' : String(budget));
  };
  return (
    <label className="budget" title="“Voice all” refuses to start when the estimate is above this">
      cap $
      <input
        className="input small budget-input"
        data-testid="voice-budget"
        inputMode="decimal"
        placeholder="none"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

/**
 * What "Voice all" would cost now (characters × price of the lines the cache cannot serve), the
 * budget cap, and what the episode's takes have cost so far.
 */
export function VoiceCostMeter() {
  const projectId = useStudio((s) => s.projectId);
  const lines = useStudio((s) => s.episode.lines);
  const personas = useStudio((s) => s.episode.personas);
  const pronunciations = useStudio((s) => s.episode.show.pronunciations);
  const clips = useStudio((s) => s.episode.clips);
  const pinned = useStudio((s) => s.episode.pinned);
  const takes = useStudio((s) => s.episode.takes);
  const estimate = useVoice((s) => s.estimate);
  const busy = useVoice((s) => s.estimateBusy);
  const spent = episodeVoiceCost(takes);

  useEffect(() => {
    refreshEstimateSoon();
  }, [projectId, lines, personas, pronunciations, clips, pinned]);

  const toVoice = estimate
    ? estimate.uncachedLines === 0
      ? 'all cached'
      : `${estimate.uncachedLines} to voice · ${estimate.totalChars.toLocaleString()} chars · ${formatUsd(estimate.totalUsd)}`
    : projectId
      ? '—'
      : 'estimate after the first save';
  return (
    <span className="cost-meter" data-testid="voice-cost">
      <span
        title="What “Voice all” would send to the engines now (cached lines cost nothing)"
        data-testid="voice-estimate"
        className={estimate && !estimate.withinBudget ? 'error-text' : busy ? 'muted' : ''}
      >
        {toVoice}
      </span>
      <BudgetField />
      <span title="What this episode’s takes have cost so far" data-testid="voice-spent">
        spent <b>{formatUsd(spent)}</b>
      </span>
    </span>
  );
}

/** Asks before a "Voice all" that costs money, and says so when it breaks the budget cap. */
export function VoiceAllConfirm() {
  const confirm = useVoice((s) => s.confirm);
  const engines = useVoice((s) => s.engines);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (confirm && !d.open) d.showModal();
    else if (!confirm && d.open) d.close();
  }, [confirm]);
  const e = confirm?.estimate;
  const byEngine = new Map<string, { lines: number; chars: number; usd: number }>();
  for (const l of e?.lines ?? []) {
    if (l.cached) continue;
    const k = `${l.engine} · ${l.model}`;
    const cur = byEngine.get(k) ?? { lines: 0, chars: 0, usd: 0 };
    byEngine.set(k, { lines: cur.lines + 1, chars: cur.chars + l.chars, usd: cur.usd + l.costUsd });
  }
  const keyless = (engines ?? []).filter(
    (en) => en.needsApiKey && !en.hasKey && e?.lines.some((l) => !l.cached && l.engine === en.id),
  );
  return (
    <dialog
      ref={ref}
      className="dialog confirm-dialog"
      data-testid="voice-confirm"
      onClose={() => void answerVoiceAll(false)}
    >
      <header className="dialog-head">
        <h2>Voice all lines?</h2>
      </header>
      {e && (
        <>
          <p>
            {e.uncachedLines} line{e.uncachedLines === 1 ? '' : 's'} ({e.totalChars.toLocaleString()}{' '}
            characters) will be sent to the engines for about <b>{formatUsd(e.totalUsd)}</b>. The other{' '}
            {e.lines.length - e.uncachedLines} come from the clip cache for free.
          </p>
          <table className="cost-table">
            <tbody>
              {[...byEngine].map(([k, r]) => (
                <tr key={k}>
                  <td>{k}</td>
                  <td>{r.lines} lines</td>
                  <td>{r.chars.toLocaleString()} chars</td>
                  <td>{formatUsd(r.usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {keyless.length > 0 && (
            <p className="warn-text" data-testid="missing-key">
              No API key is stored for {keyless.map((en) => en.label).join(' and ')}: those lines will fail
              until you add one in the host’s voice settings.
            </p>
          )}
          {!e.withinBudget && (
            <p className="error-text" data-testid="over-budget">
              That is above the budget cap of {formatUsd(confirm?.budgetUsd ?? 0)}: raise the cap or voice
              fewer lines.
            </p>
          )}
          <div className="row gap-s dialog-actions">
            <span className="spacer" />
            <button className="btn" onClick={() => void answerVoiceAll(false)}>
              Cancel
            </button>
            <button
              className="btn accent"
              data-testid="voice-confirm-go"
              disabled={!e.withinBudget}
              onClick={() => void answerVoiceAll(true)}
            >
              Voice for {formatUsd(e.totalUsd)}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
