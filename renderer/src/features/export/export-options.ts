/**
 * The export dialog's choices (formats, bitrate, loudness), remembered in localStorage, and its
 * estimates of duration and file sizes. Pure functions, tested without a DOM.
 */
import type { CallRequest, ExportFormat, Timeline } from '@shared/contract';
import type { Episode } from '@shared/model/episode';

export type Bitrate = 48 | 64 | 96 | 128;
export type LoudnessChoice = 'podcast' | 'mono' | 'streaming' | 'none';

export interface ExportChoices {
  formats: ExportFormat[];
  bitrateKbps: Bitrate;
  loudness: LoudnessChoice;
}

export const ALL_FORMATS: readonly ExportFormat[] = [
  'mp3',
  'transcript',
  'srt',
  'vtt',
  'podcast-json',
  'show-notes',
  'json',
];

export const FORMAT_LABEL: Record<ExportFormat, string> = {
  mp3: 'MP3 audio',
  transcript: 'Transcript',
  json: 'Episode JSON',
  srt: 'SRT subtitles',
  vtt: 'WebVTT',
  'podcast-json': 'Podcast transcript (JSON)',
  'show-notes': 'Show notes',
};

export const FORMAT_FILES: Record<ExportFormat, string> = {
  mp3: 'episode.mp3',
  transcript: 'transcript.txt',
  json: 'episode.json',
  srt: 'transcript.srt',
  vtt: 'transcript.vtt',
  'podcast-json': 'transcript.json',
  'show-notes': 'show-notes.md + .html',
};

export const BITRATES: readonly Bitrate[] = [48, 64, 96, 128];

export const LOUDNESS_CHOICES: readonly { id: LoudnessChoice; label: string }[] = [
  { id: 'podcast', label: 'Podcast −16 LUFS' },
  { id: 'mono', label: 'Mono −19 LUFS' },
  { id: 'streaming', label: 'Streaming −14 LUFS' },
  { id: 'none', label: 'None (as mixed)' },
];

export const DEFAULT_CHOICES: ExportChoices = {
  formats: [...ALL_FORMATS],
  bitrateKbps: 64,
  loudness: 'podcast',
};

/** localStorage key of the remembered choices (formats, bitrate, loudness; nothing else). */
export const CHOICES_KEY = 'goosepod.export.v1';

/** Reads remembered choices, dropping anything unknown (a stale or hand-edited value). */
export function parseChoices(raw: string | null): ExportChoices {
  if (!raw) return { ...DEFAULT_CHOICES, formats: [...DEFAULT_CHOICES.formats] };
  let v: Partial<Record<keyof ExportChoices, unknown>>;
  try {
    v = JSON.parse(raw) as typeof v;
  } catch {
    v = {};
  }
  const formats = Array.isArray(v?.formats)
    ? ALL_FORMATS.filter((f) => (v.formats as unknown[]).includes(f))
    : [...DEFAULT_CHOICES.formats];
  return {
    formats: formats.length ? formats : [...DEFAULT_CHOICES.formats],
    bitrateKbps: BITRATES.includes(v?.bitrateKbps as Bitrate)
      ? (v.bitrateKbps as Bitrate)
      : DEFAULT_CHOICES.bitrateKbps,
    loudness: LOUDNESS_CHOICES.some((c) => c.id === v?.loudness)
      ? (v.loudness as LoudnessChoice)
      : DEFAULT_CHOICES.loudness,
  };
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): StorageLike | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage blocked
  }
}

export function loadChoices(store: StorageLike | undefined = storage()): ExportChoices {
  try {
    return parseChoices(store?.getItem(CHOICES_KEY) ?? null);
  } catch {
    return parseChoices(null);
  }
}

export function saveChoices(choices: ExportChoices, store: StorageLike | undefined = storage()): void {
  const { formats, bitrateKbps, loudness } = choices;
  try {
    store?.setItem(CHOICES_KEY, JSON.stringify({ formats, bitrateKbps, loudness }));
  } catch {
    // Full or blocked storage: the choices simply are not remembered.
  }
}

/** The request fields the choices make (formats in a stable order). */
export function requestOptions(
  c: ExportChoices,
): Pick<CallRequest<'exportStart'>, 'formats' | 'bitrateKbps' | 'loudness'> {
  return {
    formats: ALL_FORMATS.filter((f) => c.formats.includes(f)),
    bitrateKbps: c.bitrateKbps,
    loudness: c.loudness,
  };
}

/** Words spoken per minute when a line has no clip yet (as the script stats assume). */
const WORDS_PER_MINUTE = 150;

/**
 * The episode's length: the mixed timeline's when it is current, else the clips' durations plus
 * the pauses, with unvoiced lines estimated from their words (`exact` false then).
 */
export function estimateDuration(
  episode: Episode,
  timeline: Timeline | null,
): { durationSec: number; exact: boolean } {
  const speech = episode.lines.filter((l) => l.kind === 'speech');
  if (timeline && timeline.missing.length === 0 && timeline.regions.length === speech.length) {
    return { durationSec: timeline.durationSec, exact: true };
  }
  let sec = 0;
  let exact = true;
  let spoken = 0;
  for (const l of episode.lines) {
    if (l.kind === 'pause') sec += l.seconds;
    if (l.kind !== 'speech') continue;
    const clip = episode.clips[l.id];
    if (clip) sec += clip.durationSec;
    else {
      exact = false;
      sec += (l.text.split(/\s+/).filter(Boolean).length / WORDS_PER_MINUTE) * 60;
    }
    spoken++;
  }
  sec += Math.max(0, spoken - 1) * episode.pauseSec;
  return { durationSec: sec, exact };
}

/** Rough bytes per format: MP3 from bitrate × duration, text formats from the script's size. */
export function estimateSizes(
  episode: Episode,
  choices: ExportChoices,
  durationSec: number,
): { format: ExportFormat; bytes: number }[] {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const speech = episode.lines.filter((l) => l.kind === 'speech');
  const cues = speech.length;
  const transcript = speech.reduce((n, l) => n + bytes(l.text) + bytes(l.speaker) + 4, 0);
  const notes = bytes(episode.summary) + Object.values(episode.analysis).reduce((n, s) => n + bytes(s), 0);
  const id3 = 2000 + transcript + 30_000; // text frames, chapters, the transcript (USLT), a cover
  const per: Record<ExportFormat, number> = {
    mp3: Math.round((choices.bitrateKbps * 1000 * durationSec) / 8) + id3,
    transcript: transcript + 200,
    srt: transcript + cues * 2 * 40,
    vtt: transcript + cues * 2 * 45,
    'podcast-json': transcript + cues * 2 * 90,
    'show-notes': 2 * (transcript + notes) + 3000,
    json: 2 * transcript + notes + cues * 160 + 2000,
  };
  return ALL_FORMATS.filter((f) => choices.formats.includes(f)).map((format) => ({
    format,
    bytes: per[format],
  }));
}

/** Listener names typed in the dialog: one per line, trimmed, no blanks or repeats. */
export function listenerNames(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()))].filter(Boolean);
}
