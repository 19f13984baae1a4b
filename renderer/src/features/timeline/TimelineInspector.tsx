import { useState } from 'react';
import { effectivePauses } from '@shared/audio/pauses';
import {
  DEFAULT_BED,
  DEFAULT_BED_MODE,
  DEFAULT_BED_UNDER_SEC,
  type BedMode,
  type MusicBed,
} from '@shared/model/episode';
import { setUi, useStudio } from '../../state/studio-state';
import { importMusicBed, setLineAudio, setMusicBed } from './timeline-audio';

let selectNonce = 1_000_000;

function fmt(x: number | null | undefined, unit: string): string {
  return x === null || x === undefined ? '—' : `${x.toFixed(1)} ${unit}`;
}

/** The selected line's gain and pause after it. */
function LineInspector() {
  const lineId = useStudio((s) => s.ui.cursorLineId);
  const episode = useStudio((s) => s.episode);
  const line = episode.lines.find((l) => l.id === lineId);
  if (!line || line.kind !== 'speech' || !lineId) {
    return <p className="muted tl-hint">Select a line to set its gain and the pause after it.</p>;
  }
  const audio = episode.lineAudio?.[lineId];
  const pause =
    effectivePauses(episode.lines, episode.pauseSec, episode.lineAudio).get(lineId) ?? episode.pauseSec;
  const gain = audio?.gainDb ?? 0;
  return (
    <div className="tl-line" data-testid="line-inspector" data-line-id={lineId}>
      <div className="tl-line-title" title={line.text}>
        <strong>{line.speaker}</strong> {line.text.slice(0, 60)}
        {line.text.length > 60 ? '…' : ''}
      </div>
      <label className="tl-field">
        Gain
        <input
          type="range"
          min={-24}
          max={12}
          step={0.5}
          value={gain}
          data-testid="line-gain"
          onChange={(e) => setLineAudio(lineId, { gainDb: Number(e.target.value) || undefined })}
        />
        <span className="tl-val">
          {gain > 0 ? '+' : ''}
          {gain.toFixed(1)} dB
        </span>
      </label>
      <label className="tl-field">
        Pause after
        <input
          type="number"
          min={0}
          max={10}
          step={0.05}
          value={Math.round(pause * 1000) / 1000}
          data-testid="line-pause"
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isFinite(v) && v >= 0 && v <= 10) setLineAudio(lineId, { pauseAfterSec: v }, 400);
          }}
        />
        <span className="tl-val">s{audio?.pauseAfterSec !== undefined ? ' (set)' : ''}</span>
      </label>
      {audio && (
        <button
          className="btn small"
          onClick={() => setLineAudio(lineId, { gainDb: undefined, pauseAfterSec: undefined })}
        >
          Reset line
        </button>
      )}
    </div>
  );
}

