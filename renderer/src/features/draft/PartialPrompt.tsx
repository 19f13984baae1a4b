import { useEffect, useRef } from 'react';
import { commands, shortcutLabel } from '../../commands';
import { configOf, useDraft } from '../../state/draft-actions';
import {
  closePartialPrompt,
  confirmPartial,
  estimatePending,
  partialProblem,
  setPartialInstruction,
  stopPartial,
  subscribePartialLines,
  usePartial,
} from '../../state/partial-actions';
import { usd } from './DraftButton';

/** Shows the provider picker in the Drafter panel (where a model is chosen). */
function showProviderPicker(): void {
  const select = document.querySelector<HTMLSelectElement>('[data-testid="llm-provider"]');
  select?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  select?.focus();
}

const PLACEHOLDER = {
  'rewrite-line': 'e.g. shorter · more sceptical · mention the date',
  'redraft-from': 'optional, e.g. focus on the costs · end on a question',
} as const;

/**
 * The small prompt under a line for "rewrite this line" and "redraft from here": the
 * instruction, the estimated cost before anything is spent, progress, and what it used after.
 */
export function PartialPrompt() {
  const prompt = usePartial((p) => p);
  const model = useDraft((s) => configOf(s)?.model ?? '');
  const budget = useDraft((s) => s.choice.budgetUsd);
  // Whether the estimate shown is current depends on the whole choice (prices, base URL, presets).
  useDraft((s) => s.choice);
  useDraft((s) => s.presets);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => subscribePartialLines(), []);
  const open = prompt !== null;
  const asking = prompt?.phase === 'ask';
  useEffect(() => {
    if (open && asking) input.current?.focus();
  }, [open, asking]);
  if (!prompt) return null;

  const rewrite = prompt.mode === 'rewrite-line';
  const title = rewrite ? 'Rewrite' : 'Redraft';
  const problem = partialProblem(prompt);
  const pending = estimatePending(prompt);
  const running = prompt.phase === 'running';
  const finished = prompt.phase === 'done' || prompt.phase === 'canceled' || prompt.phase === 'failed';
  return (
    <div
      className="partial-prompt"
      data-testid="partial-prompt"
      data-mode={prompt.mode}
      data-phase={prompt.phase}
      style={{ top: prompt.top }}
      role="dialog"
      aria-label={`${title} ${prompt.subject}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          closePartialPrompt();
        }
      }}
    >
      <div className="partial-head">
        <strong>{rewrite ? `Rewrite ${prompt.subject}` : `Redraft ${prompt.subject}`}</strong>
        <span className="muted">
          {' '}
          · {prompt.useModel ? model || 'model' : 'offline drafter'} ·{' '}
          {shortcutLabel((rewrite ? commands.rewriteLine : commands.redraftFrom).keybinding)}
        </span>
      </div>

      {prompt.needsModel ? (
        <div className="partial-body" data-testid="partial-needs-model">
          <p>
            Rewriting a line with an instruction needs a language model: the offline drafter only speaks
            article sentences, so it cannot follow “shorter” or “more sceptical”. Choose a provider (OpenAI,
            DeepSeek, Ollama on this computer, or any OpenAI-compatible server) under <b>Drafter</b> in the
            left panel, then run this again. <i>Redraft from here</i> works offline.
          </p>
          <div className="partial-actions">
            <button className="btn accent" data-testid="partial-choose-model" onClick={showProviderPicker}>
              Choose a model…
            </button>
            <button className="btn" data-testid="partial-close" onClick={closePartialPrompt}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <div className="partial-body">
          <input
            ref={input}
            className="partial-instruction"
            data-testid="partial-instruction"
            value={prompt.instruction}
            disabled={!asking}
            maxLength={500}
            placeholder={PLACEHOLDER[prompt.mode]}
            aria-label="Instruction"
            onChange={(e) => setPartialInstruction(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !problem) void confirmPartial();
            }}
          />
          {asking && prompt.useModel && (
            <div
              className={`draft-note ${!pending && prompt.estimate && !prompt.estimate.withinBudget ? 'error-text' : ''}`}
              data-testid="partial-estimate"
              data-within-budget={pending ? undefined : prompt.estimate?.withinBudget}
            >
              {pending
                ? prompt.confirmQueued
                  ? 'Estimating the cost… it starts as soon as the estimate is in (if within the budget).'
                  : 'Estimating the cost…'
                : prompt.estimateError
                  ? `Estimate failed: ${prompt.estimateError}`
                  : prompt.estimate
                    ? `Estimate: ≈${prompt.estimate.inputTokens.toLocaleString()} in + ${prompt.estimate.outputTokens.toLocaleString()} out tokens · ${usd(prompt.estimate.costUsd)}${budget !== undefined ? (prompt.estimate.withinBudget ? ` · within the ${usd(budget)} budget` : ` · over the ${usd(budget)} budget`) : ''}`
                    : 'Estimating the cost…'}
            </div>
          )}
          {asking && !prompt.useModel && (
            <div className="draft-note muted">
              Offline: new lines from article sentences the lines above do not use (free; instructions are not
              followed).
            </div>
          )}
          {running && (
            <div className="draft-note" data-testid="partial-running" data-lines={prompt.arrived}>
              <span className="spinner" aria-hidden="true" />{' '}
              {rewrite
                ? 'Rewriting…'
                : `Redrafting: ${prompt.arrived} new line${prompt.arrived === 1 ? '' : 's'} so far`}
            </div>
          )}
          {finished && !prompt.error && (
            <div className="draft-note" data-testid="partial-done">
              {prompt.phase === 'canceled'
                ? `Stopped: the ${prompt.arrived} new line${prompt.arrived === 1 ? '' : 's'} that arrived are kept; Ctrl+Z brings the old lines back.`
                : `${rewrite ? 'Line rewritten.' : 'Redraft in place.'} Ctrl+Z undoes it.`}
              {prompt.usage && (
                <span data-testid="partial-usage">
                  {' '}
                  Used {prompt.usage.inputTokens.toLocaleString()} in +{' '}
                  {prompt.usage.outputTokens.toLocaleString()} out tokens ·{' '}
                  <strong>{usd(prompt.usage.costUsd)}</strong>
                </span>
              )}
              {prompt.flagged > 0 && (
                <span className="warn-text">
                  {' '}
                  · {prompt.flagged} claim{prompt.flagged === 1 ? '' : 's'} the article does not support (see
                  the warnings)
                </span>
              )}
            </div>
          )}
          {(prompt.error ?? (asking && problem && prompt.instruction.trim() ? problem : null)) && (
            <div className="draft-note error-text" data-testid="partial-error">
              {prompt.error ?? problem}
            </div>
          )}
          <div className="partial-actions">
            {asking && (
              <button
                className="btn accent"
                data-testid="partial-confirm"
                disabled={problem !== null || prompt.confirmQueued}
                title={problem ?? (pending ? 'Starts once the cost is estimated' : undefined)}
                onClick={() => void confirmPartial()}
              >
                {title}
              </button>
            )}
            {running && (
              <button className="btn" data-testid="partial-stop" onClick={() => void stopPartial()}>
                Stop
              </button>
            )}
            {!running && (
              <button className="btn" data-testid="partial-close" onClick={closePartialPrompt}>
                {asking ? 'Cancel' : 'Close'}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
