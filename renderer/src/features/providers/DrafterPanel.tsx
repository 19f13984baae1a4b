import { useEffect, useState } from 'react';
import {
  chooseProvider,
  configOf,
  loadPresets,
  OFFLINE,
  presetOf,
  saveApiKey,
  setBudget,
  subscribeDraftLines,
  testConnection,
  updateConfig,
  useDraft,
} from '../../state/draft-actions';
import { useStudio } from '../../state/studio-state';

/** A number field that keeps what is typed while it is not (yet) a number. */
function NumberField(props: {
  id: string;
  testId: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  placeholder?: string;
  step?: string;
}) {
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value));
  useEffect(() => {
    setText((t) => (Number(t) === props.value ? t : props.value === undefined ? '' : String(props.value)));
  }, [props.value]);
  return (
    <input
      id={props.id}
      className="input"
      data-testid={props.testId}
      type="number"
      min={0}
      step={props.step ?? 'any'}
      inputMode="decimal"
      placeholder={props.placeholder}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const raw = e.target.value.trim();
        const n = Number(raw);
        if (raw === '') props.onChange(undefined);
        else if (Number.isFinite(n) && n >= 0) props.onChange(n);
      }}
    />
  );
}

/** The API key field: sent to the back end, then cleared; only the masked key is shown. */
function ApiKeyField() {
  const preset = useDraft(presetOf);
  const busy = useDraft((s) => s.keyBusy);
  const error = useDraft((s) => s.keyError);
  const [value, setValue] = useState('');
  if (!preset) return null;
  const save = async () => {
    if (!value.trim()) return;
    const ok = await saveApiKey(value);
    if (ok) setValue('');
  };
  return (
    <>
      <label htmlFor="llm-key">API key</label>
      <div className="provider-key">
        {preset.hasKey ? (
          <div className="row gap">
            <span className="masked-key" data-testid="llm-key-masked" title="Stored encrypted by the studio">
              {preset.maskedKey ?? 'saved'}
            </span>
            <button
              className="btn tiny ghost"
              data-testid="llm-key-remove"
              disabled={busy}
              onClick={() => void saveApiKey('')}
            >
              Remove
            </button>
          </div>
        ) : (
          !preset.needsApiKey && <span className="muted">optional for this provider</span>
        )}
        <div className="row gap">
          <input
            id="llm-key"
            className="input"
            data-testid="llm-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={preset.hasKey ? 'Replace the key…' : 'Paste the key…'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save();
            }}
          />
          <button
            className="btn"
            data-testid="llm-key-save"
            disabled={busy || !value.trim()}
            onClick={() => void save()}
          >
            Save key
          </button>
        </div>
        {error && <div className="error-text">{error}</div>}
      </div>
    </>
  );
}

/** Which drafter writes the script: the offline drafter or a model provider, with its settings. */
export function DrafterPanel() {
  const ready = useStudio((s) => s.boot === 'ready');
  const presets = useDraft((s) => s.presets);
  const providerId = useDraft((s) => s.choice.providerId);
  const budget = useDraft((s) => s.choice.budgetUsd);
  const preset = useDraft(presetOf);
  const config = useDraft(configOf);
  const models = useDraft((s) => s.models);
  const test = useDraft((s) => s.test);

  useEffect(() => subscribeDraftLines(), []);
  useEffect(() => {
    if (ready) void loadPresets();
  }, [ready]);

  const remote = presets.filter((p) => !p.local && p.id !== 'custom');
  const local = presets.filter((p) => p.local || p.id === 'custom');
  return (
    <section className="panel drafter-panel" aria-label="Drafter">
      <header className="panel-head">
        <h2>Drafter</h2>
        <span className="muted">{preset ? (preset.local ? 'local model' : 'model') : 'free, instant'}</span>
      </header>
      <div className="form-grid">
        <label htmlFor="llm-provider">Drafter</label>
        <select
          id="llm-provider"
          className="input"
          data-testid="llm-provider"
          value={preset || providerId === OFFLINE ? providerId : OFFLINE}
          onChange={(e) => chooseProvider(e.target.value)}
        >
          <option value={OFFLINE}>Offline drafter (free)</option>
          {remote.length > 0 && (
            <optgroup label="Model providers">
              {remote.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          )}
          {local.length > 0 && (
            <optgroup label="Local and custom">
              {local.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {preset && config && (
          <>
            <label htmlFor="llm-base-url">Base URL</label>
            <input
              id="llm-base-url"
              className="input"
              data-testid="llm-base-url"
              placeholder="https://…/v1"
              spellCheck={false}
              value={config.baseURL}
              onChange={(e) => updateConfig({ baseURL: e.target.value })}
            />
            <label htmlFor="llm-model">Model</label>
            <div className="row gap">
              <input
                id="llm-model"
                className="input grow"
                data-testid="llm-model"
                list="llm-model-options"
                spellCheck={false}
                placeholder="model id"
                value={config.model}
                onChange={(e) => updateConfig({ model: e.target.value })}
              />
              <button
                className="btn"
                data-testid="llm-test"
                disabled={test.status === 'busy' || !config.baseURL.trim()}
                title="List the models at this base URL (with the saved key)"
                onClick={() => void testConnection()}
              >
                Test connection
              </button>
            </div>
            <datalist id="llm-model-options" data-testid="llm-model-options">
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
            {test.status !== 'idle' && (
              <div
                className={`span-2 provider-test ${test.status === 'error' ? 'error-text' : test.status === 'ok' ? 'ok-text' : 'muted'}`}
                data-testid="llm-test-result"
                data-status={test.status}
              >
                {test.message}
              </div>
            )}
            <span className="form-label">Price / 1M</span>
            <div className="row gap price-row">
              <label className="muted" htmlFor="llm-price-in">
                in $
              </label>
              <NumberField
                id="llm-price-in"
                testId="llm-price-in"
                value={config.inputPricePerM}
                onChange={(v) => updateConfig({ inputPricePerM: v ?? 0 })}
              />
              <label className="muted" htmlFor="llm-price-out">
                out $
              </label>
              <NumberField
                id="llm-price-out"
                testId="llm-price-out"
                value={config.outputPricePerM}
                onChange={(v) => updateConfig({ outputPricePerM: v ?? 0 })}
              />
            </div>
            <ApiKeyField />
            <label htmlFor="llm-budget">Budget $</label>
            <NumberField
              id="llm-budget"
              testId="llm-budget"
              placeholder="no cap"
              value={budget}
              onChange={(v) => setBudget(v === 0 ? undefined : v)}
            />
          </>
        )}
      </div>
    </section>
  );
}
