/**
 * The export dialog's choices (formats, MP3 mode, channels, bitrate or VBR quality, loudness, the
 * export folder), remembered in localStorage, and its estimates of duration and file sizes. Pure
 * functions, tested without a DOM.
 */
import type { CallRequest, ExportFolder, ExportFormat, Timeline } from '@shared/contract';
import type { Episode } from '@shared/model/episode';
import { MP3_DEFAULT_BITRATE } from '@shared/export/mp3-choices';

export type Bitrate = 32 | 48 | 64 | 96 | 128 | 160;
export type LoudnessChoice = 'podcast' | 'mono' | 'streaming' | 'none';
export type Mp3ModeChoice = 'cbr' | 'vbr';

export interface ExportChoices {
  formats: ExportFormat[];
  /** CBR bit rate (used when `mode` is `cbr`). */
  bitrateKbps: Bitrate;
  loudness: LoudnessChoice;
  mode: Mp3ModeChoice;
  /** 1 = mono, 2 = dual-mono stereo. */
  channels: 1 | 2;
  /** LAME VBR quality 0–9 (used when `mode` is `vbr`). */
  vbrQuality: number;
  /** The granted export folder, or null for the project's `exports/`. */
  folder: ExportFolder | null;
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

export const BITRATES: readonly Bitrate[] = [32, 48, 64, 96, 128, 160];

/** The CBR bit rate a channel count starts at (shared with the encoder). */
export const DEFAULT_BITRATE: Record<1 | 2, Bitrate> = MP3_DEFAULT_BITRATE;

/** VBR qualities offered, best first, with what they mean for a listener. */
export const VBR_QUALITIES: readonly { q: number; label: string }[] = [
  { q: 2, label: 'V2 (high)' },
  { q: 4, label: 'V4' },
  { q: 6, label: 'V6 (speech)' },
  { q: 8, label: 'V8' },
  { q: 9, label: 'V9 (smallest)' },
];

/**
 * Average VBR bit rate by quality 0–9, in kbps, measured on espeak-ng speech at the studio's
 * 22.05 kHz mastered to −16 LUFS (dual-mono stereo lands within 3 kbps of mono). Real episodes
 * vary with voices, silence and a music bed, hence the range {@link VBR_RANGE} around it.
 */
const VBR_KBPS = [101, 97, 92, 88, 85, 82, 78, 74, 70, 56];
/** The honest spread of a VBR estimate: −25 % … +20 % of the measured average. */
export const VBR_RANGE = [0.75, 1.2] as const;

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
  mode: 'cbr',
  channels: 1,
  vbrQuality: 6,
  folder: null,
};

/** localStorage key of the remembered choices (the fields of {@link ExportChoices}; nothing else). */
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
    mode: v?.mode === 'vbr' ? 'vbr' : 'cbr',
    channels: v?.channels === 2 ? 2 : 1,
    vbrQuality: VBR_QUALITIES.some((x) => x.q === v?.vbrQuality)
      ? (v.vbrQuality as number)
      : DEFAULT_CHOICES.vbrQuality,
    folder: parseFolder(v?.folder),
  };
}

function parseFolder(v: unknown): ExportFolder | null {
  const f = v as Partial<ExportFolder> | null | undefined;
  return f && typeof f.folderId === 'string' && typeof f.displayPath === 'string'
    ? { folderId: f.folderId, displayPath: f.displayPath }
    : null;
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
  const { formats, bitrateKbps, loudness, mode, channels, vbrQuality, folder } = choices;
  try {
    store?.setItem(
      CHOICES_KEY,
      JSON.stringify({ formats, bitrateKbps, loudness, mode, channels, vbrQuality, folder }),
    );
  } catch {
    // Full or blocked storage: the choices simply are not remembered.
  }
}

/** The request fields the choices make (formats in a stable order; only the mode's own setting). */
export function requestOptions(
  c: ExportChoices,
): Pick<
  CallRequest<'exportStart'>,
  'formats' | 'bitrateKbps' | 'loudness' | 'mp3Mode' | 'channels' | 'vbrQuality' | 'folderId'
> {
  return {
    formats: ALL_FORMATS.filter((f) => c.formats.includes(f)),
    ...(c.mode === 'vbr'
      ? { mp3Mode: 'vbr' as const, vbrQuality: c.vbrQuality }
      : { bitrateKbps: c.bitrateKbps }),
    ...(c.channels === 2 ? { channels: 2 as const } : {}),
    loudness: c.loudness,
    ...(c.folder ? { folderId: c.folder.folderId } : {}),
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

/** One format's estimated size: `bytes` the best guess, `low`…`high` the range (equal unless VBR). */
export interface SizeEstimate {
  format: ExportFormat;
  bytes: number;
  low: number;
  high: number;
}

/**
 * Rough bytes per format: a CBR MP3 from bit rate × duration, a VBR one as a range around the
 * measured average of its quality, text formats from the script's size.
 */
export function estimateSizes(
  episode: Episode,
  choices: Pick<ExportChoices, 'formats' | 'bitrateKbps'> & Partial<ExportChoices>,
  durationSec: number,
): SizeEstimate[] {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const speech = episode.lines.filter((l) => l.kind === 'speech');
  const cues = speech.length;
  const transcript = speech.reduce((n, l) => n + bytes(l.text) + bytes(l.speaker) + 4, 0);
  const notes = bytes(episode.summary) + Object.values(episode.analysis).reduce((n, s) => n + bytes(s), 0);
  const id3 = 2000 + transcript + 30_000; // text frames, chapters, the transcript (USLT), a cover
  const vbr = choices.mode === 'vbr';
  const kbps = vbr ? VBR_KBPS[choices.vbrQuality ?? DEFAULT_CHOICES.vbrQuality] : choices.bitrateKbps;
  const audio = (k: number): number => Math.round((k * 1000 * durationSec) / 8) + id3;
  const per: Record<ExportFormat, number> = {
    mp3: audio(kbps),
    transcript: transcript + 200,
    srt: transcript + cues * 2 * 40,
    vtt: transcript + cues * 2 * 45,
    'podcast-json': transcript + cues * 2 * 90,
    'show-notes': 2 * (transcript + notes) + 3000,
    json: 2 * transcript + notes + cues * 160 + 2000,
  };
  return ALL_FORMATS.filter((f) => choices.formats.includes(f)).map((format) =>
    format === 'mp3' && vbr
      ? { format, bytes: per.mp3, low: audio(kbps * VBR_RANGE[0]), high: audio(kbps * VBR_RANGE[1]) }
      : { format, bytes: per[format], low: per[format], high: per[format] },
  );
}

/** Listener names typed in the dialog: one per line, trimmed, no blanks or repeats. */
export function listenerNames(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()))].filter(Boolean);
}