/** Episode loudness and the lines far from the rest. */
function LoudnessReadout() {
  const loudness = useStudio((s) => s.timeline?.loudness);
  const lines = useStudio((s) => s.episode.lines);
  if (!loudness) return null;
  return (
    <div className="tl-loudness" data-testid="loudness-readout">
      <div>
        <span className="tl-big" data-testid="loudness-lufs">
          {fmt(loudness.integratedLufs, 'LUFS')}
        </span>{' '}
        <span className="muted">true peak {fmt(loudness.truePeakDbtp, 'dBTP')}</span>
      </div>
      <div className="muted">Mastered to −16 LUFS on export.</div>
      {loudness.outliers.length > 0 && (
        <ul className="tl-warnings" data-testid="loudness-warnings">
          {loudness.outliers.map((o) => {
            const line = lines.find((l) => l.id === o.lineId);
            return (
              <li key={o.lineId}>
                <button
                  className="linklike"
                  onClick={() => setUi({ selectLine: { lineId: o.lineId, nonce: ++selectNonce } })}
                >
                  ⚠ {line?.kind === 'speech' ? line.speaker : o.lineId}: {o.deltaLu > 0 ? '+' : ''}
                  {o.deltaLu.toFixed(1)} LU {o.deltaLu > 0 ? 'louder' : 'quieter'} than the median
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function BedField(props: {
  label: string;
  field: keyof Omit<MusicBed, 'file'>;
  bed: MusicBed;
  min: number;
  max: number;
  step: number;
}) {
  const { label, field, bed, min, max, step } = props;
  return (
    <label className="tl-field">
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={bed[field] ?? (field === 'underSec' ? DEFAULT_BED_UNDER_SEC : '')}
        data-testid={`bed-${field}`}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v) && v >= min && v <= max) setMusicBed({ [field]: v });
        }}
      />
    </label>
  );
}

/** Music bed: import, settings, remove. */
function MusicBedPanel() {
  const bed = useStudio((s) => s.episode.musicBed);
  const hasProject = useStudio((s) => !!s.projectId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="tl-bed" data-testid="music-bed">
      <div className="tl-bed-head">
        <strong>Music bed</strong>
        {bed && <span className="muted tl-bed-file">♪ {bed.file}</span>}
      </div>
      <label className="btn small tl-file">
        {bed ? 'Replace…' : 'Add music…'}
        <input
          type="file"
          accept=".wav,.mp3,audio/wav,audio/mpeg"
          data-testid="bed-file"
          disabled={!hasProject || busy}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setBusy(true);
            setError(await importMusicBed(file));
            setBusy(false);
          }}
        />
      </label>
      {bed && (
        <button className="btn small" onClick={() => setMusicBed(null)}>
          Remove
        </button>
      )}
      {busy && <span className="muted"> Importing…</span>}
      {error && (
        <div className="error-text" data-testid="bed-error">
          {error}
        </div>
      )}
      {bed && (
        <label className="tl-bed-mode">
          Plays{' '}
          <select
            data-testid="bed-mode"
            value={bed.mode ?? DEFAULT_BED_MODE}
            onChange={(e) => setMusicBed({ mode: e.target.value as BedMode })}
          >
            <option value="intro-outro">as intro and outro</option>
            <option value="under-all">under the whole episode</option>
          </select>
          <span className="muted" data-testid="bed-mode-hint">
            {(bed.mode ?? DEFAULT_BED_MODE) === 'under-all'
              ? 'Looped under every line, ducked under speech (projects before format 3 play this way).'
              : 'Music alone at the start and end, under the first and last seconds of speech, silent between.'}
          </span>
        </label>
      )}
      {bed && (
        <div className="tl-bed-grid">
          <BedField label="Level dB" field="gainDb" bed={bed} min={-60} max={12} step={1} />
          <BedField label="Duck dB" field="duckDb" bed={bed} min={-60} max={0} step={1} />
          <BedField label="Intro s" field="introSec" bed={bed} min={0} max={120} step={0.5} />
          <BedField label="Outro s" field="outroSec" bed={bed} min={0} max={120} step={0.5} />
          <BedField label="Fade in s" field="fadeInSec" bed={bed} min={0} max={60} step={0.5} />
          <BedField label="Fade out s" field="fadeOutSec" bed={bed} min={0} max={60} step={0.5} />
          {(bed.mode ?? DEFAULT_BED_MODE) === 'intro-outro' && (
            <BedField label="Under speech s" field="underSec" bed={bed} min={0} max={120} step={0.5} />
          )}
        </div>
      )}
      {!bed && (
        <p className="muted tl-hint">
          WAV or MP3: intro and outro music, {DEFAULT_BED.introSec} s alone and ducked under the first and
          last {DEFAULT_BED_UNDER_SEC} s of speech.
        </p>
      )}
    </div>
  );
}

/** Side panel of the timeline: loudness, the selected line's mix settings, the music bed. */
export function TimelineInspector() {
  return (
    <aside className="timeline-inspector" aria-label="Mix inspector" data-testid="timeline-inspector">
      <LoudnessReadout />
      <LineInspector />
      <MusicBedPanel />
    </aside>
  );
}
