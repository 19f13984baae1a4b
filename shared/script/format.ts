/**
 * The script text format the producer edits:
 *
 * ```
 * ## The story
 * Ada: Good morning …
 * Ben: And I'm Ben.
 * ```
 *
 * - `Speaker: text` is a speech line (the speaker is everything before the first colon);
 * - `## Title` is a heading (a chapter of the exported MP3);
 * - `[pause 1.5s]` (or `[pause 800ms]`) adds silence at that point, up to 10 seconds;
 * - `# note` is a comment: kept in the script, never voiced;
 * - blank lines are ignored;
 * - any other non-blank line is a speech line with speaker "" (diagnostics flag it); a line
 *   written `: text` is the explicit form of that, used when printing such a line would
 *   otherwise read as a heading or a speaker.
 */
import type { ScriptLine } from '../model/episode';

/** A problem in the script text, positioned for an editor (Monaco-style, 1-based). */
export type ScriptDiagnostic = {
  /** 1-based editor line. */
  line: number;
  /** 1-based column of the first character. */
  startColumn: number;
  /** 1-based column just after the last character (exclusive), as Monaco markers expect. */
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** What kind of problem this is; quick fixes key on it. */
  code: ScriptDiagnosticCode;
};

/** Kinds of problem the editor flags (see docs/script-format.md). */
export type ScriptDiagnosticCode =
  | 'unknown-speaker'
  | 'missing-speaker'
  | 'empty-line'
  | 'empty-heading'
  | 'too-long'
  | 'long-line'
  | 'same-speaker'
  | 'long-pause'
  | 'grounding';

/**
 * Longest speech text (characters) a voice engine is sent in one request: OpenAI's speech
 * endpoint accepts 4,096 characters, so longer lines are flagged with a split quick fix.
 */
export const MAX_LINE_CHARS = 4096;

/** One parsed, non-blank editor line, before ids are assigned. */
type Entry =
  | {
      kind: 'speech';
      speaker: string;
      text: string;
      /** 0-based offsets of the speaker name in the editor line (when there is one). */
      nameStart: number;
      nameEnd: number;
    }
  | { kind: 'heading'; text: string }
  | { kind: 'pause'; seconds: number }
  | { kind: 'comment'; text: string };

/** Longest pause a `[pause …]` line can ask for, in seconds. */
export const MAX_PAUSE_SEC = 10;
const PAUSE = /^\s*\[\s*pause\s+(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)?\s*\]\s*$/i;
const COMMENT = /^\s*#(?!#)[ \t]?(.*?)\s*$/;

/** Seconds a `[pause …]` line asks for (unclamped), or undefined when the line is not one. */
export function pauseSeconds(raw: string): number | undefined {
  const m = PAUSE.exec(raw);
  if (!m) return undefined;
  const value = Number(m[1]);
  return m[2]?.toLowerCase() === 'ms' ? value / 1000 : value;
}

