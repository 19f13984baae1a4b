/**
 * Silence after each speech line: the episode's default pause plus every `[pause …]` line that
 * follows it before the next speech line. Comments and headings add nothing.
 */
import type { ScriptLine } from '../model/episode';

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
