/** Pure helpers over the Episode document that the renderer's actions and views share. */
import type { Settings } from '@shared/contract';
import {
  EPISODE_VERSION,
  emptyAnalysis,
  speechLines,
  type Episode,
  type Persona,
  type ScriptLine,
  type SpeechLine,
} from '@shared/model/episode';
import type { VoicedWith } from './studio-state';

/** Today's local date as YYYY-MM-DD (the default episode date). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A fresh episode id (fits the model's 64-character limit). */
export function newEpisodeId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An empty episode using the saved settings (personas and show) as its defaults. */
/** The optional show defaults (length, category, templates) that settings carry, if set. */
function pickShowDefaults(settings: Settings | null): Partial<Episode['show']> {
  const out: Partial<Episode['show']> = {};
  const show = settings?.show;
  if (show?.targetMinutes !== undefined) out.targetMinutes = show.targetMinutes;
  if (show?.category !== undefined) out.category = show.category;
  if (show?.greetingTemplate !== undefined) out.greetingTemplate = show.greetingTemplate;
  if (show?.signOffTemplate !== undefined) out.signOffTemplate = show.signOffTemplate;
  return out;
}

export function blankEpisode(settings: Settings | null, date = todayIso()): Episode {
  const now = new Date().toISOString();
  return {
    version: EPISODE_VERSION,
    id: newEpisodeId(),
    title: 'Untitled episode',
    category: '',
    createdAt: now,
    updatedAt: now,
    show: {
      showName: settings?.show.showName ?? 'Goose Pod',
      listenerName: settings?.show.listenerName ?? 'listener',
      locale: settings?.show.locale ?? 'en-US',
      ...pickShowDefaults(settings),
      date,
    },
    personas: settings ? structuredClone(settings.personas) : [],
    article: { title: '', text: '' },
    lines: [],
    summary: '',
    analysis: emptyAnalysis(),
    clips: {},
    pauseSec: 0.6,
  };
}

/** Stable key of a persona's voice settings, to notice a re-voiced host. */
export function voiceKey(persona: Persona | undefined): string {
  if (!persona) return '';
  const v = persona.voice;
  const base = `${v.engine}|${v.voice}|${v.rate}|${v.pitch}`;
  // Cloud engines: model, server, style and ElevenLabs settings change the voice too.
  const extra = [v.model, v.baseURL, v.instructions, v.stability, v.similarityBoost, v.style];
  return extra.every((x) => x === undefined) ? base : `${base}|${extra.map((x) => x ?? '').join('|')}`;
}

export function personaByName(personas: readonly Persona[], name: string): Persona | undefined {
  const key = name.trim().toLowerCase();
  return personas.find((p) => p.name.trim().toLowerCase() === key);
}

/** What each of these speech lines would be voiced with right now. */
export function voicingSnapshot(episode: Episode, lineIds?: readonly string[]): Map<string, VoicedWith> {
  const wanted = lineIds ? new Set(lineIds) : null;
  const out = new Map<string, VoicedWith>();
  for (const line of speechLines(episode.lines)) {
    if (wanted && !wanted.has(line.id)) continue;
    out.set(line.id, {
      speaker: line.speaker,
      text: line.text,
      voice: voiceKey(personaByName(episode.personas, line.speaker)),
    });
  }
  return out;
}

/** Voice state of one line, as the gutter shows it. */
export type VoiceStatus = 'missing' | 'ready' | 'stale' | 'rendering' | 'failed';

export interface VoiceStatusInputs {
  episode: Episode;
  voicedWith: Record<string, VoicedWith>;
  rendering: Record<string, string>;
  failedLines: Record<string, string>;
}

export function voiceStatusOf(line: SpeechLine, s: VoiceStatusInputs): VoiceStatus {
  if (s.rendering[line.id]) return 'rendering';
  if (s.failedLines[line.id]) return 'failed';
  if (!s.episode.clips[line.id]) return 'missing';
  const was = s.voicedWith[line.id];
  if (!was) return 'ready';
  if (was.text !== line.text || was.speaker !== line.speaker) return 'stale';
  if (was.voice !== voiceKey(personaByName(s.episode.personas, line.speaker))) return 'stale';
  return 'ready';
}

export interface ScriptStats {
  speechLines: number;
  words: number;
  /** Estimated spoken minutes at 150 words per minute. */
  estimatedMinutes: number;
  voiced: number;
  stale: number;
}

const WORDS_PER_MINUTE = 150;

export function scriptStats(s: VoiceStatusInputs): ScriptStats {
  const lines = speechLines(s.episode.lines);
  let words = 0;
  let voiced = 0;
  let stale = 0;
  for (const line of lines) {
    words += line.text.split(/\s+/).filter(Boolean).length;
    const status = voiceStatusOf(line, s);
    if (status === 'ready') voiced++;
    if (status === 'stale') stale++;
  }
  return { speechLines: lines.length, words, estimatedMinutes: words / WORDS_PER_MINUTE, voiced, stale };
}

/** Renames a speaker label on every speech line (a host was renamed in the Hosts panel). */
export function renameSpeaker(lines: readonly ScriptLine[], from: string, to: string): ScriptLine[] {
  const key = from.trim().toLowerCase();
  return lines.map((l) =>
    l.kind === 'speech' && l.speaker.trim().toLowerCase() === key ? { ...l, speaker: to } : l,
  );
}

/** m:ss (or h:mm:ss) for durations in seconds. */
export function formatDuration(sec: number): string {
  const total = Math.max(0, Math.round(sec));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A moved or restored line gets a new id from the parser; give it the clip its words were
 * already voiced into (a clip of a line that no longer exists, voiced with the same speaker and
 * text). Returns null when nothing moved.
 */
export function carryClipsToNewIds(
  lines: readonly ScriptLine[],
  clips: Episode['clips'],
  voicedWith: Record<string, VoicedWith>,
): { clips: Episode['clips']; voicedWith: Record<string, VoicedWith> } | null {
  const live = new Set(lines.map((l) => l.id));
  const key = (speaker: string, text: string) => `${speaker}\u0000${text}`;
  const orphans = new Map<string, string>();
  for (const id of Object.keys(clips)) {
    const v = voicedWith[id];
    if (!live.has(id) && v) orphans.set(key(v.speaker, v.text), id);
  }
  if (orphans.size === 0) return null;
  let nextClips: Episode['clips'] | null = null;
  let nextVoiced: Record<string, VoicedWith> | null = null;
  for (const line of lines) {
    if (line.kind !== 'speech' || clips[line.id]) continue;
    const k = key(line.speaker, line.text);
    const old = orphans.get(k);
    if (!old) continue;
    orphans.delete(k);
    nextClips ??= { ...clips };
    nextVoiced ??= { ...voicedWith };
    nextClips[line.id] = clips[old]!;
    nextVoiced[line.id] = voicedWith[old]!;
    delete nextClips[old];
    delete nextVoiced[old];
  }
  return nextClips && nextVoiced ? { clips: nextClips, voicedWith: nextVoiced } : null;
}
