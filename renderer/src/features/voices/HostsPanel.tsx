import { useEffect, useState } from 'react';
import type { Persona } from '@shared/model/episode';
import { personaFieldError, updatePersona } from '../../state/project-actions';
import { useStudio } from '../../state/studio-state';

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

function HostCard({ persona }: { persona: Persona }) {
  const voices = useStudio((s) => s.appInfo?.voices ?? []);
  const options = voices.some((v) => v.id === persona.voice.voice)
    ? voices
    : [{ id: persona.voice.voice, label: persona.voice.voice }, ...voices];
  const setVoice = (patch: Partial<Persona['voice']>) =>
    updatePersona(persona.id, { voice: { ...persona.voice, ...patch } });
  return (
    <div className="host-card" data-testid="host-card" style={{ borderLeftColor: persona.color }}>
      <div className="row gap">
        <input
          type="color"
          className="color-input"
          aria-label={`${persona.name} colour`}
          value={persona.color}
          onChange={(e) => updatePersona(persona.id, { color: e.target.value })}
        />
        <NameField persona={persona} />
      </div>
      <input
        className="input small"
        aria-label={`${persona.name} role`}
        placeholder="Role or perspective"
        maxLength={200}
        value={persona.role}
        onChange={(e) => updatePersona(persona.id, { role: e.target.value })}
      />
      <div className="form-grid tight">
        <label>Voice</label>
        <select
          className="input small"
          aria-label={`${persona.name} voice`}
          data-testid="host-voice"
          value={persona.voice.voice}
          onChange={(e) => setVoice({ voice: e.target.value })}
        >
          {options.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        <label>Rate</label>
        <div className="slider">
          <input
            type="range"
            min={80}
            max={450}
            step={5}
            aria-label={`${persona.name} rate`}
            value={persona.voice.rate}
            onChange={(e) => setVoice({ rate: Number(e.target.value) })}
          />
          <span className="num">{persona.voice.rate}</span>
        </div>
        <label>Pitch</label>
        <div className="slider">
          <input
            type="range"
            min={0}
            max={99}
            aria-label={`${persona.name} pitch`}
            value={persona.voice.pitch}
            onChange={(e) => setVoice({ pitch: Number(e.target.value) })}
          />
          <span className="num">{persona.voice.pitch}</span>
        </div>
      </div>
    </div>
  );
}

/** The hosts of the show: name, role, voice, rate, pitch and timeline colour. */
export function HostsPanel() {
  const personas = useStudio((s) => s.episode.personas);
  return (
    <section className="panel" aria-label="Hosts">
      <header className="panel-head">
        <h2>Hosts</h2>
        <span className="muted">changes mark voiced lines stale</span>
      </header>
      {personas.map((p) => (
        <HostCard key={p.id} persona={p} />
      ))}
    </section>
  );
}
