import { useEffect, useRef, useState } from 'react';
import type { Persona } from '@shared/model/episode';
import { changeHosts, personaFieldError, updateEpisode, updatePersona } from '../../state/project-actions';
import { MAX_HOSTS, MIN_HOSTS } from '@shared/model/hosts';
import { showError, studio, useStudio } from '../../state/studio-state';
import { errorMessage, getStudio } from '../../transport/studio-client';
import { loadEngines, useVoice } from '../../state/voice-actions';
import { VoiceFields } from './VoiceFields';

function NameField({ persona }: { persona: Persona }) {
  const personas = useStudio((s) => s.episode.personas);
  const [value, setValue] = useState(persona.name);
  useEffect(() => setValue(persona.name), [persona.name]);
  const error = value === persona.name ? null : personaFieldError(personas, persona.id, { name: value });
  const commit = () => {
    if (value === persona.name) return;
    if (error || !updatePersona(persona.id, { name: value.trim() })) setValue(persona.name);
  };
  return (
    <input
      className={`input host-name ${error ? 'invalid' : ''}`}
      aria-label="Host name"
      data-testid="host-name"
      title={error ?? 'The name is the Speaker: label in the script; renaming relabels the lines.'}
      value={value}
      maxLength={40}
      style={{ color: persona.color }}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setValue(persona.name);
      }}
    />
  );
}

/** Catchphrases as a comma-separated list, committed on blur or Enter. */
function CatchphrasesField({ persona }: { persona: Persona }) {
  const joined = (persona.catchphrases ?? []).join(', ');
  const [value, setValue] = useState(joined);
  useEffect(() => setValue(joined), [joined]);
  const commit = () => {
    const catchphrases = value
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    if (catchphrases.join(', ') === joined) return;
    if (!updatePersona(persona.id, { catchphrases })) setValue(joined);
  };
  return (
    <input
      className="input small"
      aria-label={`${persona.name} catchphrases`}
      data-testid="host-catchphrases"
      placeholder="Catchphrases, comma separated"
      title="The model may work these in; the offline drafter uses one in the sign-off if it states no facts."
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setValue(joined);
      }}
    />
  );
}

function HostCard({ persona, count }: { persona: Persona; count: number }) {
  return (
    <div
      className="host-card"
      data-testid="host-card"
      data-engine={persona.voice.engine}
      style={{ borderLeftColor: persona.color }}
    >
      <div className="row gap">
        <input
          type="color"
          className="color-input"
          aria-label={`${persona.name} colour`}
          value={persona.color}
          onChange={(e) => updatePersona(persona.id, { color: e.target.value })}
        />
        <NameField persona={persona} />
        <button
          type="button"
          className="btn small"
          data-testid="host-duplicate"
          title={`Duplicate ${persona.name} (at most ${MAX_HOSTS} hosts)`}
          disabled={count >= MAX_HOSTS}
          onClick={() => changeHosts('duplicate', persona.id)}
        >
          Copy
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="host-remove"
          title={`Remove ${persona.name} (at least ${MIN_HOSTS} hosts); their lines are flagged in the script`}
          disabled={count <= MIN_HOSTS}
          onClick={() => changeHosts('remove', persona.id)}
        >
          ×
        </button>
      </div>
      <input
        className="input small"
        aria-label={`${persona.name} role`}
        placeholder="Role or perspective"
        maxLength={200}
        value={persona.role}
        onChange={(e) => updatePersona(persona.id, { role: e.target.value })}
      />
      <textarea
        className="input small"
        aria-label={`${persona.name} speaking style`}
        data-testid="host-style"
        placeholder="Speaking style, e.g. dry wit, short sentences"
        rows={2}
        maxLength={500}
        value={persona.style ?? ''}
        onChange={(e) => updatePersona(persona.id, { style: e.target.value })}
      />
      <CatchphrasesField persona={persona} />
      <VoiceFields persona={persona} />
    </div>
  );
}

/** Downloads the saved hosts and show defaults as a presets .json file. */
async function exportPresets(): Promise<void> {
  try {
    const { json } = await getStudio().presetsExport({});
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'goose-pod-presets.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  } catch (err) {
    showError(`Presets not exported: ${errorMessage(err)}`);
  }
}

/** Imports a presets file: saves it as the defaults and applies it to the open episode. */
async function importPresets(file: File): Promise<void> {
  try {
    const settings = await getStudio().presetsImport({ json: await file.text() });
    studio.set({ settings });
    updateEpisode((e) => ({
      ...e,
      personas: structuredClone(settings.personas),
      show: { ...e.show, ...settings.show },
    }));
  } catch (err) {
    showError(errorMessage(err));
  }
}

/** The hosts of the show: name, role, voice engine and its settings, and timeline colour. */
export function HostsPanel() {
  const personas = useStudio((s) => s.episode.personas);
  const booted = useStudio((s) => s.boot === 'ready');
  const enginesError = useVoice((s) => s.enginesError);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (booted) void loadEngines();
  }, [booted]);
  return (
    <section className="panel" aria-label="Hosts">
      <header className="panel-head">
        <h2>Hosts</h2>
        <span className="muted">changes mark voiced lines stale</span>
        <button
          type="button"
          className="btn small"
          data-testid="presets-export"
          title="Download the hosts and show settings as a .json file (no API keys)"
          onClick={() => void exportPresets()}
        >
          Export presets
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="presets-import"
          title="Load hosts and show settings from a presets .json file"
          onClick={() => fileInput.current?.click()}
        >
          Import presets
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="presets-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importPresets(file);
          }}
        />
      </header>
      {enginesError && <div className="error-text small-text">Voice engines: {enginesError}</div>}
      {personas.map((p) => (
        <HostCard key={p.id} persona={p} count={personas.length} />
      ))}
      <button
        type="button"
        className="btn small"
        data-testid="host-add"
        disabled={personas.length >= MAX_HOSTS}
        title={`Add a host (at most ${MAX_HOSTS})`}
        onClick={() => changeHosts('add')}
      >
        + Add host
      </button>
    </section>
  );
}
