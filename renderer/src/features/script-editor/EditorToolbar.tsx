import { useMemo } from 'react';
import { commands } from '../../commands';
import { formatDuration, scriptStats } from '../../state/episode-helpers';
import { isJobActive } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';

function Stats() {
  const episode = useStudio((s) => s.episode);
  const voicedWith = useStudio((s) => s.voicedWith);
  const rendering = useStudio((s) => s.rendering);
  const failedLines = useStudio((s) => s.failedLines);
  const stats = useMemo(
    () => scriptStats({ episode, voicedWith, rendering, failedLines }),
    [episode, voicedWith, rendering, failedLines],
  );
  const failed = Object.keys(failedLines).length;
  return (
    <div className="stats" data-testid="script-stats">
      <span title="Speech lines">
        <b>{stats.speechLines}</b> lines
      </span>
      <span title="Words in speech lines">
        <b>{stats.words.toLocaleString()}</b> words
      </span>
      <span title="Estimated at 150 words per minute">
        ≈<b>{formatDuration(stats.estimatedMinutes * 60)}</b>
      </span>
      <span title="Lines with a current clip" data-testid="voiced-count">
        <b>
          {stats.voiced}/{stats.speechLines}
        </b>{' '}
        voiced
      </span>
      {stats.stale > 0 && <span className="warn-text">{stats.stale} stale</span>}
      {failed > 0 && <span className="error-text">{failed} failed</span>}
    </div>
  );
}

/** Voice all, Export, and the script's numbers. */
export function EditorToolbar() {
  const hasLines = useStudio((s) => s.episode.lines.some((l) => l.kind === 'speech'));
  const voicing = useStudio((s) => isJobActive(s.jobs, 'voice'));
  const exporting = useStudio((s) => isJobActive(s.jobs, 'export'));
  const hasClips = useStudio((s) => Object.keys(s.episode.clips).length > 0);
  return (
    <div className="toolbar">
      <span className="toolbar-title">Script</span>
      <button
        className="btn accent"
        data-testid="voice-all"
        disabled={!hasLines}
        title="Voice every speech line (unchanged lines come from the clip cache) — Ctrl+Shift+Enter"
        onClick={() => void commands.voiceAll.perform()}
      >
        {voicing ? 'Voicing…' : 'Voice all'}
      </button>
      <button
        className="btn"
        data-testid="export-button"
        disabled={!hasLines || exporting}
        title={hasClips ? 'Export MP3, transcript and JSON' : 'Export (lines not voiced yet are voiced first)'}
        onClick={() => void commands.exportEpisode.perform()}
      >
        {exporting ? 'Exporting…' : 'Export'}
      </button>
      <span className="spacer" />
      <Stats />
    </div>
  );
}
