/**
 * Edits the script editor's commands and quick fixes make, as pure functions over editor lines:
 * split a line at the cursor or at sentence boundaries, merge two lines, change the speaker,
 * replace an unknown speaker. Each returns the replacement text (or null when the edit does not
 * apply); the editor applies it as one undoable edit, and {@link parseScript}'s reconciliation
 * keeps the line's id on the first part (so it keeps its takes; its clip goes stale).
 */
import { sentenceSpans } from '../draft/sentences';
import { MAX_LINE_CHARS, readEditorLine } from './format';

function speechPrefix(speaker: string): string {
  return speaker === '' ? ': ' : `${speaker}: `;
}

/**
 * Splits a speech line at `offset` (0-based, in `raw`) into two lines by the same speaker.
 * Null when the line is not speech, the offset is not inside its text, or a half would be empty.
 */
export function splitLineAt(raw: string, offset: number): [string, string] | null {
  const info = readEditorLine(raw);
  if (!info || info.kind !== 'speech') return null;
  if (offset <= info.textStart || offset >= raw.length) return null;
  const head = raw.slice(0, offset).trimEnd();
  const tail = raw.slice(offset).trim();
  if (head.length <= info.textStart || tail === '') return null;
  return [head, `${speechPrefix(info.speaker)}${tail}`];
}

/**
 * Merges speech line `next` into speech line `first`: the first keeps its speaker and gets the
 * second's words appended. Null unless both are speech lines.
 */
export function mergeLines(first: string, next: string): string | null {
  const a = readEditorLine(first);
  const b = readEditorLine(next);
  if (!a || !b || a.kind !== 'speech' || b.kind !== 'speech') return null;
  const head = first.trimEnd();
  return b.text === '' ? head : `${head} ${b.text}`;
}

/**
 * Gives a speech line to the next persona in `personaNames` (wrapping; an unknown or missing
 * speaker becomes the first). Null when the line is not speech or there are no personas.
 */
export function cycleSpeaker(raw: string, personaNames: readonly string[]): string | null {
  const info = readEditorLine(raw);
  if (!info || info.kind !== 'speech' || personaNames.length === 0) return null;
  const at = personaNames.indexOf(info.speaker);
  const next = personaNames[(at + 1) % personaNames.length];
  const indent = raw.slice(0, info.nameStart);
  const text = raw.slice(info.textStart);
  return text === '' ? `${indent}${next}:` : `${indent}${next}: ${text}`;
}

/**
 * Splits `text` into parts of at most `max` characters, cutting at sentence ends where it can
 * (then at spaces, then anywhere), so no part exceeds what a voice engine accepts.
 */
export function splitTextAtSentences(text: string, max = MAX_LINE_CHARS): string[] {
  if (text.length <= max) return [text];
  // Candidate cut points: ends of sentences, as offsets into `text`.
  const ends = sentenceSpans(text).map((s) => s.end);
  const parts: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const limit = start + max;
    let cut = -1;
    for (const e of ends) if (e > start && e <= limit) cut = e;
    if (cut < 0) {
      const space = text.lastIndexOf(' ', limit);
      cut = space > start ? space : limit;
    }
    const part = text.slice(start, cut).trim();
    if (part) parts.push(part);
    start = cut;
    while (start < text.length && /\s/.test(text[start])) start++;
  }
  const rest = text.slice(start).trim();
  if (rest) parts.push(rest);
  return parts;
}

/**
 * The quick fix for an over-long speech line: the same speaker's lines, each within `max`
 * characters, split at sentence boundaries and joined with line breaks. Null when the line is
 * not speech or already fits.
 */
export function splitOverlongLine(raw: string, max = MAX_LINE_CHARS): string | null {
  const info = readEditorLine(raw);
  if (!info || info.kind !== 'speech' || info.text.length <= max) return null;
  const indent = raw.slice(0, info.nameStart);
  return splitTextAtSentences(info.text, max)
    .map((part) => `${indent}${speechPrefix(info.speaker)}${part}`)
    .join('\n');
}

/**
 * Persona names to offer for an unknown speaker, best first: a case-insensitive match, then
 * names sharing a prefix with what was typed, then the rest in persona order.
 */
export function speakerSuggestions(typed: string, personaNames: readonly string[]): string[] {
  const t = typed.trim().toLowerCase();
  const score = (name: string) => {
    const n = name.toLowerCase();
    if (n === t) return 0;
    if (t && (n.startsWith(t) || t.startsWith(n))) return 1;
    if (t && n[0] === t[0]) return 2;
    return 3;
  };
  return personaNames
    .map((name, i) => ({ name, i, s: score(name) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.name);
}
