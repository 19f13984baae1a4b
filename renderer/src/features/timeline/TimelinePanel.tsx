import { useEffect, useRef, useState } from 'react';
import { commands } from '../../commands';
import { formatDuration } from '../../state/episode-helpers';
import { useStore } from '../../state/store';
import { useStudio } from '../../state/studio-state';
import { refreshTimeline } from '../../state/timeline-actions';
import { createTimelineController, playhead, type TimelineController } from './timeline-controller';

const DEFAULT_ZOOM = 12;

function Playhead() {
  const time = useStore(playhead, (p) => p.time);
  const duration = useStore(playhead, (p) => p.duration);
  return (
    <span className="timecode" data-testid="timecode">
      {formatDuration(time)} / {formatDuration(duration)}
    </span>
  );
}

/** The bottom panel: waveform of the mixed episode with one region per voiced line. */
export function TimelinePanel() {
  const hostRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<TimelineController | null>(null);
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const status = useStudio((s) => s.timelineStatus);
  const error = useStudio((s) => s.timelineError);
  const timeline = useStudio((s) => s.timeline);
  const playing = useStudio((s) => s.ui.playing);
  const hasClips = useStudio((s) => Object.keys(s.episode.clips).length > 0);

  useEffect(() => {
    const controller = createTimelineController(hostRef.current!, DEFAULT_ZOOM);
    controllerRef.current = controller;
    return () => {
      controller.dispose();
      controllerRef.current = null;
    };
  }, []);

  const missing = timeline?.missing.length ?? 0;
  return (
    <section className="timeline-panel" aria-label="Timeline">
      <header className="timeline-head">
        <button
          className="btn icon play"
          data-testid="play-button"
          disabled={!timeline}
          onClick={() => void commands.playPause.perform()}
          title="Play/Pause (Space)"
          aria-label={playing ? 'Pause' : 'Play'}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <Playhead />
        <span className="timeline-title">Timeline</span>
        <span className="muted">
          {status === 'loading' && 'Mixing…'}
          {status === 'ready' && timeline && `${timeline.regions.length} clips`}
          {status === 'ready' && missing > 0 && ` · ${missing} line${missing === 1 ? '' : 's'} not voiced`}
          {status === 'error' && <span className="error-text">{error}</span>}
        </span>
        <span className="spacer" />
        <label className="zoom">
          Zoom
          <input
            type="range"
            min={2}
            max={200}
            value={zoom}
            onChange={(e) => {
              const v = Number(e.target.value);
              setZoom(v);
              controllerRef.current?.setZoom(v);
            }}
          />
        </label>
        <button
          className="btn small"
          onClick={() => void refreshTimeline()}
          disabled={!hasClips}
          title="Mix again"
        >
          ⟳
        </button>
      </header>
      <div className="timeline-body">
        <div
          className="timeline-host"
          data-testid="timeline"
          data-status={status}
          data-regions={timeline?.regions.length ?? 0}
          ref={hostRef}
        />
        {!timeline && (
          <div className="timeline-empty">
            {status === 'loading'
              ? 'Mixing the voiced lines…'
              : 'Voice the script to see the episode here. Click a region to jump to its line; Space plays and pauses.'}
          </div>
        )}
      </div>
    </section>
  );
}
