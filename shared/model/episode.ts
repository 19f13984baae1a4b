/**
 * The episode document: what a project folder's `episode.json` holds.
 *
 * Versioning: bump {@link EPISODE_VERSION} whenever a saved field changes meaning or a required
 * field is added, and add a step to `migrateEpisode` that upgrades the previous version. Adding an
 * optional field with a default does not need a bump.
 */
import { z } from 'zod';

/** Current version of the saved episode document. */
export const EPISODE_VERSION = 3;

/*
 * Version history:
 * 1 — speech and heading lines.
 * 2 — adds `pause` (`[pause 1.5s]`) and `comment` (`# …`) script lines. A version-1 file is
 *     valid version 2 as it is (it holds neither kind), so the migration only bumps the number.
 * 3 — the music bed's `mode`. Up to version 2 a bed looped under the whole episode; newly added
 *     beds now play as intro and outro only (`'intro-outro'`). The migration gives every existing
 *     bed `mode: 'under-all'`, so an old project sounds exactly as it did.
 */

/**
 * Voice engines a persona can use: the embedded offline espeak-ng (default), OpenAI speech,
 * ElevenLabs, and any OpenAI-compatible speech server (Kokoro, openedai-speech) by base URL.
 */
export const VoiceEngineIdSchema = z.enum(['espeak', 'openai', 'elevenlabs', 'openai-compatible']);
export type VoiceEngineId = z.infer<typeof VoiceEngineIdSchema>;

/** Voice settings of a persona: the engine, its voice and the engine's knobs. */
export const VoiceSettingsSchema = z.object({
  /** Engine id (default the embedded offline engine; files from before cloud engines say "espeak"). */
  engine: VoiceEngineIdSchema.default('espeak'),
  /** espeak-ng voice id with optional variant, e.g. `en-us+m3`. */
  voice: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-zA-Z0-9_/-]+(\+[a-zA-Z0-9_-]+)?$/, 'voice ids look like en-us+m3'),
  /** Speaking rate in words per minute (espeak-ng's scale). */
  rate: z.number().int().min(80).max(450),
  /** Base pitch 0–99 (espeak-ng's scale). */
  pitch: z.number().int().min(0).max(99),
  /**
   * Model of a cloud engine: `gpt-4o-mini-tts` (default), `tts-1`, `tts-1-hd` for OpenAI;
   * `eleven_multilingual_v2` (default) … for ElevenLabs; the server's model for compatible ones.
   */
  model: z.string().min(1).max(100).optional(),
  /** Base URL of an OpenAI-compatible speech server, e.g. `http://127.0.0.1:8880/v1`. */
  baseURL: z
    .string()
    .max(500)
    .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, 'the base URL must start with http:// or https://')
    .optional(),
  /** Id of the stored API key (default: the engine id). */
  apiKeyRef: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i)
    .optional(),
  /** Speaking style for models that take instructions (gpt-4o-mini-tts); default: the persona's role. */
  instructions: z.string().max(2000).optional(),
  /** ElevenLabs voice settings, 0..1 each. */
  stability: z.number().min(0).max(1).optional(),
  similarityBoost: z.number().min(0).max(1).optional(),
  style: z.number().min(0).max(1).optional(),
});
export type VoiceSettings = z.infer<typeof VoiceSettingsSchema>;

