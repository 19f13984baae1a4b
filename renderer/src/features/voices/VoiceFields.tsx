import { useEffect, useState } from 'react';
import { VoiceSettingsSchema, type Persona, type VoiceEngineId } from '@shared/model/episode';
import { useStudio } from '../../state/studio-state';
import {
  loadVoices,
  previewVoice,
  saveApiKey,
  setPersonaEngine,
  setPersonaVoice,
  useVoice,
  voicesKey,
  type EngineInfo,
} from '../../state/voice-actions';

const ENGINE_SHORT: Record<VoiceEngineId, string> = {
  espeak: 'Offline (espeak-ng)',
  openai: 'OpenAI',
  elevenlabs: 'ElevenLabs',
  'openai-compatible': 'OpenAI-compatible server',
};

/** A text field that commits on blur/Enter, and only values the voice schema accepts. */
function CommitField({
  label,
  value,
  placeholder,
  testId,
  multiline,
  validate,
  onCommit,
}: {
  label: string;
  value: string;
  placeholder?: string;
  testId?: string;
  multiline?: boolean;
  validate?: (v: string) => string | null;
  onCommit: (v: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const error = draft === value ? null : (validate?.(draft) ?? null);
  const commit = () => {
    if (draft === value) return;
    if (error) setDraft(value);
    else onCommit(draft);
  };
  const common = {
    className: `input small ${error ? 'invalid' : ''}`,
    'aria-label': label,
    'data-testid': testId,
    placeholder,
    title: error ?? undefined,
    value: draft,
    onBlur: commit,
  };
  return multiline ? (
    <textarea {...common} rows={2} maxLength={2000} onChange={(e) => setDraft(e.target.value)} />
  ) : (
    <input
      {...common}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}

const baseUrlError = (v: string): string | null => {
  if (v.trim() === '') return null;
  const r = VoiceSettingsSchema.shape.baseURL.safeParse(v.trim());
  return r.success ? null : (r.error.issues[0]?.message ?? 'not a URL');
};

/** Stores a cloud engine's API key in the back end; shows it masked afterwards. */
function ApiKeyField({ engine }: { engine: EngineInfo }) {
  const [editing, setEditing] = useState(false);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const providerId = engine.id === 'elevenlabs' ? 'elevenlabs' : 'openai';
  const save = async (value: string) => {
    setBusy(true);
    const ok = await saveApiKey(providerId, value);
    setBusy(false);
    if (ok) {
      setKey('');
      setEditing(false);
    }
  };
  if (engine.hasKey && !editing) {
    return (
      <div className="row gap-s key-row" data-testid="api-key-state">
        <span className="key-mask" title="Stored encrypted in the back end; never kept in this window">
          key {engine.maskedKey ?? 'stored'}
        </span>
        <button className="btn tiny" onClick={() => setEditing(true)}>
          Change
        </button>
        <button className="btn tiny ghost" disabled={busy} onClick={() => void save('')}>
          Remove
        </button>
      </div>
    );
  }
  return (
    <form
      className="row gap-s key-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim()) void save(key);
      }}
    >
      <input
        className="input small"
        type="password"
        autoComplete="off"
        spellCheck={false}
        aria-label={`${engine.label} API key`}
        data-testid="api-key-input"
        placeholder={`${ENGINE_SHORT[engine.id]} API key`}
        value={key}
        maxLength={500}
        onChange={(e) => setKey(e.target.value)}
      />
      <button className="btn tiny" type="submit" disabled={busy || !key.trim()}>
        Save
      </button>
      {editing && (
        <button className="btn tiny ghost" type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      )}
    </form>
  );
}

function Slider({
  label,
  value,
  min,
  max,
  step,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
}) {
  return (
    <div className="slider">
      <input
        type="range"
        min={min}
        max={max}
        step={step}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <span className="num">{step < 1 ? value.toFixed(2) : value}</span>
    </div>
  );
}

/** Engine, voice and the engine's own settings of one host, with "Preview voice". */
export function VoiceFields({ persona }: { persona: Persona }) {
  const v = persona.voice;
  const engines = useVoice((s) => s.engines);
  const engine = engines?.find((e) => e.id === v.engine);
  const key = voicesKey(v.engine, v.baseURL);
  const listed = useVoice((s) => s.voices[key]);
  const appVoices = useStudio((s) => s.appInfo?.voices);
  const previewing = useVoice((s) => s.previewing === persona.id);
  const previewUrl = useVoice((s) => s.previewUrls[persona.id]);

  useEffect(() => {
    if (v.engine === 'openai-compatible' && !v.baseURL) return;
    void loadVoices(v.engine, v.baseURL);
  }, [v.engine, v.baseURL, engine?.hasKey]);

  const voices = listed ?? (v.engine === 'espeak' ? (appVoices ?? []) : []);
  const options = voices.some((o) => o.id === v.voice)
    ? voices
    : [{ id: v.voice, label: v.voice }, ...voices];
  const set = (patch: Partial<Persona['voice']>) => setPersonaVoice(persona, patch);
  const engineIds: VoiceEngineId[] = engines?.map((e) => e.id) ?? [v.engine];
  const model = v.model ?? engine?.defaultModel ?? '';
  const price = engine?.models.find((m) => m.id === model)?.usdPerMillionChars;
  const cloud = v.engine === 'openai' || v.engine === 'elevenlabs';

  return (
    <div className="voice-fields" data-testid="voice-fields">
      <div className="form-grid tight">
        <label>Engine</label>
        <select
          className="input small"
          aria-label={`${persona.name} voice engine`}
          data-testid="host-engine"
          value={v.engine}
          onChange={(e) => void setPersonaEngine(persona, e.target.value as VoiceEngineId)}
        >
          {engineIds.map((id) => (
            <option key={id} value={id} title={engines?.find((e) => e.id === id)?.label}>
              {ENGINE_SHORT[id] ?? id}
            </option>
          ))}
        </select>

        {v.engine === 'openai-compatible' && (
          <>
            <label>URL</label>
            <CommitField
              label={`${persona.name} speech server base URL`}
              testId="host-base-url"
              placeholder="http://127.0.0.1:8880/v1"
              value={v.baseURL ?? ''}
              validate={baseUrlError}
              onCommit={(url) => set({ baseURL: url.trim() || undefined })}
            />
          </>
        )}

        <label>Voice</label>
        <div className="row gap-s">
          <select
            className="input small grow"
            aria-label={`${persona.name} voice`}
            data-testid="host-voice"
            value={v.voice}
            onChange={(e) => set({ voice: e.target.value })}
          >
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          {v.engine !== 'espeak' && (
            <button
              className="btn tiny ghost"
              title="Ask the engine for its voices again"
              aria-label="Reload voices"
              onClick={() => void loadVoices(v.engine, v.baseURL, true)}
            >
              ⟳
            </button>
          )}
        </div>

        {v.engine === 'openai' || v.engine === 'elevenlabs' ? (
          <>
            <label>Model</label>
            <select
              className="input small"
              aria-label={`${persona.name} voice model`}
              data-testid="host-model"
              value={model}
              onChange={(e) => set({ model: e.target.value })}
            >
              {(engine?.models ?? [{ id: model, usdPerMillionChars: 0 }]).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id} · ${m.usdPerMillionChars}/1M chars
                </option>
              ))}
            </select>
          </>
        ) : v.engine === 'openai-compatible' ? (
          <>
            <label>Model</label>
            <CommitField
              label={`${persona.name} voice model`}
              testId="host-model"
              placeholder={engine?.defaultModel ?? 'tts-1'}
              value={v.model ?? ''}
              validate={(m) => (m.length > 100 ? 'at most 100 characters' : null)}
              onCommit={(m) => set({ model: m.trim() || undefined })}
            />
          </>
        ) : null}

        {v.engine === 'openai' && /^gpt-4o.*tts/.test(model) && (
          <>
            <label>Style</label>
            <CommitField
              label={`${persona.name} speaking instructions`}
              testId="host-instructions"
              multiline
              placeholder={`Default: the role (“${persona.role || 'none'}”)`}
              value={v.instructions ?? ''}
              onCommit={(text) => set({ instructions: text.trim() || undefined })}
            />
          </>
        )}

        {v.engine === 'elevenlabs' && (
          <>
            <label title="Stability">Stab.</label>
            <Slider
              label={`${persona.name} stability`}
              value={v.stability ?? 0.5}
              min={0}
              max={1}
              step={0.05}
              onChange={(n) => set({ stability: n })}
            />
            <label title="Similarity boost">Simil.</label>
            <Slider
              label={`${persona.name} similarity`}
              value={v.similarityBoost ?? 0.75}
              min={0}
              max={1}
              step={0.05}
              onChange={(n) => set({ similarityBoost: n })}
            />
            <label>Style</label>
            <Slider
              label={`${persona.name} style`}
              value={v.style ?? 0}
              min={0}
              max={1}
              step={0.05}
              onChange={(n) => set({ style: n })}
            />
          </>
        )}

        {v.engine !== 'elevenlabs' && (
          <>
            <label>Rate</label>
            <Slider
              label={`${persona.name} rate`}
              value={v.rate}
              min={80}
              max={450}
              step={5}
              onChange={(n) => set({ rate: n })}
            />
          </>
        )}
        {v.engine === 'espeak' && (
          <>
            <label>Pitch</label>
            <Slider
              label={`${persona.name} pitch`}
              value={v.pitch}
              min={0}
              max={99}
              step={1}
              onChange={(n) => set({ pitch: n })}
            />
          </>
        )}
      </div>

      {cloud && engine && <ApiKeyField engine={engine} />}

      <div className="row gap-s preview-row">
        <button
          className="btn tiny"
          data-testid="preview-voice"
          disabled={previewing}
          title={
            price
              ? `Voice a sample sentence (≈ 90 characters at $${price} per 1M)`
              : 'Voice a sample sentence'
          }
          onClick={() => void previewVoice(persona)}
        >
          {previewing ? 'Voicing…' : '▶ Preview voice'}
        </button>
        {previewUrl && (
          <audio className="preview-audio" data-testid="preview-audio" src={previewUrl} controls autoPlay />
        )}
      </div>
    </div>
  );
}
