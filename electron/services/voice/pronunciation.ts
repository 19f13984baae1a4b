/**
 * The show's pronunciation dictionary: each entry's word is replaced, whole-word and
 * case-insensitively, by how to say it, before any engine sees the text (so the clip hash
 * changes when an entry that affects a line changes).
 */
import type { Pronunciation } from '../../../shared/model/episode';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Applies `dictionary` to `text`. Longer words win over their prefixes ("S&P 500" before "S&P"),
 * a replacement is never itself rewritten, and word edges are letters/digits, so entries such as
 * "$TSLA" or "C++" work too.
 */
export function applyPronunciations(text: string, dictionary: readonly Pronunciation[] | undefined): string {
  const entries = (dictionary ?? [])
    .map((e) => ({ word: e.word.trim(), say: e.say }))
    .filter((e) => e.word.length > 0);
  if (entries.length === 0) return text;
  entries.sort((a, b) => b.word.length - a.word.length);
  const byWord = new Map<string, string>();
  for (const e of entries) if (!byWord.has(e.word.toLowerCase())) byWord.set(e.word.toLowerCase(), e.say);
  const edge = '[\\p{L}\\p{N}_]';
  const pattern = new RegExp(
    `(?<!${edge})(?:${[...byWord.keys()].map(escapeRegExp).join('|')})(?!${edge})`,
    'giu',
  );
  return text.replace(pattern, (m) => byWord.get(m.toLowerCase()) ?? m);
}
