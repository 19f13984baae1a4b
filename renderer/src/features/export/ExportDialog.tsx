import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { BatchListenerResult, ExportFormat, JobResult } from '@shared/contract';
import { parseListenerList } from '@shared/export/personalise';
import { formatBytes, formatDuration } from '../../state/episode-helpers';
import { cancelJob } from '../../state/job-actions';
import { studio, useStudio } from '../../state/studio-state';
import {
  closeExportDialog,
  exportForListeners,
  exportUi,
  exportWithChoices,
  useExportUi,
} from './export-actions';
import { FolderPicker } from './FolderPicker';
import {
  ALL_FORMATS,
  BITRATES,
  DEFAULT_BITRATE,
  VBR_QUALITIES,
  estimateDuration,
  estimateSizes,
  FORMAT_FILES,
  FORMAT_LABEL,
  listenerNames,
  loadChoices,
  LOUDNESS_CHOICES,
  type Bitrate,
  type ExportChoices,
  type LoudnessChoice,
  type Mp3ModeChoice,
} from './export-options';

type Loudness = NonNullable<Extract<JobResult, { kind: 'export' }>['loudness']>;
type ExportedFile = Extract<JobResult, { kind: 'export' }>['files'][number];

const lufs = (v: number | null) => (v === null ? '−∞' : v.toFixed(1).replace('-', '−'));

/** Loudness before → after mastering, as the job measured it. */
export function LoudnessReport({ loudness, testId }: { loudness: Loudness; testId?: string }) {
  const { before, after, gainDb, target } = loudness;
  return (
    <p className="export-loudness" data-testid={testId}>
      Loudness <b>{lufs(before.integratedLufs)}</b> → <b>{lufs(after.integratedLufs)} LUFS</b>{' '}
      <span className="muted">
        (true peak {lufs(before.truePeakDbtp)} → {lufs(after.truePeakDbtp)} dBTP, gain{' '}
        {gainDb >= 0 ? '+' : '−'}
        {Math.abs(gainDb).toFixed(1)} dB, target {lufs(target.integratedLufs)} LUFS)
      </span>
    </p>
  );
}