/** A host of the show: an original character the producer can rename and re-voice. */
export const PersonaSchema = z.object({
  id: z.string().min(1).max(64),
  /** Name spoken in the greeting and used as the `Speaker:` label in the script. */
  name: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[^:\n#[\]]+$/, 'a persona name cannot contain ":", "#", brackets or line breaks'),
  /** One-line role or perspective, e.g. "the curious generalist". */
  role: z.string().max(200),
  voice: VoiceSettingsSchema,
  /** How the host talks, e.g. "dry, short sentences, loves an analogy" (shapes the LLM draft). */
  style: z.string().max(500).optional(),
  /**
   * Phrases the host likes to say. The LLM may work them in; the offline drafter uses one only
   * in the host's sign-off, and only a phrase that states no facts (see `factFreePhrase`).
   */
  catchphrases: z.array(z.string().min(1).max(120)).max(10).optional(),
  /** Timeline colour as #rrggbb. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});
export type Persona = z.infer<typeof PersonaSchema>;

/**
 * A dictionary entry: `word` (a name, ticker or acronym; matched whole-word, case-insensitively)
 * is spoken as `say`, e.g. `{ word: 'NVDA', say: 'Nvidia' }`.
 */
export const PronunciationSchema = z.object({
  word: z.string().min(1).max(100),
  say: z.string().max(200),
});
export type Pronunciation = z.infer<typeof PronunciationSchema>;

/** Show-level settings that shape the greeting and sign-off. */
export const ShowSettingsSchema = z.object({
  showName: z.string().min(1).max(80),
  listenerName: z.string().min(1).max(80),
  /** BCP-47 locale for spoken dates, e.g. en-US. */
  locale: z.string().min(2).max(20),
  /** Episode date as YYYY-MM-DD (the greeting's "Today is …"). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The show's pronunciation dictionary, applied to every line before any engine speaks it. */
  pronunciations: z.array(PronunciationSchema).max(1000).optional(),
  /**
   * The first host's greeting with template variables ({listener} {show} {host} {weekday}
   * {date} {timeOfDay}); absent or blank: the standard "Good morning …" greeting.
   */
  greetingTemplate: z.string().max(500).optional(),
  /** The first host's sign-off with template variables; absent or blank: the standard one. */
  signOffTemplate: z.string().max(500).optional(),
  /** Target episode length in minutes (default 5). */
  targetMinutes: z.number().min(1).max(120).optional(),
  /** The show's category, e.g. Technology; absent or blank: the drafter classifies the article. */
  category: z.string().max(80).optional(),
});
export type ShowSettings = z.infer<typeof ShowSettingsSchema>;

/** Where the article came from, for "Read original at …". */
export const ArticleSchema = z.object({
  title: z.string().max(500),
  /** Cleaned article text, paragraphs separated by blank lines. */
  text: z.string().max(5_000_000),
  /** Site or publication name, if known. */
  source: z.string().max(200).optional(),
  url: z.string().max(2000).optional(),
  /** Author line of a web article ("Jane Roe"), if the page named one. */
  byline: z.string().max(200).optional(),
});
export type Article = z.infer<typeof ArticleSchema>;

/** The six analysis sections of a Goose Pod episode page. */
export const AnalysisSchema = z.object({
  conflict: z.string(),
  relatedInfo: z.string(),
  coreEvent: z.string(),
  background: z.string(),
  impact: z.string(),
  future: z.string(),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/** Titles of the analysis sections in page order. */
export const ANALYSIS_TITLES: Record<keyof Analysis, string> = {
  conflict: 'Conflict',
  relatedInfo: 'Related Info',
  coreEvent: 'Core Event',
  background: 'Background',
  impact: 'Impact',
  future: 'Future',
};

/**
 * One entry of the script. `speech` lines are voiced; `heading` lines (`## Title`) mark chapters.
 * `id` is stable across edits so a line keeps its clip and takes.
 */
export const ScriptLineSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('speech'),
    id: z.string().min(1).max(64),
    speaker: z.string().max(80),
    text: z.string().max(20_000),
  }),
  z.object({
    kind: z.literal('heading'),
    id: z.string().min(1).max(64),
    text: z.string().max(500),
  }),
  /** Extra silence at this point of the episode, on top of the pause after the previous line. */
  z.object({
    kind: z.literal('pause'),
    id: z.string().min(1).max(64),
    seconds: z.number().min(0).max(10),
  }),
  /** A producer's note: kept in the script, never voiced, never exported as speech. */
  z.object({
    kind: z.literal('comment'),
    id: z.string().min(1).max(64),
    text: z.string().max(2000),
  }),
]);
export type ScriptLine = z.infer<typeof ScriptLineSchema>;
export type SpeechLine = Extract<ScriptLine, { kind: 'speech' }>;

/** The clip currently used for a speech line (content-addressed in the project's clips/). */
export const LineClipSchema = z.object({
  /** Content hash of (text, voice settings, engine): the clip's file name. */
  hash: z.string().regex(/^[0-9a-f]{16,64}$/),
  durationSec: z.number().nonnegative(),
});
export type LineClip = z.infer<typeof LineClipSchema>;

/** One synthesis of a line: every take is kept (until deleted) so the producer can compare and pin. */
export const TakeSchema = z.object({
  /** The clip's file name in clips/ (see {@link LineClipSchema}). */
  hash: z.string().regex(/^[0-9a-f]{16,64}$/),
  /** Content hash of what was voiced (text after pronunciations, engine, model, voice, settings). */
  key: z.string().regex(/^[0-9a-f]{16,64}$/),
  engine: z.string().max(40),
  /** Human summary of the voice, e.g. "openai gpt-4o-mini-tts · coral". */
  voice: z.string().max(200),
  /** The text as written in the script when the take was made (for labels in A/B). */
  text: z.string().max(20_000).optional(),
  createdAt: z.string(),
  durationSec: z.number().nonnegative(),
  /** What the take cost at the engine's per-character price (0 for local engines and cache hits). */
  costUsd: z.number().nonnegative(),
});
export type Take = z.infer<typeof TakeSchema>;

/** Per-line mix settings (timeline inspector and pause drags). */
export const LineAudioSchema = z.object({
  /** Gain of the line's clip in dB. */
  gainDb: z.number().min(-24).max(12).optional(),
  /** Silence after the line in seconds; overrides the default pause plus any `[pause]` lines. */
  pauseAfterSec: z.number().min(0).max(10).optional(),
});
export type LineAudio = z.infer<typeof LineAudioSchema>;

/** Default seconds a music bed's intro and outro overlap the speech (see `underSec`). */
export const DEFAULT_BED_UNDER_SEC = 8;

/**
 * How a music bed plays: `'intro-outro'` — music anchored to the start (intro alone, then under
 * the first lines for `underSec`) and to the end (under the last lines, then the outro alone),
 * silent between; `'under-all'` — the music looped under the whole episode, ducked under speech
 * (every bed before format 3).
 */
export const BedModeSchema = z.enum(['intro-outro', 'under-all']);
export type BedMode = z.infer<typeof BedModeSchema>;

/** Mode of a bed saved without one (and of newly added beds). */
export const DEFAULT_BED_MODE: BedMode = 'intro-outro';

/** A music bed under the episode: intro alone, ducked under speech, outro alone. */
export const MusicBedSchema = z.object({
  /** How the bed plays (default {@link DEFAULT_BED_MODE}; beds from format 2 and older are 'under-all'). */
  mode: BedModeSchema.optional(),
  /** File name under the project's `music/` folder (`musicImport` returns it). */
  file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,119}$/, 'a plain file name under music/'),
  /** Gain of the bed in dB. */
  gainDb: z.number().min(-60).max(12),
  fadeInSec: z.number().min(0).max(60),
  fadeOutSec: z.number().min(0).max(60),
  /** Attenuation under speech in dB, e.g. −12 (0 = no ducking). */
  duckDb: z.number().min(-60).max(0),
  /** Seconds of bed alone before the first line. */
  introSec: z.number().min(0).max(120),
  /** Seconds of bed alone after the last line. */
  outroSec: z.number().min(0).max(120),
  /**
   * Seconds the intro music carries on (ducked) under the first lines, and the outro music comes
   * in before the last line ends; silence between (default {@link DEFAULT_BED_UNDER_SEC}). Mode
   * 'intro-outro' only.
   */
  underSec: z.number().min(0).max(120).optional(),
});
export type MusicBed = z.infer<typeof MusicBedSchema>;

