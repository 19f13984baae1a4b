import { formatBytes, formatDuration } from '../../state/episode-helpers';
import { studio, useStudio } from '../../state/studio-state';

import type { ExportFormat } from '@shared/contract';

const FORMAT_LABEL: Record<ExportFormat, string> = {
  mp3: 'MP3 audio',
  transcript: 'Transcript',
  json: 'Episode JSON',
  srt: 'SRT subtitles',
  vtt: 'WebVTT',
  'podcast-json': 'Podcast transcript (JSON)',
  'show-notes': 'Show notes',
};

/** The files of the last export, with download links. */
export function ExportFiles() {
  const result = useStudio((s) => s.exportResult);
  if (!result) return null;
  return (
    <div className="export-files" data-testid="export-files">
      <span className="export-head">
        Exported <b>{formatDuration(result.durationSec)}</b>
      </span>
      {result.files.map((f) => (
        <a
          key={f.name}
          className="export-file"
          data-testid={`export-file-${f.name.replace(/\W+/g, '-')}`}
          href={f.url || undefined}
          download={f.name}
          target="_blank"
          rel="noreferrer"
          title={`${result.folder}/${f.name}`}
        >
          <span className="export-format">{FORMAT_LABEL[f.format]}</span>
          <span>{f.name}</span>
          <span className="muted">{formatBytes(f.bytes)}</span>
        </a>
      ))}
      <span className="spacer" />
      <span className="muted folder" title={result.folder}>
        {result.folder}
      </span>
      <button
        className="btn tiny ghost"
        aria-label="Close"
        onClick={() => studio.set({ exportResult: null })}
      >
        ×
      </button>
    </div>
  );
}
