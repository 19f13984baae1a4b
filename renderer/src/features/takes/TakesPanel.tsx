import { useEffect } from 'react';
import { useStudio } from '../../state/studio-state';
import {
  auditionTake,
  cancelLine,
  deleteTake,
  formatUsd,
  loadTakes,
  newTake,
  pinTake,
  useVoice,
  type TakeView,
} from '../../state/voice-actions';

function timeOf(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function TakeRow({
  take,
  index,
  lineId,
  only,
}: {
  take: TakeView;
  index: number;
  lineId: string;
  only: boolean;
}) {
  const playing = useVoice((s) => s.auditioning === take.hash);
  const lineText = useStudio((s) => {
    const l = s.episode.lines.find((x) => x.id === lineId);
    return l?.kind === 'speech' ? l.text : undefined;
  });
  const otherWords = take.text !== undefined && lineText !== undefined && take.text !== lineText;
  return (
    <li
      className={`take ${take.current ? 'current' : ''} ${take.pinned ? 'pinned' : ''}`}
      data-testid="take"
      data-hash={take.hash}
      data-current={take.current}
      data-pinned={take.pinned}
      data-duration={take.durationSec.toFixed(3)}
    >
      <button
        className="btn tiny icon"
        data-testid="take-play"
        disabled={!take.available || !take.url}
        aria-label={playing ? 'Stop' : `Play take ${index + 1}`}
        title={take.available ? 'Play this take (A/B: another one stops it)' : 'The audio file is missing'}
        onClick={() => auditionTake(take)}
      >
        {playing ? '■' : '▶'}
      </button>
      <span className="take-n">#{index + 1}</span>
      <span className="take-voice" title={take.voice}>
        {take.voice}
      </span>
      <span className="take-meta" title={take.createdAt}>
        {timeOf(take.createdAt)}
      </span>
      <span className="take-meta num-cell">{take.durationSec.toFixed(1)} s</span>
      <span className="take-meta num-cell" title="What this take cost">
        {formatUsd(take.costUsd)}
      </span>
      <span className="take-badges">
        {take.current && <span className="tag ok">in timeline</span>}
        {take.pinned && <span className="tag accent">pinned</span>}
        {otherWords && (
          <span className="tag warn" title={`Voiced: “${take.text}”`}>
            older words
          </span>
        )}
      </span>
      <span className="spacer" />
      {take.pinned ? (
        <button
          className="btn tiny"
          data-testid="take-unpin"
          title="Unpin: “Voice all” may replace it again"
          onClick={() => void pinTake(lineId, take.hash, false)}
        >
          Unpin
        </button>
      ) : (
        <button
          className="btn tiny"
          data-testid="take-pin"
          disabled={!take.available}
          title="Use this take in the timeline and keep it through “Voice all”"
          onClick={() => void pinTake(lineId, take.hash)}
        >
          Pin
        </button>
      )}
      <button
        className="btn tiny ghost"
        data-testid="take-delete"
        disabled={only}
        title={only ? 'The only take of this line' : 'Delete this take (and its file)'}
        aria-label={`Delete take ${index + 1}`}
        onClick={() => void deleteTake(lineId, take.hash)}
      >
        Delete
      </button>
    </li>
  );
}

/** Every take of the speech line under the editor's cursor: play A/B, pin one, delete others. */
export function TakesPanel() {
  const lineId = useStudio((s) => s.ui.cursorLineId);
  const projectId = useStudio((s) => s.projectId);
  const line = useStudio((s) => s.episode.lines.find((l) => l.id === lineId));
  const lineTakes = useStudio((s) => (lineId ? s.episode.takes?.[lineId] : undefined));
  const clipHash = useStudio((s) => (lineId ? s.episode.clips[lineId]?.hash : undefined));
  // An undone pin changes only the pin: the list must show it too.
  const pinnedHash = useStudio((s) => (lineId ? s.episode.pinned?.[lineId] : undefined));
  const rendering = useStudio((s) => (lineId ? Boolean(s.rendering[lineId]) : false));
  const progress = useVoice((s) => (lineId ? s.lineProgress[lineId] : undefined));
  const takes = useVoice((s) => s.takes);

  useEffect(() => {
    void loadTakes(lineId);
  }, [lineId, projectId, lineTakes, clipHash, pinnedHash]);

  if (!lineId || line?.kind !== 'speech') {
    return (
      <section className="takes-panel empty" data-testid="takes-panel" aria-label="Takes">
        <span className="takes-title">Takes</span>
        <span className="muted">Put the cursor on a speech line to compare, pin and delete its takes.</span>
      </section>
    );
  }
  const list = takes?.lineId === lineId ? takes.list : [];
  return (
    <section className="takes-panel" data-testid="takes-panel" data-line={lineId} aria-label="Takes">
      <header className="takes-head">
        <span className="takes-title">Takes</span>
        <span className="takes-line" title={line.text}>
          <b>{line.speaker}:</b> {line.text}
        </span>
        {rendering && (
          <span className="muted" data-testid="line-progress">
            {progress?.status === 'retrying' ? progress.message : 'Voicing…'}
          </span>
        )}
        <span className="spacer" />
        {rendering ? (
          <button className="btn tiny" onClick={() => void cancelLine(lineId)}>
            Cancel line
          </button>
        ) : (
          <button
            className="btn tiny"
            data-testid="take-new"
            disabled={!projectId && !line.text}
            title="Voice this line again as a new take, even if it is cached (unpins it)"
            onClick={() => void newTake(lineId)}
          >
            + New take
          </button>
        )}
      </header>
      {takes?.status === 'error' && <div className="error-text">{takes.error}</div>}
      {list.length === 0 ? (
        <div className="muted takes-empty">
          {takes?.status === 'loading' ? 'Loading…' : 'No takes yet: voice the line to make one.'}
        </div>
      ) : (
        <ol className="take-list">
          {list.map((t, i) => (
            <TakeRow key={t.hash} take={t} index={i} lineId={lineId} only={list.length === 1} />
          ))}
        </ol>
      )}
    </section>
  );
}
