/** Test support: what the real tools (ffprobe, ffmpeg's ebur128) say about an audio file. */
import { execFileSync, spawnSync } from 'node:child_process';

/** The container duration ffprobe reports, in seconds. */
export function probeDurationSec(file: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])
      .toString()
      .trim(),
  );
}

/** The summary of `ffmpeg -af ebur128=peak=true` (one decimal): integrated LUFS, true peak dBTP, LRA. */
export function ffmpegEbur128(file: string): {
  integrated: number;
  truePeak: number;
  lra: number;
  log: string;
} {
  // ebur128 logs to stderr; `-f null -` discards the audio.
  const log = spawnSync(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  ).stderr;
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const num = (re: RegExp): number => {
    const m = re.exec(summary);
    if (!m) throw new Error(`ffmpeg summary without ${re}:\n${summary}`);
    return Number(m[1]);
  };
  return {
    integrated: num(/I:\s+(-?[\d.]+) LUFS/),
    lra: num(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: num(/Peak:\s+(-?[\d.]+) dBFS/),
    log,
  };
}