/** Bed settings for a freshly imported file. */
export const DEFAULT_BED: Omit<MusicBed, 'file'> = {
  mode: DEFAULT_BED_MODE,
  gainDb: -14,
  fadeInSec: 2,
  fadeOutSec: 3,
  duckDb: -14,
  introSec: 4,
  outroSec: 5,
};

export const EpisodeSchema = z.object({
  version: z.literal(EPISODE_VERSION),
  id: z.string().min(1).max(64),
  title: z.string().max(500),
  category: z.string().max(80),
  createdAt: z.string(),
  updatedAt: z.string(),
  show: ShowSettingsSchema,
  personas: z.array(PersonaSchema).min(1).max(8),
  article: ArticleSchema,
  lines: z.array(ScriptLineSchema).max(20_000),
  summary: z.string().max(20_000),
  analysis: AnalysisSchema,
  /** lineId → clip in use. Lines missing here are not voiced yet. */
  clips: z.record(z.string(), LineClipSchema),
  /** Seconds of silence after each speech line (default when not set per line). */
  pauseSec: z.number().min(0).max(10),
  /** lineId → every take of the line, oldest first. */
  takes: z.record(z.string(), z.array(TakeSchema).max(100)).optional(),
  /**
   * lineId → hash of a take the producer pinned. A pinned line keeps that clip through "voice
   * all", even after its text changed, until it is regenerated or unpinned.
   */
  pinned: z.record(z.string(), z.string().regex(/^[0-9a-f]{16,64}$/)).optional(),
  /** lineId → gain and pause after the line, as set on the timeline. */
  lineAudio: z.record(z.string(), LineAudioSchema).optional(),
  /** Optional music bed (intro, under speech ducked, outro). */
  musicBed: MusicBedSchema.optional(),
});