const HEADING = /^\s*##(?!#)[ \t]*(.*?)\s*$/;
/** "Name: text" — names follow the persona rules: no colon, "#", brackets; at most 80 chars. */
const SPEAKER = /^(\s*)([^:#[\]\s][^:#[\]]{0,79}?)\s*:[ \t]?(.*)$/;
const EXPLICIT_NO_SPEAKER = /^\s*:[ \t]?(.*)$/;
/** Speech lines longer than this get an info diagnostic suggesting a split. */
const LONG_LINE_WORDS = 150;

function splitEditorLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Parses one editor line; `undefined` for blank lines. */
function parseEditorLine(raw: string): Entry | undefined {
  if (raw.trim() === '') return undefined;
  const heading = HEADING.exec(raw);
  if (heading) return { kind: 'heading', text: heading[1] };
  const pause = pauseSeconds(raw);
  if (pause !== undefined)
    return { kind: 'pause', seconds: Math.min(MAX_PAUSE_SEC, Math.round(pause * 1000) / 1000) };
  const comment = COMMENT.exec(raw);
  if (comment) return { kind: 'comment', text: comment[1] };
  const explicit = EXPLICIT_NO_SPEAKER.exec(raw);
  if (explicit) return { kind: 'speech', speaker: '', text: explicit[1].trim(), nameStart: 0, nameEnd: 0 };
  const named = SPEAKER.exec(raw);
  if (named) {
    const nameStart = named[1].length;
    const speaker = named[2].trim();
    return { kind: 'speech', speaker, text: named[3].trim(), nameStart, nameEnd: nameStart + speaker.length };
  }
  return { kind: 'speech', speaker: '', text: raw.trim(), nameStart: 0, nameEnd: 0 };
}

/** One editor line as the format reads it, with where its parts sit (0-based offsets). */
export type EditorLineInfo =
  | {
      kind: 'speech';
      speaker: string;
      text: string;
      /** Offsets of the speaker name ([nameStart, nameEnd); equal when there is none). */
      nameStart: number;
      nameEnd: number;
      /** Offset where the (trimmed) text starts; the line's length when the text is empty. */
      textStart: number;
    }
  | { kind: 'heading'; text: string; textStart: number }
  | { kind: 'pause'; seconds: number; textStart: number }
  | { kind: 'comment'; text: string; textStart: number };

/** Offset of the first non-blank character at or after `from`, or the line's length. */
function skipBlanks(raw: string, from: number): number {
  let i = from;
  while (i < raw.length && /\s/.test(raw[i])) i++;
  return i;
}

/**
 * Reads one editor line the way {@link parseScript} does; `undefined` for a blank line. For the
 * editor's commands (split, merge, change speaker) and hovers.
 */
export function readEditorLine(raw: string): EditorLineInfo | undefined {
  const entry = parseEditorLine(raw);
  if (!entry) return undefined;
  if (entry.kind === 'heading') return { ...entry, textStart: skipBlanks(raw, raw.indexOf('##') + 2) };
  if (entry.kind === 'pause') return { ...entry, textStart: skipBlanks(raw, 0) };
  if (entry.kind === 'comment') return { ...entry, textStart: skipBlanks(raw, raw.indexOf('#') + 1) };
  const hasColon = entry.nameEnd > 0 || EXPLICIT_NO_SPEAKER.test(raw);
  const textStart = hasColon ? skipBlanks(raw, raw.indexOf(':', entry.nameEnd) + 1) : skipBlanks(raw, 0);
  return { ...entry, textStart };
}

/** Whether `text`, printed without a speaker, would parse back as itself. */
function printsPlain(text: string): boolean {
  if (text === '' || text !== text.trim()) return false;
  const back = parseEditorLine(text);
  return back !== undefined && back.kind === 'speech' && back.speaker === '' && back.text === text;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Prints script lines as editor text: one entry per line, a blank line before each heading
 * except at the top, and a final newline. Line breaks inside a text become spaces (the format
 * has one entry per line).
 */
export function printScript(lines: readonly ScriptLine[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line.kind === 'heading') {
      if (out.length > 0) out.push('');
      const text = oneLine(line.text).trim();
      out.push(text === '' ? '##' : `## ${text}`);
      continue;
    }
    if (line.kind === 'pause') {
      out.push(`[pause ${Number(line.seconds.toFixed(3))}s]`);
      continue;
    }
    if (line.kind === 'comment') {
      const text = oneLine(line.text).trim();
      out.push(text === '' ? '#' : `# ${text}`);
      continue;
    }
    const text = oneLine(line.text);
    const speaker = oneLine(line.speaker);
    if (speaker === '') out.push(printsPlain(text) ? text : text === '' ? ':' : `: ${text}`);
    else out.push(text === '' ? `${speaker}:` : `${speaker}: ${text}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Identity used to match unchanged lines between versions. */
function entryKey(e: Entry | ScriptLine): string {
  switch (e.kind) {
    case 'speech':
      return `s\u0000${e.speaker}\u0000${e.text}`;
    case 'heading':
      return `h\u0000${e.text}`;
    case 'pause':
      return `p\u0000${e.seconds}`;
    case 'comment':
      return `c\u0000${e.text}`;
  }
}

/** Largest product of lengths for which the exact LCS table is used (about 16 MB). */
const LCS_LIMIT = 4_000_000;

/**
 * Pairs equal keys of `a` and `b` in order, maximising the number of pairs (LCS), after
 * trimming the common prefix and suffix. Falls back to a greedy in-order match for huge inputs.
 * Returns `match[i]` = index in `b` paired with `a[i]`, or -1.
 */
function matchInOrder(a: readonly string[], b: readonly string[]): number[] {
  const match = new Array<number>(a.length).fill(-1);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) {
    match[lo] = lo;
    lo++;
  }
  let hiA = a.length;
  let hiB = b.length;
  while (hiA > lo && hiB > lo && a[hiA - 1] === b[hiB - 1]) {
    hiA--;
    hiB--;
    match[hiA] = hiB;
  }
  const n = hiA - lo;
  const m = hiB - lo;
  if (n === 0 || m === 0) return match;

  if (n * m <= LCS_LIMIT) {
    // table[i][j] = LCS of a[lo+i..hiA) and b[lo+j..hiB), filled backwards.
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] =
          a[lo + i] === b[lo + j]
            ? table[(i + 1) * width + j + 1] + 1
            : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[lo + i] === b[lo + j]) {
        match[lo + i] = lo + j;
        i++;
        j++;
      } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i++;
      else j++;
    }
    return match;
  }

  const positions = new Map<string, number[]>();
  for (let j = hiB - 1; j >= lo; j--) {
    const list = positions.get(b[j]);
    if (list) list.push(j);
    else positions.set(b[j], [j]);
  }
  let last = lo - 1;
  for (let i = lo; i < hiA; i++) {
    const list = positions.get(a[i]);
    if (!list) continue;
    while (list.length > 0 && list[list.length - 1] <= last) list.pop();
    if (list.length > 0) {
      last = list.pop() as number;
      match[i] = last;
    }
  }
  return match;
}

/** Numeric part of an `l{n}` id, or 0. */
function idNumber(id: string): number {
  const m = /^l(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/**
 * Parses editor text into script lines, keeping line identity across edits.
 *
 * Ids are reconciled with `previous`: unchanged lines (same kind, speaker and text) keep their id,
 * matched in order (longest common subsequence); then, between two unchanged lines, edited lines
 * take the ids of the previous lines that were there, in order and kind for kind; anything left
 * gets a fresh id `l{n}` above every id seen so far, in text order.
 */
export function parseScript(text: string, previous: readonly ScriptLine[] = []): ScriptLine[] {
  const entries = splitEditorLines(text)
    .map(parseEditorLine)
    .filter((e): e is Entry => e !== undefined);

  const newKeys = entries.map(entryKey);
  const oldKeys = previous.map((l) => entryKey(l));
  const oldToNew = matchInOrder(oldKeys, newKeys);
  const ids = new Array<string | undefined>(entries.length).fill(undefined);
  const used = new Set<string>();
  oldToNew.forEach((j, i) => {
    if (j >= 0 && !used.has(previous[i].id)) {
      ids[j] = previous[i].id;
      used.add(previous[i].id);
    }
  });

  // Pair the unmatched lines inside each gap between anchors: the edited lines.
  const newToOld = new Array<number>(entries.length).fill(-1);
  oldToNew.forEach((j, i) => {
    if (j >= 0) newToOld[j] = i;
  });
  let oldCursor = 0;
  let newCursor = 0;
  const closeGap = (oldEnd: number, newEnd: number) => {
    for (const kind of ['speech', 'heading', 'pause', 'comment'] as const) {
      const olds: number[] = [];
      const news: number[] = [];
      for (let i = oldCursor; i < oldEnd; i++) if (previous[i].kind === kind && oldToNew[i] < 0) olds.push(i);
      for (let j = newCursor; j < newEnd; j++)
        if (entries[j].kind === kind && ids[j] === undefined) news.push(j);
      for (let k = 0; k < Math.min(olds.length, news.length); k++) {
        const id = previous[olds[k]].id;
        if (used.has(id)) continue;
        ids[news[k]] = id;
        used.add(id);
      }
    }
  };
  for (let j = 0; j < entries.length; j++) {
    const i = newToOld[j];
    if (i < 0) continue;
    closeGap(i, j);
    oldCursor = i + 1;
    newCursor = j + 1;
  }
  closeGap(previous.length, entries.length);

  let next = 0;
  for (const l of previous) next = Math.max(next, idNumber(l.id));
  return entries.map((e, j) => {
    let id = ids[j];
    if (id === undefined) {
      do id = `l${++next}`;
      while (used.has(id));
      used.add(id);
    }
    switch (e.kind) {
      case 'heading':
        return { kind: 'heading', id, text: e.text };
      case 'pause':
        return { kind: 'pause', id, seconds: e.seconds };
      case 'comment':
        return { kind: 'comment', id, text: e.text };
      case 'speech':
        return { kind: 'speech', id, speaker: e.speaker, text: e.text };
    }
  });
}

/**
 * Maps each editor line (0-based) to the index of the script line it produces in
 * {@link parseScript}'s result, or null for blank lines, so the UI can map cursor ↔ line id.
 */
export function scriptLineIndexOfEditorLine(text: string): (number | null)[] {
  let index = 0;
  return splitEditorLines(text).map((raw) => (parseEditorLine(raw) === undefined ? null : index++));
}

/**
 * Why a speaker-less line is there: the producer may have meant a directive or a comment, which
 * the saved script cannot hold yet (see docs/script-format.md), so the message says so.
 */
function missingSpeakerMessage(raw: string): string {
  const t = raw.trim();
  if (/^\[\s*pause\b[^\]]*\]$/i.test(t)) {
    return 'This pause is not understood and would be voiced as words: write it like "[pause 1.5s]" or "[pause 800ms]".';
  }
  return 'Missing speaker: start the line with a host name and a colon, e.g. "Ada: …".';
}

/**
 * Problems in the script text for the editor: an unknown speaker (error, on the name), a missing
 * speaker (error), empty speech or heading text (warning), text longer than a voice engine
 * accepts ({@link MAX_LINE_CHARS}, warning), very long lines by words (info), and the same
 * speaker twice in a row (info; a heading between them starts a new run).
 *
 * @param personaNames the show's persona names; speakers must match one exactly.
 */
export function scriptDiagnostics(text: string, personaNames: readonly string[]): ScriptDiagnostic[] {
  const known = new Set(personaNames);
  const out: ScriptDiagnostic[] = [];
  let lastSpeaker: string | null = null;
  splitEditorLines(text).forEach((raw, idx) => {
    const entry = parseEditorLine(raw);
    if (!entry) return;
    const line = idx + 1;
    const whole = { line, startColumn: 1, endColumn: raw.length + 1 };
    if (entry.kind === 'heading') {
      lastSpeaker = null;
      if (entry.text === '')
        out.push({
          ...whole,
          severity: 'warning',
          message: 'Empty heading: add a chapter title after "##".',
          code: 'empty-heading',
        });
      return;
    }
    if (entry.kind === 'comment') return;
    if (entry.kind === 'pause') {
      const asked = pauseSeconds(raw) ?? 0;
      if (asked > MAX_PAUSE_SEC)
        out.push({
          ...whole,
          severity: 'warning',
          message: `Pauses are at most ${MAX_PAUSE_SEC} seconds; this one plays as ${MAX_PAUSE_SEC} s.`,
          code: 'long-pause',
        });
      return;
    }
    if (entry.speaker !== '' && entry.speaker === lastSpeaker) {
      out.push({
        line,
        startColumn: entry.nameStart + 1,
        endColumn: entry.nameEnd + 1,
        severity: 'info',
        message: `${entry.speaker} speaks twice in a row: merge the lines (Alt+M) or give one to the other host (Alt+P).`,
        code: 'same-speaker',
      });
    }
    lastSpeaker = entry.speaker;
    if (entry.speaker === '') {
      out.push({ ...whole, severity: 'error', message: missingSpeakerMessage(raw), code: 'missing-speaker' });
    } else if (!known.has(entry.speaker)) {
      const near = personaNames.find((p) => p.toLowerCase() === entry.speaker.toLowerCase());
      const list = personaNames.length > 0 ? ` Hosts: ${personaNames.join(', ')}.` : '';
      out.push({
        line,
        startColumn: entry.nameStart + 1,
        endColumn: entry.nameEnd + 1,
        severity: 'error',
        message: near
          ? `Unknown speaker "${entry.speaker}" — did you mean "${near}"?`
          : `Unknown speaker "${entry.speaker}".${list}`,
        code: 'unknown-speaker',
      });
    }
    if (entry.text === '') {
      out.push({
        ...whole,
        severity: 'warning',
        message: 'Empty line: this host has nothing to say.',
        code: 'empty-line',
      });
    } else if (entry.text.length > MAX_LINE_CHARS) {
      out.push({
        ...whole,
        severity: 'warning',
        message: `Line too long for a voice engine (${entry.text.length.toLocaleString('en-US')} characters; at most ${MAX_LINE_CHARS.toLocaleString('en-US')} per request): split it.`,
        code: 'too-long',
      });
    } else {
      const words = entry.text.split(/\s+/).length;
      if (words > LONG_LINE_WORDS) {
        out.push({
          ...whole,
          severity: 'info',
          message: `Long line (${words} words): consider splitting it so edits re-voice less audio.`,
          code: 'long-line',
        });
      }
    }
  });
  return out;
}
