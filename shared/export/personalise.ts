/**
 * Per-listener episodes: the same script with another listener's name. Only lines that speak the
 * name change, so only they need new voice clips; every other line comes from the clip cache.
 */
import type { Episode } from '../model/episode';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the episode addressed to `listener`, with the ids of the lines whose text changed. */
export function personaliseForListener(
  episode: Episode,
  listener: string,
): { episode: Episode; changed: string[] } {
  const from = episode.show.listenerName.trim();
  const to = listener.trim();
  if (!to) throw new Error('A listener name cannot be empty');
  const changed: string[] = [];
  const pattern = from
    ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(from)}(?![\\p{L}\\p{N}])`, 'gu')
    : undefined;
  const lines = episode.lines.map((line) => {
    if (line.kind !== 'speech' || !pattern || from === to) return line;
    const text = line.text.replace(pattern, to);
    if (text === line.text) return line;
    changed.push(line.id);
    return { ...line, text };
  });
  return { episode: { ...episode, show: { ...episode.show, listenerName: to }, lines }, changed };
}

/** Reads listener names from a text or CSV file's content: one per line, first column, no header. */
export function parseListenerList(content: string): string[] {
  const names = content
    .split(/\r?\n/)
    .map((l) =>
      l
        .split(',')[0]
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    )
    .filter((n) => n && !/^(name|listener|listeners)$/i.test(n));
  return [...new Set(names)];
}