/** The text a script is checked against: the article's title and text together. */
export function articleGroundingText(article: { title: string; text: string }): string {
  return [article.title, article.text].filter(Boolean).join('\n\n');
}

export type Episode = z.infer<typeof EpisodeSchema>;

/** Empty analysis, for new episodes. */
export function emptyAnalysis(): Analysis {
  return { conflict: '', relatedInfo: '', coreEvent: '', background: '', impact: '', future: '' };
}

/**
 * Upgrades a parsed `episode.json` of any known version to the current one, or explains why not.
 * Unknown future versions are refused rather than guessed at, so nothing is silently dropped.
 */
export function migrateEpisode(
  raw: unknown,
): { ok: true; episode: Episode } | { ok: false; message: string } {
  if (typeof raw !== 'object' || raw === null) return { ok: false, message: 'episode.json is not an object' };
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== 'number') return { ok: false, message: 'episode.json has no version number' };
  if (version > EPISODE_VERSION) {
    return {
      ok: false,
      message: `This project was saved by a newer Goose Pod Studio (format ${version}); this version reads up to ${EPISODE_VERSION}.`,
    };
  }
  // 1 → 2: new line kinds only; every version-1 document is a valid version-2 one.
  let upgraded = version < EPISODE_VERSION ? { ...(raw as object), version: EPISODE_VERSION } : raw;
  // 2 → 3: a bed saved before modes looped under the whole episode; it keeps doing so.
  const bed = (upgraded as { musicBed?: unknown }).musicBed;
  if (version < 3 && typeof bed === 'object' && bed !== null && !('mode' in bed)) {
    upgraded = { ...(upgraded as object), musicBed: { ...bed, mode: 'under-all' } };
  }
  const parsed = EpisodeSchema.safeParse(upgraded);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      message: `episode.json is damaged: ${first?.path.join('.') || 'root'}: ${first?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, episode: parsed.data };
}

/** Speech lines only, in script order. */
export function speechLines(lines: readonly ScriptLine[]): SpeechLine[] {
  return lines.filter((l): l is SpeechLine => l.kind === 'speech');
}

/**
 * The episode after a line was voiced (a `voiceLine` event or a voice job's result): `clip`
 * becomes current, `take` (when given) joins the line's takes, and a pin on another take is
 * dropped (the line was regenerated). Keeps the newest 100 takes of a line, never the current one.
 */
export function withVoicedClip(episode: Episode, lineId: string, clip: LineClip, take?: Take): Episode {
  const next: Episode = { ...episode, clips: { ...episode.clips, [lineId]: clip } };
  if (take) {
    let list = [...(episode.takes?.[lineId] ?? []).filter((t) => t.hash !== take.hash), take];
    if (list.length > 100) {
      const newest = list.slice(-100);
      const current = list.filter((t) => t.hash === clip.hash);
      list = newest.some((t) => t.hash === clip.hash) ? newest : [...current, ...list.slice(-99)];
    }
    next.takes = { ...episode.takes, [lineId]: list };
  }
  if (episode.pinned?.[lineId] && episode.pinned[lineId] !== clip.hash) {
    const pinned = { ...episode.pinned };
    delete pinned[lineId];
    next.pinned = pinned;
  }
  return next;
}