function FileLinks({ files, prefix }: { files: ExportedFile[]; prefix: string }) {
  return (
    <ul className="export-links">
      {files.map((f) => (
        <li key={f.name}>
          <a
            href={f.url || undefined}
            download={f.name}
            target="_blank"
            rel="noreferrer"
            data-testid={`${prefix}-${f.name.replace(/\W+/g, '-')}`}
          >
            {f.name}
          </a>{' '}
          <span className="muted">
            {FORMAT_LABEL[f.format]} · {formatBytes(f.bytes)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function BatchTable({ rows }: { rows: BatchListenerResult[] }) {
  return (
    <table className="export-batch-table" data-testid="export-batch-result">
      <thead>
        <tr>
          <th>Listener</th>
          <th title="Lines sent to the voice engine / lines from the clip cache">Voiced / cached</th>
          <th>Files</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.listener}-${i}`} data-testid="export-batch-row" data-listener={r.listener}>
            <td>{r.listener}</td>
            <td data-testid="export-batch-voiced">
              {r.linesVoiced} / {r.linesFromCache}
            </td>
            <td>
              {r.error ? (
                <span className="error-text" data-testid="export-batch-error">
                  {r.error.message}
                </span>
              ) : (
                <FileLinks files={r.files} prefix={`export-batch-file-${i}`} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the dialog's last job is doing, or what it made. */
function JobStatus() {
  const jobId = useExportUi((s) => s.jobId);
  const job = useStudio((s) => (jobId ? s.jobs[jobId] : undefined));
  if (!job) return null;
  const active = job.status === 'queued' || job.status === 'running';
  const result = job.result;
  return (
    <section className="export-status" data-testid="export-status" data-status={job.status}>
      {active && (
        <div className="export-progress">
          <span className="job-progress" aria-label={`${Math.round(job.percent)} percent`}>
            <span className="job-progress-fill" style={{ width: `${Math.max(2, job.percent)}%` }} />
          </span>
          <span className="muted">{job.message}</span>
          <button className="btn tiny" data-testid="export-cancel" onClick={() => void cancelJob(job.jobId)}>
            Cancel
          </button>
        </div>
      )}
      {job.status === 'canceled' && <p className="muted">Export canceled; no file was left half-written.</p>}
      {job.status === 'failed' && <p className="error-text">{job.error?.message ?? job.message}</p>}
      {result?.kind === 'export' && (
        <div data-testid="export-result">
          <p>
            Exported <b>{formatDuration(result.durationSec)}</b> into{' '}
            <span className="muted folder">{result.folder}</span>
          </p>
          {result.loudness && <LoudnessReport loudness={result.loudness} testId="export-loudness" />}
          <FileLinks files={result.files} prefix="export-result-file" />
        </div>
      )}
      {result?.kind === 'export-batch' && (
        <div>
          <p>
            {result.listeners.filter((l) => !l.error).length} of {result.listeners.length} listeners exported
            into <span className="muted folder">{result.folder}</span>
          </p>
          <BatchTable rows={result.listeners} />
        </div>
      )}
    </section>
  );
}

/** A labelled drop-down of the dialog's MP3 choices. */
function ChoiceSelect({
  label,
  testId,
  value,
  options,
  disabled,
  title,
  onChange,
}: {
  label: string;
  testId: string;
  value: string | number;
  options: readonly { value: string | number; label: string }[];
  disabled: boolean;
  title?: string;
  onChange: (value: string) => void;
}) {
  return (
    <label title={title}>
      {label}{' '}
      <select
        data-testid={testId}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Formats, bitrate, loudness, estimates, and one episode or one per listener. */
const CLOSED = Symbol('closed');

export function ExportDialog() {
  const open = useExportUi((s) => s.open);
  const starting = useExportUi((s) => s.starting);
  // While closed, the dialog does not follow every keystroke (its estimates cost ~20 ms on a
  // long script); it reads the current episode whenever it does render.
  const episodeSel = useStudio((s) => (open ? s.episode : CLOSED));
  const timelineSel = useStudio((s) => (open ? s.timeline : CLOSED));
  const episode = episodeSel === CLOSED ? studio.get().episode : episodeSel;
  const timeline = timelineSel === CLOSED ? studio.get().timeline : timelineSel;
  const busy = useStudio((s) =>
    Object.values(s.jobs).some(
      (j) => j.kind === 'export' && (j.status === 'queued' || j.status === 'running'),
    ),
  );
  const [choices, setChoices] = useState<ExportChoices>(() => loadChoices());
  const [perListener, setPerListener] = useState(false);
  const [listenersText, setListenersText] = useState('');
  const [csvNote, setCsvNote] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialogRef.current!;
    if (open && !d.open) {
      setChoices(loadChoices());
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const duration = useMemo(() => estimateDuration(episode, timeline), [episode, timeline]);
  const sizes = useMemo(
    () => estimateSizes(episode, choices, duration.durationSec),
    [episode, choices, duration.durationSec],
  );
  const sizeText = (f: ExportFormat): string => {
    const s = sizes.find((x) => x.format === f);
    if (!s) return '';
    return s.low === s.high ? `≈ ${formatBytes(s.bytes)}` : `${formatBytes(s.low)}–${formatBytes(s.high)}`;
  };
  const listeners = useMemo(() => listenerNames(listenersText), [listenersText]);
  const copies = perListener ? Math.max(1, listeners.length) : 1;
  const low = sizes.reduce((n, s) => n + s.low, 0) * copies;
  const high = sizes.reduce((n, s) => n + s.high, 0) * copies;
  const hasMp3 = choices.formats.includes('mp3');

  const toggle = (f: ExportFormat) =>
    setChoices((c) => ({
      ...c,
      formats: c.formats.includes(f) ? c.formats.filter((x) => x !== f) : [...c.formats, f],
    }));

  const onCsv = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const names = parseListenerList(await file.text());
    setListenersText(names.join('\n'));
    setCsvNote(`${names.length} name${names.length === 1 ? '' : 's'} from ${file.name}`);
  };

  const canStart = choices.formats.length > 0 && !busy && !starting && (!perListener || listeners.length > 0);
  const start = () => {
    if (perListener) void exportForListeners(choices, listeners);
    else void exportWithChoices(choices);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog export-dialog"
      data-testid="export-dialog"
      onClose={() => exportUi.set({ open: false })}
    >
      <header className="dialog-head">
        <h2>Export episode</h2>
        <button className="btn tiny ghost" aria-label="Close" onClick={closeExportDialog}>
          ×
        </button>
      </header>

      <fieldset className="export-formats">
        <legend>Formats</legend>
        {ALL_FORMATS.map((f) => (
          <label key={f} className="export-format-row">
            <input
              type="checkbox"
              data-testid={`export-format-${f}`}
              checked={choices.formats.includes(f)}
              onChange={() => toggle(f)}
            />
            <span className="export-format-name">{FORMAT_LABEL[f]}</span>
            <span className="muted">{FORMAT_FILES[f]}</span>
            <span className="muted export-size" data-testid={`export-size-${f}`}>
              {sizeText(f)}
            </span>
          </label>
        ))}
      </fieldset>

      <div className="export-row">
        <ChoiceSelect
          label="MP3"
          testId="export-mode"
          value={choices.mode}
          disabled={!hasMp3}
          options={[
            { value: 'cbr', label: 'CBR (constant)' },
            { value: 'vbr', label: 'VBR (variable)' },
          ]}
          onChange={(v) => setChoices((c) => ({ ...c, mode: v as Mp3ModeChoice }))}
        />
        {choices.mode === 'cbr' ? (
          <ChoiceSelect
            label="Bitrate"
            testId="export-bitrate"
            value={choices.bitrateKbps}
            disabled={!hasMp3}
            options={BITRATES.map((b) => ({ value: b, label: `${b} kbps` }))}
            onChange={(v) => setChoices((c) => ({ ...c, bitrateKbps: Number(v) as Bitrate }))}
          />
        ) : (
          <ChoiceSelect
            label="Quality"
            testId="export-vbr-quality"
            value={choices.vbrQuality}
            disabled={!hasMp3}
            options={VBR_QUALITIES.map((v) => ({ value: v.q, label: v.label }))}
            onChange={(v) => setChoices((c) => ({ ...c, vbrQuality: Number(v) }))}
          />
        )}
        <ChoiceSelect
          label="Channels"
          title="The mix is mono; stereo carries it in both channels (dual-mono) for players that expect two"
          testId="export-channels"
          value={choices.channels}
          disabled={!hasMp3}
          options={[
            { value: 1, label: 'Mono' },
            { value: 2, label: 'Stereo (dual-mono)' },
          ]}
          onChange={(v) => {
            const channels = Number(v) === 2 ? 2 : 1;
            // Each channel count starts at its own default bit rate (64 mono, 128 stereo).
            setChoices((c) => ({ ...c, channels, bitrateKbps: DEFAULT_BITRATE[channels] }));
          }}
        />
        <ChoiceSelect
          label="Loudness"
          testId="export-loudness-preset"
          value={choices.loudness}
          disabled={!hasMp3}
          options={LOUDNESS_CHOICES.map((l) => ({ value: l.id, label: l.label }))}
          onChange={(v) => setChoices((c) => ({ ...c, loudness: v as LoudnessChoice }))}
        />
      </div>

      <p className="export-estimate" data-testid="export-estimate">
        Duration{' '}
        <b data-testid="export-duration">
          {duration.exact ? '' : '≈ '}
          {formatDuration(duration.durationSec)}
        </b>
        {' · '}estimated size{' '}
        <b data-testid="export-size">
          {low === high ? `≈ ${formatBytes(low)}` : `${formatBytes(low)}–${formatBytes(high)}`}
        </b>
        {choices.mode === 'vbr' && hasMp3 && <span className="muted"> (VBR: depends on the audio)</span>}
        {copies > 1 && <span className="muted"> for {copies} listeners</span>}
        {!duration.exact && <span className="muted"> (some lines are not voiced yet)</span>}
      </p>

      <div className="export-row">
        <label>
          <input
            type="radio"
            name="export-mode"
            checked={!perListener}
            onChange={() => setPerListener(false)}
          />{' '}
          One episode
        </label>
        <label>
          <input
            type="radio"
            name="export-mode"
            data-testid="export-per-listener"
            checked={perListener}
            onChange={() => setPerListener(true)}
          />{' '}
          One per listener
        </label>
      </div>
      {perListener && (
        <div className="export-listeners">
          <textarea
            data-testid="export-listeners"
            rows={4}
            placeholder={'Listener names, one per line\nAnn\nBob'}
            value={listenersText}
            onChange={(e) => {
              setListenersText(e.target.value);
              setCsvNote(null);
            }}
          />
          <div className="export-listeners-side">
            <label className="btn tiny">
              Open CSV…
              <input
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                hidden
                data-testid="export-listeners-file"
                onChange={(e) => void onCsv(e)}
              />
            </label>
            <span className="muted">
              {csvNote ?? `${listeners.length} listener${listeners.length === 1 ? '' : 's'}`}
            </span>
            <span className="muted">
              Only lines that say “{episode.show.listenerName}” are re-voiced; the rest come from the clip
              cache.
            </span>
          </div>
        </div>
      )}

      <FolderPicker folder={choices.folder} onChange={(folder) => setChoices((c) => ({ ...c, folder }))} />
      <p className="muted export-where">
        Files go to a new folder named by date and time inside{' '}
        {choices.folder ? (
          'the chosen folder'
        ) : (
          <>
            the project’s <code>exports/</code>
          </>
        )}
        ; nothing is overwritten.
      </p>
      <div className="dialog-actions export-actions">
        <button className="btn primary" data-testid="export-start" disabled={!canStart} onClick={start}>
          {starting
            ? 'Starting…'
            : perListener
              ? `Export ${listeners.length} episode${listeners.length === 1 ? '' : 's'}`
              : 'Export'}
        </button>
        <button className="btn ghost" onClick={closeExportDialog}>
          Close
        </button>
      </div>
      <JobStatus />
    </dialog>
  );
}
