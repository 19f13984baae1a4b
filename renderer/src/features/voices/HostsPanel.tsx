import { useEffect, useState } from 'react';
import type { Persona } from '@shared/model/episode';
import { personaFieldError, updatePersona } from '../../state/project-actions';
import { useStudio } from '../../state/studio-state';
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

function HostCard({ persona }: { persona: Persona }) {
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
      </div>
      <input
        className="input small"
        aria-label={`${persona.name} role`}
        placeholder="Role or perspective"
        maxLength={200}
        value={persona.role}
        onChange={(e) => updatePersona(persona.id, { role: e.target.value })}
      />
      <VoiceFields persona={persona} />
    </div>
  );
}

/** The hosts of the show: name, role, voice engine and its settings, and timeline colour. */
export function HostsPanel() {
  const personas = useStudio((s) => s.episode.personas);
  const booted = useStudio((s) => s.boot === 'ready');
  const enginesError = useVoice((s) => s.enginesError);
  useEffect(() => {
    if (booted) void loadEngines();
  }, [booted]);
  return (
    <section className="panel" aria-label="Hosts">
      <header className="panel-head">
        <h2>Hosts</h2>
        <span className="muted">changes mark voiced lines stale</span>
      </header>
      {enginesError && <div className="error-text small-text">Voice engines: {enginesError}</div>}
      {personas.map((p) => (
        <HostCard key={p.id} persona={p} />
      ))}
    </section>
  );
}
