import { formatBytes, formatDuration } from '../../state/episode-helpers';
import { studio, useStudio } from '../../state/studio-state';

import { FORMAT_LABEL } from './export-options';

/** The files of the last export, with download links. */
export function ExportFiles() {
  const result = useStudio((s) => s.exportResult);
  if (!result) return null;
  return (
    <div className="export-files" data-testid="export-files">
      <span className="export-head">
        Exported <b>{formatDuration(result.durationSec)}</b>
      </span>
      {result.loudness && (
        <span
          className="muted"
          data-testid="export-files-loudness"
          title="Integrated loudness before → after mastering"
        >
          {result.loudness.before.integratedLufs?.toFixed(1) ?? '−∞'} →{' '}
          {result.loudness.after.integratedLufs?.toFixed(1) ?? '−∞'} LUFS
        </span>
      )}
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
