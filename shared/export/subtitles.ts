/**
 * Timed transcripts from the actual mix: SRT, WebVTT (with `<v Speaker>` voice spans) and the
 * Podcasting 2.0 JSON transcript. Every voiced line becomes one or more cues that stay inside the
 * line's region of the mix: the first cue starts where the line starts, the last ends where it
 * ends, and long lines are split at word boundaries with time shared out by character count.
 */
import type { ScriptLine } from '../model/episode';

/** One voiced line with its place in the mix (seconds). */
export interface SubtitleCue {
  speaker: string;
  text: string;
  start: number;
  end: number;
}

/** A displayable piece of a line: at most {@link MAX_CUE_LINES} rows of text. */
export interface SplitCue extends SubtitleCue {
  /** Rows of the cue, each at most {@link MAX_LINE_CHARS} characters (unless one word is longer). */
  rows: string[];
  /** True for the first piece of a speech line (where SRT names the speaker). */
  first: boolean;
}

/** Characters per subtitle row (the common broadcast limit). */
export const MAX_LINE_CHARS = 42;
/** Rows per cue. */
export const MAX_CUE_LINES = 2;

/** The region shape the mix returns for each voiced line. */
export interface SpeakerRegion {
  lineId: string;
  speaker: string;
  start: number;
  end: number;
}

/**
 * Joins the mix's regions with the script's speech lines, in mix order. Regions whose line is
 * gone or not speech, and lines with blank text, give no cue.
 */
export function cuesFromRegions(
  lines: readonly ScriptLine[],
  regions: readonly SpeakerRegion[],
): SubtitleCue[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const cues: SubtitleCue[] = [];
  for (const r of regions) {
    const line = byId.get(r.lineId);
    if (!line || line.kind !== 'speech') continue;
    const text = oneLine(line.text);
    if (!text) continue;
    cues.push({ speaker: oneLine(r.speaker) || oneLine(line.speaker), text, start: r.start, end: r.end });
  }
  return cues;
}

/**
 * Splits each line into cues of at most {@link MAX_CUE_LINES} rows of {@link MAX_LINE_CHARS}
 * characters, breaking at spaces. The first row of a line leaves room for the `Speaker: ` label
 * SRT puts there, so all formats share one split. Times are apportioned by character count;
 * the first cue starts at the line's start and the last ends exactly at its end.
 */
export function splitCues(cues: readonly SubtitleCue[]): SplitCue[] {
  const out: SplitCue[] = [];
  for (const cue of cues) {
    const text = oneLine(cue.text);
    if (!text) continue;
    const speaker = oneLine(cue.speaker);
    const reserve = speaker ? speaker.length + 2 : 0;
    const groups = groupRows(wrapRows(text, reserve));
    const weights = groups.map((rows) => rows.join(' ').length);
    const total = weights.reduce((a, b) => a + b, 0);
    const span = Math.max(0, cue.end - cue.start);
    let done = 0;
    groups.forEach((rows, i) => {
      const start = i === 0 ? cue.start : cue.start + (span * done) / total;
      done += weights[i];
      const end = i === groups.length - 1 ? cue.end : cue.start + (span * done) / total;
      out.push({ speaker, text: rows.join(' '), start, end, rows, first: i === 0 });
    });
  }
  return out;
}

/** Greedy word wrap; the first row holds `reserve` fewer characters (never fewer than 12). */
function wrapRows(text: string, reserve: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    const limit = rows.length === 0 ? Math.max(12, MAX_LINE_CHARS - reserve) : MAX_LINE_CHARS;
    if (row && row.length + 1 + word.length > limit) {
      rows.push(row);
      row = word;
    } else {
      row = row ? `${row} ${word}` : word;
    }
  }
  if (row) rows.push(row);
  return rows;
}

function groupRows(rows: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < rows.length; i += MAX_CUE_LINES) groups.push(rows.slice(i, i + MAX_CUE_LINES));
  return groups;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Whole milliseconds of a time in seconds (negative and non-finite times become 0). */
function toMs(sec: number): number {
  return Number.isFinite(sec) && sec > 0 ? Math.round(sec * 1000) : 0;
}

/**
 * Formats seconds as `HH:MM:SS<sep>mmm` (hours grow past two digits when needed).
 * SRT uses `,` and WebVTT `.` as the separator.
 */
export function formatTimestamp(sec: number, separator: ',' | '.'): string {
  const ms = toMs(sec);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/**
 * SubRip: numbered cues, `00:01:02,345 --> 00:01:04,000`, up to two rows of text. The first cue of
 * each line starts with `Speaker: ` (SRT has no voice markup). `-->` inside text is defused so
 * no parser takes a row for a timing line. Ends with a newline; empty input gives "".
 */
export function toSrt(cues: readonly SubtitleCue[]): string {
  return splitCues(cues)
    .map((c, i) => {
      const rows = c.rows.map((r) => r.replace(/-->/g, '->'));
      if (c.first && c.speaker) rows[0] = `${c.speaker}: ${rows[0]}`;
      const timing = `${formatTimestamp(c.start, ',')} --> ${formatTimestamp(c.end, ',')}`;
      return `${i + 1}\n${timing}\n${rows.join('\n')}\n`;
    })
    .join('\n');
}

/** Escapes WebVTT cue text: `&`, `<` and `>` as character references. */
export function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * WebVTT: a `WEBVTT` header, then numbered cues `00:01:02.345 --> 00:01:04.000` whose text is
 * wrapped in a `<v Speaker>` voice span (so players can label or colour each host). Text and
 * speaker names are escaped. Ends with a newline.
 */
export function toWebVtt(cues: readonly SubtitleCue[]): string {
  const blocks = splitCues(cues).map((c, i) => {
    const timing = `${formatTimestamp(c.start, '.')} --> ${formatTimestamp(c.end, '.')}`;
    const body = c.rows.map(escapeVtt).join('\n');
    const text = c.speaker ? `<v ${escapeVtt(c.speaker)}>${body}</v>` : body;
    return `${i + 1}\n${timing}\n${text}\n`;
  });
  return ['WEBVTT\n', ...blocks].join('\n');
}

/** The Podcasting 2.0 JSON transcript (`application/json` in a `<podcast:transcript>` tag). */
export interface PodcastTranscript {
  version: '1.0.0';
  segments: { speaker: string; startTime: number; endTime: number; body: string }[];
}

/**
 * Podcasting 2.0 JSON transcript: one segment per cue, times in seconds rounded to the
 * millisecond (the same values SRT and WebVTT state).
 */
export function toPodcastJson(cues: readonly SubtitleCue[]): PodcastTranscript {
  return {
    version: '1.0.0',
    segments: splitCues(cues).map((c) => ({
      speaker: c.speaker,
      startTime: toMs(c.start) / 1000,
      endTime: toMs(c.end) / 1000,
      body: c.text,
    })),
  };
}
