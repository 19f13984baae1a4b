import { useEffect, useRef } from 'react';
import { commands } from '../../commands';
import { formatDuration } from '../../state/episode-helpers';
import { useStore } from '../../state/store';
import { useStudio } from '../../state/studio-state';
import { refreshTimeline } from '../../state/timeline-actions';
import { useStore as useLocalStore } from '../../state/store';
import { setLineAudio } from './timeline-audio';
import { TimelineInspector } from './TimelineInspector';
import {
  createTimelineController,
  playhead,
  zoomState,
  type TimelineController,
} from './timeline-controller';

const DEFAULT_ZOOM = 12;
/** Zoom slider steps on a log scale: 0 = whole episode, 1000 = deepest. */
const ZOOM_STEPS = 1000;

function zoomToSlider(px: number, min: number, max: number): number {
  return Math.round((Math.log(px / min) / Math.log(max / min)) * ZOOM_STEPS);
}

function sliderToZoom(v: number, min: number, max: number): number {
  return min * Math.pow(max / min, v / ZOOM_STEPS);
}

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
  const zoom = useLocalStore(zoomState, (z) => z);
  const status = useStudio((s) => s.timelineStatus);
  const error = useStudio((s) => s.timelineError);
  const timeline = useStudio((s) => s.timeline);
  const playing = useStudio((s) => s.ui.playing);
  const hasClips = useStudio((s) => Object.keys(s.episode.clips).length > 0);

  useEffect(() => {
    const controller = createTimelineController(hostRef.current!, DEFAULT_ZOOM, {
      onPauseDrag: (lineId, pauseAfterSec) => setLineAudio(lineId, { pauseAfterSec }, 0),
    });
    controllerRef.current = controller;
    return () => {
      controller.dispose();
      controllerRef.current = null;
    };
  }, []);

  const missing = timeline?.missing.length ?? 0;
  return (
    <section
      className="timeline-panel"
      aria-label="Timeline"
      tabIndex={-1}
      onKeyDown={(e) => {
        if ((e.target as HTMLElement).closest('input, textarea, select')) return;
        if (e.key === '+' || e.key === '=') controllerRef.current?.zoomBy(1.5);
        else if (e.key === '-' || e.key === '_') controllerRef.current?.zoomBy(1 / 1.5);
        else return;
        e.preventDefault();
      }}
    >
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
        <label className="zoom" title="Zoom (Ctrl+wheel, + and − keys)">
          Zoom
          <input
            type="range"
            min={0}
            max={ZOOM_STEPS}
            data-testid="zoom"
            data-px-per-sec={zoom.pxPerSec.toFixed(2)}
            value={zoomToSlider(zoom.pxPerSec, zoom.min, zoom.max)}
            onChange={(e) =>
              controllerRef.current?.setZoom(sliderToZoom(Number(e.target.value), zoom.min, zoom.max))
            }
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
          data-duration={timeline?.durationSec.toFixed(3) ?? '0'}
          ref={hostRef}
        />
        {!timeline && (
          <div className="timeline-empty">
            {status === 'loading'
              ? 'Mixing the voiced lines…'
              : 'Voice the script to see the episode here. Click a region to jump to its line; Space plays and pauses.'}
          </div>
        )}
        <TimelineInspector />
      </div>
    </section>
  );
}
