import { useMemo, useState } from 'react';
import { lengthVersusTarget, targetMinutesOf } from '@shared/script/estimate';
import { commands, shortcutLabel } from '../../commands';
import { formatDuration, scriptStats } from '../../state/episode-helpers';
import { isJobActive } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';
import { VoiceCostMeter } from '../voices/VoiceCostMeter';
import { ExportDialog } from '../export/ExportDialog';
import { openExportDialog, useExportUi } from '../export/export-actions';
import { UndoRedo } from './UndoRedo';

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
  const target = targetMinutesOf(episode.show);
  const versus = lengthVersusTarget(stats.estimatedMinutes, target);
  return (
    <div className="stats" data-testid="script-stats">
      <span title="Speech lines">
        <b>{stats.speechLines}</b> lines
      </span>
      <span title="Words in speech lines">
        <b>{stats.words.toLocaleString()}</b> words
      </span>
      <span
        title={`Estimated at 150 words per minute, against a ${target}-minute target`}
        data-testid="duration-vs-target"
        className={versus === 'on-target' ? '' : 'warn-text'}
      >
        ≈<b>{formatDuration(stats.estimatedMinutes * 60)}</b> / {formatDuration(target * 60)}
      </span>
      <VoiceCostMeter />
      <span title="Lines with a current clip" data-testid="voiced-count">
        <b>
          {stats.voiced}/{stats.speechLines}
        </b>{' '}
        voiced
      </span>
      {stats.stale > 0 && (
        <span className="warn-text" data-testid="stale-count">
          {stats.stale} stale
        </span>
      )}
      {failed > 0 && <span className="error-text">{failed} failed</span>}
    </div>
  );
}

/**
 * The export dialog, mounted the first time it is opened and kept from then on (so its choices
 * survive closing it). Until then its size estimates, which walk the whole script, do not run on
 * every keystroke.
 */
function LazyExportDialog() {
  const open = useExportUi((s) => s.open);
  const [mounted, setMounted] = useState(open);
  if (open && !mounted) setMounted(true);
  return mounted || open ? <ExportDialog /> : null;
}

/** Voice all, Export, Rewrite/Redraft and Undo/Redo on one row; the script's numbers on the next. */
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
        title={`Voice every speech line (unchanged lines come from the clip cache) — ${shortcutLabel(commands.voiceAll.keybinding)}`}
        onClick={() => void commands.voiceAll.perform()}
      >
        {voicing ? 'Voicing…' : 'Voice all'}
      </button>
      <button
        className="btn"
        data-testid="export-button"
        disabled={!hasLines || exporting}
        title={
          hasClips
            ? 'Export: choose formats, bitrate, loudness, or one episode per listener'
            : 'Export (voice the lines first for MP3 and timed transcripts)'
        }
        onClick={openExportDialog}
      >
        {exporting ? 'Exporting…' : 'Export…'}
      </button>
      <LazyExportDialog />
      <button
        className="btn"
        data-testid="rewrite-line-button"
        disabled={!hasLines}
        title={`Rewrite the line under the cursor with an instruction — ${shortcutLabel(commands.rewriteLine.keybinding)}`}
        onClick={() => void commands.rewriteLine.perform()}
      >
        Rewrite line…
      </button>
      <button
        className="btn"
        data-testid="redraft-from-button"
        disabled={!hasLines}
        title={`Redraft from the cursor's line to the sign-off — ${shortcutLabel(commands.redraftFrom.keybinding)}`}
        onClick={() => void commands.redraftFrom.perform()}
      >
        Redraft from here…
      </button>
      <UndoRedo />
      <Stats />
    </div>
  );
}
