/**
 * Splits a line longer than an engine's request limit into pieces at sentence boundaries (then at
 * clause punctuation, then at spaces, and only as a last resort mid-word), each within the limit.
 */
import { splitSentences } from '../../../shared/draft/sentences';

/** Splits `text` into chunks of at most `maxChars` characters, in order, none empty. */
export function splitForEngine(text: string, maxChars: number): string[] {
  const clean = text.trim();
  if (!Number.isFinite(maxChars) || clean.length <= maxChars) return clean ? [clean] : [];
  const pieces = splitSentences(clean).flatMap((s) => (s.length <= maxChars ? [s] : splitLong(s, maxChars)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const joined = current ? `${current} ${piece}` : piece;
    if (joined.length <= maxChars) current = joined;
    else {
      if (current) chunks.push(current);
      current = piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** A sentence longer than the limit: break after clause punctuation, else at spaces. */
function splitLong(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = sentence.trim();
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    let cut = -1;
    for (const re of [/[,;:—–)](?=\s)/g, /\s/g]) {
      for (const m of window.matchAll(re)) if (m.index > maxChars / 3) cut = m.index + (m[0].trim() ? 1 : 0);
      if (cut > 0) break;
    }
    if (cut <= 0 || cut > maxChars) cut = maxChars;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out.filter(Boolean);
}
