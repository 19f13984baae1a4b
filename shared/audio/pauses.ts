/**
 * Silence after each speech line: the episode's default pause plus every `[pause …]` line that
 * follows it before the next speech line. Comments and headings add nothing.
 */
import type { LineAudio, ScriptLine } from '../model/episode';

/** lineId → seconds of silence after that speech line. */
export function pauseAfterLines(lines: readonly ScriptLine[], defaultPauseSec: number): Map<string, number> {
  const out = new Map<string, number>();
  let current: string | undefined;
  for (const line of lines) {
    if (line.kind === 'speech') {
      current = line.id;
      out.set(current, defaultPauseSec);
    } else if (line.kind === 'pause' && current !== undefined) {
      out.set(current, (out.get(current) ?? defaultPauseSec) + line.seconds);
    }
  }
  return out;
}

/**
 * Silence after each speech line as the mix uses it: `lineAudio[id].pauseAfterSec` when the
 * producer set one (a dragged region end), else {@link pauseAfterLines}.
 */
export function effectivePauses(
  lines: readonly ScriptLine[],
  defaultPauseSec: number,
  lineAudio: Readonly<Record<string, LineAudio>> | undefined,
): Map<string, number> {
  const out = pauseAfterLines(lines, defaultPauseSec);
  if (lineAudio) {
    for (const [id, a] of Object.entries(lineAudio)) {
      if (a.pauseAfterSec !== undefined && out.has(id)) out.set(id, a.pauseAfterSec);
    }
  }
  return out;
}
