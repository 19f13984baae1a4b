/**
 * Voices speech lines through a content-addressed clip cache: a clip's file name is the hash of
 * (engine, engine version, model, voice and its settings, text after the pronunciation
 * dictionary), so a line whose text and voice did not change is never sent to an engine again,
 * also after the project is closed and reopened.
 *
 * Every synthesis is a take (kept in `episode.takes`); the line's clip in `episode.clips` is the
 * current one, and a pinned take (`episode.pinned`) stays current through "voice all" until it
 * is regenerated or unpinned. Requests run under a per-engine concurrency limit shared by all
 * jobs, retry with backoff on 429 (honouring Retry-After), 5xx and timeouts, and each line can be
 * canceled on its own; a failure stays with its line.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StudioError, toErrorShape, type EventPayload, type JobResult } from '../../../shared/contract';
import {
  speechLines,
  type Episode,
  type LineClip,
  type Persona,
  type SpeechLine,
  type Take,
  type VoiceEngineId,
  type VoiceSettings,
} from '../../../shared/model/episode';
import { writeFileAtomic } from '../fs/atomic-write';
import type { JobContext } from '../jobs/job-manager';
import { concatFloat32, trimSilence } from '../audio/pcm';
import { decodeWav, encodeWav } from '../audio/wav';
import { Limiter } from './limiter';
import { applyPronunciations } from './pronunciation';
import { espeakVoiceForLocale } from '../../../shared/model/voice-language';
import { resample } from './resample';
import { splitForEngine } from './text-chunks';
import { VoiceEngineError, type Pcm, type VoiceEngine } from './voice-engine';

/** The sample rate every clip and mix of a project uses (espeak-ng's native rate). */
export const PROJECT_SAMPLE_RATE = 22050;

/** Silence between the pieces of a line that was split for the engine (plus their 30 ms margins). */
const PIECE_GAP_SEC = 0.19;

/** Finds the persona speaking a line (names compare case-insensitively). */
export function personaFor(line: SpeechLine, personas: readonly Persona[]): Persona | undefined {
  const name = line.speaker.trim().toLowerCase();
  return personas.find((p) => p.name.trim().toLowerCase() === name);
}

/** The speaking style sent to models that take instructions: the persona's own, else its role. */
export function instructionsFor(persona: Persona): string {
  if (persona.voice.instructions?.trim()) return persona.voice.instructions.trim();
  const role = persona.role.trim();
  return `You are ${persona.name}, a podcast host${role ? ` — ${role}` : ''}. Speak naturally and conversationally, as in a two-host news podcast.`;
}

/**
 * Content hash of everything that shapes a clip's audio. For espeak it is exactly the hash of
 * earlier versions, so projects voiced before cloud engines keep their clips.
 */
export function clipHash(engine: VoiceEngine, persona: Persona, text: string): string {
  const s = persona.voice;
  const base: unknown[] = [engine.id, engine.version, s.voice, s.rate, s.pitch, text.trim()];
  if (engine.id !== 'espeak') {
    const model = engine.modelFor?.(s) ?? s.model ?? '';
    base.push({
      model,
      baseURL: engine.id === 'openai-compatible' ? (s.baseURL ?? '') : undefined,
      instructions: /^gpt-4o.*tts/.test(model) ? instructionsFor(persona) : undefined,
      stability: engine.id === 'elevenlabs' ? (s.stability ?? 0.5) : undefined,
      similarityBoost: engine.id === 'elevenlabs' ? (s.similarityBoost ?? 0.75) : undefined,
      style: engine.id === 'elevenlabs' ? (s.style ?? 0) : undefined,
    });
  }
  return sha(JSON.stringify(base));
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/** Retry policy of engine requests. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff in ms, doubled per retry, ±25 % jitter (default 1000). */
  baseDelayMs?: number;
  /** Longest wait between attempts; a longer Retry-After fails the line instead (default 60 s). */
  maxDelayMs?: number;
}

/** What {@link VoiceService} is built from. */
export interface VoiceServiceDeps {
  /** The default engine (the embedded espeak-ng). */
  engine: VoiceEngine;
  /** Further engines, picked per persona by `voice.engine`. */
  engines?: readonly VoiceEngine[];
  projectDir: (projectId: string) => string;
  emitLine: (payload: EventPayload<'voiceLine'>) => void;
  /** Per-line progress (running, retrying, canceled …). */
  emitProgress?: (payload: EventPayload<'voiceProgress'>) => void;
  /** URL under which the UI can play a project file (for take A/B). */
  mediaUrl?: (projectId: string, relPath: string) => string;
  /** Requests at once for engines that do not say (default 2). */
  concurrency?: number;
  retry?: RetryOptions;
  /** Waits between retries (tests pass a fast one). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => Date;
}

/** What one line needs to be voiced, resolved from the episode. */
interface Prepared {
  line: SpeechLine;
  persona: Persona;
  engine: VoiceEngine;
  /** The text the engine speaks (after the pronunciation dictionary). */
  spoken: string;
  key: string;
  costUsd: number;
}

/** A take as `takeList` shows it. */
export type TakeView = Take & { current: boolean; pinned: boolean; available: boolean; url?: string };

/** A line's takes, current clip and pin after `takePin` / `takeDelete`. */
export interface TakeState {
  lineId: string;
  takes: Take[];
  clip: LineClip | null;
  pinned: string | null;
}

/** One line of a cost estimate. */
export interface LineEstimate {
  lineId: string;
  engine: VoiceEngineId;
  model: string;
  chars: number;
  costUsd: number;
  /** The line's clip is cached: voicing it is free. */
  cached: boolean;
}

type VoiceResult = Extract<JobResult, { kind: 'voice' }>;

export class VoiceService {
  /** Lines actually sent to an engine (what a cloud engine bills; split lines count once). */
  engineRequests = 0;
  /** HTTP/worker requests made, retries and the pieces of split lines included. */
  engineCalls = 0;
  readonly #engines = new Map<string, VoiceEngine>();
  readonly #limiters = new Map<string, Limiter>();
  /** jobId → lineId → that line's controller (cancel one line). */
  readonly #running = new Map<string, Map<string, AbortController>>();

  constructor(private readonly deps: VoiceServiceDeps) {
    for (const e of [deps.engine, ...(deps.engines ?? [])]) this.#engines.set(e.id, e);
  }

  /** Ids of the engines this back end can voice with. */
  engineIds(): VoiceEngineId[] {
    return [...this.#engines.keys()] as VoiceEngineId[];
  }

  /** The engine a voice setting names; `bad-request` when it is not available here. */
  engineFor(settings: Pick<VoiceSettings, 'engine'>): VoiceEngine {
    const engine = this.#engines.get(settings.engine ?? 'espeak');
    if (!engine)
      throw new StudioError('bad-request', `The voice engine "${settings.engine}" is not available here.`);
    return engine;
  }

  /** Path of a clip in a project. */
  clipPath(projectId: string, hash: string): string {
    return join(this.deps.projectDir(projectId), 'clips', `${hash}.wav`);
  }

  /**
   * Where a deleted take's audio waits (`trash/clips/` in the project) until the trash is
   * purged, so deleting a take can be undone without voicing it again.
   */
  trashPath(projectId: string, hash: string): string {
    return join(this.deps.projectDir(projectId), 'trash', 'clips', `${hash}.wav`);
  }

  /** Voices the listed lines (default: all speech lines), cache first; failures stay per line. */
  async synthesize(
    ctx: JobContext,
    projectId: string,
    episode: Episode,
    lineIds?: readonly string[],
    opts: { regenerate?: boolean } = {},
  ): Promise<VoiceResult> {
    const lines = this.#select(episode, lineIds);
    const result: VoiceResult = {
      kind: 'voice',
      clips: {},
      synthesized: [],
      cached: [],
      failed: [],
      canceled: [],
      takes: {},
      costUsd: 0,
    };
    let done = 0;
    const total = lines.length;
    ctx.progress(0, total ? `Voicing ${total} line${total === 1 ? '' : 's'}` : 'Nothing to voice');
    const controllers = new Map<string, AbortController>();
    this.#running.set(ctx.jobId, controllers);
    for (const line of lines) controllers.set(line.id, new AbortController());
    const abortAll = (): void => controllers.forEach((c) => c.abort());
    ctx.signal.addEventListener('abort', abortAll, { once: true });

    const work = async (line: SpeechLine): Promise<void> => {
      const lineSignal = controllers.get(line.id)!.signal;
      try {
        if (lineSignal.aborted) throw new StudioError('canceled', 'Canceled');
        const { clip, take, fromCache } = await this.#voice(
          projectId,
          episode,
          line,
          !!opts.regenerate,
          lineSignal,
          ctx.jobId,
        );
        result.clips[line.id] = clip;
        (fromCache ? result.cached : result.synthesized).push(line.id);
        if (take) {
          result.takes![line.id] = take;
          result.costUsd! += take.costUsd;
        }
        this.deps.emitLine({ jobId: ctx.jobId, lineId: line.id, clip, ...(take ? { take } : {}) });
      } catch (err) {
        if (ctx.signal.aborted) throw new StudioError('canceled', 'Voicing canceled');
        if (lineSignal.aborted) {
          result.canceled!.push(line.id);
          this.#progress(ctx.jobId, line.id, 'canceled', 'Canceled');
          this.deps.emitLine({ jobId: ctx.jobId, lineId: line.id, error: 'Canceled' });
        } else {
          const { code, message } = toErrorShape(err);
          result.failed.push({ lineId: line.id, message, code });
          this.#progress(ctx.jobId, line.id, 'failed', message);
          this.deps.emitLine({ jobId: ctx.jobId, lineId: line.id, error: message });
        }
      } finally {
        controllers.delete(line.id);
      }
      done++;
      ctx.progress((done / Math.max(1, total)) * 100, `Voiced ${done} of ${total} lines`);
    };

    try {
      await Promise.all(lines.map(work));
    } finally {
      ctx.signal.removeEventListener('abort', abortAll);
      this.#running.delete(ctx.jobId);
    }
    return result;
  }

  /** Cancels one line of a running voice job; false when it is not queued or running. */
  cancelLine(jobId: string, lineId: string): boolean {
    const c = this.#running.get(jobId)?.get(lineId);
    if (!c || c.signal.aborted) return false;
    c.abort();
    return true;
  }

  /**
   * Characters and cost of voicing the lines (default all), counting only lines whose clip is
   * not cached (with `regenerate`, every listed line).
   */
  async estimate(
    projectId: string,
    episode: Episode,
    lineIds?: readonly string[],
    opts: { regenerate?: boolean } = {},
  ): Promise<{ lines: LineEstimate[]; totalChars: number; totalUsd: number; uncachedLines: number }> {
    const lines: LineEstimate[] = [];
    for (const line of this.#select(episode, lineIds)) {
      let p: Prepared;
      try {
        p = this.#prepare(episode, line);
      } catch {
        continue; // unknown speaker or empty text: the job would fail that line, at no cost
      }
      const cached = !opts.regenerate && !!(await this.#fromCache(projectId, episode, p));
      lines.push({
        lineId: line.id,
        engine: p.engine.id,
        model: p.engine.modelFor?.(p.persona.voice) ?? p.engine.id,
        chars: cached ? 0 : p.spoken.length,
        costUsd: cached ? 0 : p.costUsd,
        cached,
      });
    }
    const totalUsd = lines.reduce((s, l) => s + l.costUsd, 0);
    return {
      lines,
      totalChars: lines.reduce((s, l) => s + l.chars, 0),
      totalUsd: Math.round(totalUsd * 1e6) / 1e6,
      uncachedLines: lines.filter((l) => !l.cached).length,
    };
  }

  /** Refuses (`over-budget`) when voicing the lines would cost more than `budgetUsd`. */
  async assertWithinBudget(
    projectId: string,
    episode: Episode,
    lineIds: readonly string[] | undefined,
    budgetUsd: number,
    opts: { regenerate?: boolean } = {},
  ): Promise<void> {
    const { totalUsd, uncachedLines } = await this.estimate(projectId, episode, lineIds, opts);
    if (totalUsd > budgetUsd)
      throw new StudioError(
        'over-budget',
        `Voicing ${uncachedLines} line${uncachedLines === 1 ? '' : 's'} would cost about $${totalUsd.toFixed(4)}, above the budget of $${budgetUsd.toFixed(2)}.`,
      );
  }

  /** Voices a sample sentence with a persona's voice (not cached, no take). */
  async preview(
    persona: Persona,
    text: string,
    signal?: AbortSignal,
  ): Promise<{ pcm: Pcm; costUsd: number }> {
    const engine = this.engineFor(persona.voice);
    const spoken = text.trim();
    if (!spoken) throw new StudioError('empty-input', 'There is no sample text to voice.');
    const pcm = await this.#render(engine, persona, spoken, signal ?? new AbortController().signal);
    return { pcm, costUsd: spoken.length * (engine.pricePerChar?.(persona.voice) ?? 0) };
  }

  /** The voices an engine offers (for the persona voice picker). */
  listVoices(settings: Pick<VoiceSettings, 'engine'> & Partial<VoiceSettings>) {
    const engine = this.engineFor(settings);
    return engine.listVoices(settings as VoiceSettings);
  }

  /** A line's takes, oldest first, with which is current/pinned and whether its file exists. */
  async takeList(projectId: string, episode: Episode, lineId: string): Promise<TakeView[]> {
    const takes = [...(episode.takes?.[lineId] ?? [])];
    const current = episode.clips[lineId];
    if (current && !takes.some((t) => t.hash === current.hash)) {
      // A clip voiced before takes existed: show it as a take so it can be compared and kept.
      takes.unshift({
        hash: current.hash,
        key: current.hash,
        engine: 'unknown',
        voice: 'Earlier clip',
        createdAt: episode.updatedAt,
        durationSec: current.durationSec,
        costUsd: 0,
      });
    }
    return Promise.all(
      takes.map(async (t) => {
        const rel = `clips/${t.hash}.wav`;
        return {
          ...t,
          current: current?.hash === t.hash,
          pinned: episode.pinned?.[lineId] === t.hash,
          available: (await readClipDuration(this.clipPath(projectId, t.hash))) !== undefined,
          ...(this.deps.mediaUrl ? { url: this.deps.mediaUrl(projectId, rel) } : {}),
        };
      }),
    );
  }

  /** Makes a take the line's clip; `pin` (default) keeps it through "voice all". */
  async takePin(
    projectId: string,
    episode: Episode,
    lineId: string,
    hash: string,
    pin = true,
  ): Promise<TakeState> {
    const takes = await this.takeList(projectId, episode, lineId);
    const take = takes.find((t) => t.hash === hash);
    if (!take) throw new StudioError('not-found', `Line ${lineId} has no take ${hash}.`);
    const durationSec = await readClipDuration(this.clipPath(projectId, hash));
    if (durationSec === undefined)
      throw new StudioError(
        'not-found',
        'That take’s audio is missing from the project; voice the line again.',
      );
    return {
      lineId,
      takes: takes.map(stripView),
      clip: { hash, durationSec },
      pinned: pin ? hash : null,
    };
  }

  /**
   * Deletes a take. When it was the current clip, the newest remaining take becomes current (or
   * the line has no clip). Its file moves to the project's trash unless another line or take
   * still uses it, so {@link takeRestore} can bring it back until {@link purgeTrash}.
   */
  async takeDelete(
    projectId: string,
    episode: Episode,
    lineId: string,
    hash: string,
  ): Promise<TakeState & { fileDeleted: boolean }> {
    const all = (await this.takeList(projectId, episode, lineId)).map(stripView);
    if (!all.some((t) => t.hash === hash))
      throw new StudioError('not-found', `Line ${lineId} has no take ${hash}.`);
    const takes = all.filter((t) => t.hash !== hash);
    const current = episode.clips[lineId];
    let clip: LineClip | null = current ?? null;
    let pinned = episode.pinned?.[lineId] ?? null;
    if (pinned === hash) pinned = null;
    if (current?.hash === hash) {
      const next = takes.at(-1);
      clip = next ? { hash: next.hash, durationSec: next.durationSec } : null;
    }
    const stillUsed =
      Object.entries(episode.clips).some(([id, c]) => id !== lineId && c.hash === hash) ||
      Object.entries(episode.takes ?? {}).some(
        ([id, list]) => id !== lineId && list.some((t) => t.hash === hash),
      );
    let fileDeleted = false;
    const file = this.clipPath(projectId, hash);
    // Only an existing clip makes a trash folder (a bad project id never creates one).
    if (!stillUsed && (await readClipDuration(file)) !== undefined) {
      const trashed = this.trashPath(projectId, hash);
      await mkdir(dirname(trashed), { recursive: true });
      fileDeleted = await rename(file, trashed).then(
        () => true,
        () => false,
      );
    }
    return { lineId, takes, clip, pinned, fileDeleted };
  }

  /**
   * Brings a deleted take back (undo of {@link takeDelete}): its audio returns from the trash (or
   * is still in clips/ because another line uses it) and the take rejoins the line's takes at
   * `index` (default: last). `current` makes it the line's clip again, `pin` also pins it.
   * Never calls an engine.
   */
  async takeRestore(
    projectId: string,
    episode: Episode,
    lineId: string,
    take: Take,
    opts: { index?: number; current?: boolean; pin?: boolean } = {},
  ): Promise<TakeState> {
    const clipFile = this.clipPath(projectId, take.hash);
    let durationSec = await readClipDuration(clipFile);
    if (durationSec === undefined) {
      const trashed = this.trashPath(projectId, take.hash);
      if ((await readClipDuration(trashed)) !== undefined) {
        await rename(trashed, clipFile);
        durationSec = await readClipDuration(clipFile);
      }
    }
    if (durationSec === undefined)
      throw new StudioError(
        'not-found',
        'That take’s audio is no longer in the project (its trash was emptied), so it cannot come back; voice the line again instead.',
      );
    const list = (episode.takes?.[lineId] ?? []).filter((t) => t.hash !== take.hash);
    const at = Math.min(Math.max(0, opts.index ?? list.length), list.length);
    const takes = [...list.slice(0, at), take, ...list.slice(at)];
    const current = opts.current || opts.pin;
    return {
      lineId,
      takes,
      clip: current ? { hash: take.hash, durationSec } : (episode.clips[lineId] ?? null),
      pinned: opts.pin ? take.hash : (episode.pinned?.[lineId] ?? null),
    };
  }

  /** Empties a project's trash of deleted takes (they can no longer be restored); returns how many. */
  async purgeTrash(projectId: string): Promise<number> {
    const dir = dirname(this.trashPath(projectId, 'x'));
    const names = await readdir(dir).catch(() => [] as string[]);
    await rm(join(dir, '..'), { recursive: true, force: true });
    return names.filter((n) => n.endsWith('.wav')).length;
  }

  /** Loads a clip's PCM (for the mixer). */
  async loadClip(projectId: string, hash: string): Promise<Pcm> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.clipPath(projectId, hash));
    } catch {
      throw new StudioError(
        'not-found',
        `A voice clip is missing from the project (${hash}); voice the line again.`,
      );
    }
    return decodeWav(bytes);
  }

  #select(episode: Episode, lineIds?: readonly string[]): SpeechLine[] {
    const wanted = lineIds ? new Set(lineIds) : undefined;
    const lines = speechLines(episode.lines).filter((l) => !wanted || wanted.has(l.id));
    if (wanted && lines.length !== wanted.size) {
      const known = new Set(lines.map((l) => l.id));
      const unknown = [...wanted].filter((id) => !known.has(id));
      throw new StudioError('bad-request', `No speech line with id ${unknown.join(', ')} in this script.`);
    }
    return lines;
  }

  #prepare(episode: Episode, line: SpeechLine): Prepared {
    const host = personaFor(line, episode.personas);
    if (!host)
      throw new StudioError('bad-request', `Unknown speaker "${line.speaker}": pick one of the hosts.`);
    // The embedded voices speak the show's language (the host keeps its variant).
    const persona: Persona =
      host.voice.engine === 'espeak'
        ? {
            ...host,
            voice: { ...host.voice, voice: espeakVoiceForLocale(host.voice.voice, episode.show.locale) },
          }
        : host;
    const spoken = applyPronunciations(line.text, episode.show.pronunciations).trim();
    if (!spoken) throw new StudioError('empty-input', 'This line has no text to voice.');
    const engine = this.engineFor(persona.voice);
    const costUsd = spoken.length * (engine.pricePerChar?.(persona.voice) ?? 0);
    return { line, persona, engine, spoken, key: clipHash(engine, persona, spoken), costUsd };
  }

  /**
   * The clip to reuse for a line without calling the engine: its pinned take, its current clip
   * when that voices the current text and settings, another take of the same content, or the
   * content-addressed file itself.
   */
  async #fromCache(
    projectId: string,
    episode: Episode,
    p: Prepared,
  ): Promise<{ clip: LineClip; take?: Take } | undefined> {
    const id = p.line.id;
    const takes = episode.takes?.[id] ?? [];
    const current = episode.clips[id];
    const exists = (hash: string) => readClipDuration(this.clipPath(projectId, hash));
    if (current) {
      const pinned = episode.pinned?.[id] === current.hash;
      const currentKey = current.hash === p.key ? p.key : takes.find((t) => t.hash === current.hash)?.key;
      if (pinned || currentKey === p.key) {
        const d = await exists(current.hash);
        if (d !== undefined) return { clip: { hash: current.hash, durationSec: d } };
      }
    }
    for (const t of [...takes].reverse()) {
      if (t.key !== p.key) continue;
      const d = await exists(t.hash);
      if (d !== undefined) return { clip: { hash: t.hash, durationSec: d } };
    }
    const d = await exists(p.key);
    if (d === undefined) return undefined;
    const clip = { hash: p.key, durationSec: d };
    // Found on disk but not among the line's takes (an identical line, or an older project).
    return takes.some((t) => t.hash === p.key) ? { clip } : { clip, take: this.#take(p, clip, 0) };
  }

  async #voice(
    projectId: string,
    episode: Episode,
    line: SpeechLine,
    regenerate: boolean,
    signal: AbortSignal,
    jobId: string,
  ): Promise<{ clip: LineClip; take?: Take; fromCache: boolean }> {
    const p = this.#prepare(episode, line);
    if (!regenerate) {
      const hit = await this.#fromCache(projectId, episode, p);
      if (hit) return { ...hit, fromCache: true };
    }
    this.engineRequests++;
    const pcm = await this.#render(p.engine, p.persona, p.spoken, signal, (status, message) =>
      this.#progress(jobId, line.id, status, message),
    );
    // A regenerated take of unchanged content must not overwrite the earlier take's file, nor
    // may any new take reuse the name of a deleted take that an undo could still bring back.
    const taken =
      (await readClipDuration(this.trashPath(projectId, p.key))) !== undefined ||
      (regenerate &&
        ((await readClipDuration(this.clipPath(projectId, p.key))) !== undefined ||
          (episode.takes?.[line.id] ?? []).some((t) => t.hash === p.key)));
    const hash = taken ? sha(`${p.key}:${randomUUID()}`) : p.key;
    await writeFileAtomic(this.clipPath(projectId, hash), encodeWav(pcm.samples, pcm.sampleRate));
    const clip = { hash, durationSec: pcm.samples.length / pcm.sampleRate };
    return { clip, take: this.#take(p, clip, p.costUsd), fromCache: false };
  }

  /**
   * Synthesises text with an engine: split under its request limit, each piece under the
   * engine's concurrency limit with retries, resampled to the project rate, trimmed, joined.
   */
  async #render(
    engine: VoiceEngine,
    persona: Persona,
    text: string,
    signal: AbortSignal,
    progress?: (status: 'running' | 'retrying', message: string) => void,
  ): Promise<Pcm> {
    const pieces = splitForEngine(text, engine.maxChars ?? Infinity);
    const limiter = this.#limiter(engine);
    const gap = new Float32Array(Math.round(PIECE_GAP_SEC * PROJECT_SAMPLE_RATE));
    const parts: Float32Array[] = [];
    for (const [i, piece] of pieces.entries()) {
      const raw = await this.#withRetry(
        () =>
          limiter.run(() => {
            this.engineCalls++;
            progress?.(
              'running',
              pieces.length > 1 ? `Voicing part ${i + 1} of ${pieces.length}` : 'Voicing',
            );
            return engine.synthesize(
              {
                text: piece,
                voice: persona.voice.voice,
                rate: persona.voice.rate,
                pitch: persona.voice.pitch,
                settings: persona.voice,
                instructions: instructionsFor(persona),
              },
              signal,
            );
          }, signal),
        signal,
        (attempt, waitMs, err) =>
          progress?.('retrying', `${err.message} — retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s`),
      );
      if (i > 0) parts.push(gap);
      parts.push(normalize(raw));
    }
    return { samples: concatFloat32(parts), sampleRate: PROJECT_SAMPLE_RATE };
  }

  async #withRetry<T>(
    fn: () => Promise<T>,
    signal: AbortSignal,
    onRetry: (attempt: number, waitMs: number, err: VoiceEngineError) => void,
  ): Promise<T> {
    const maxRetries = this.deps.retry?.maxRetries ?? 3;
    const base = this.deps.retry?.baseDelayMs ?? 1000;
    const maxDelay = this.deps.retry?.maxDelayMs ?? 60_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (signal.aborted) throw new StudioError('canceled', 'Canceled');
        if (!(err instanceof VoiceEngineError) || !err.retryable || attempt >= maxRetries) throw err;
        if (err.retryAfterMs !== undefined && err.retryAfterMs > maxDelay) throw err;
        const backoff = base * 2 ** attempt * (0.75 + Math.random() * 0.5);
        const wait = Math.min(maxDelay, Math.max(err.retryAfterMs ?? 0, backoff));
        onRetry(attempt + 1, wait, err);
        await (this.deps.sleep ?? sleep)(wait, signal);
        if (signal.aborted) throw new StudioError('canceled', 'Canceled');
      }
    }
  }

  #limiter(engine: VoiceEngine): Limiter {
    let l = this.#limiters.get(engine.id);
    if (!l) {
      l = new Limiter(engine.concurrency ?? this.deps.concurrency ?? 2);
      this.#limiters.set(engine.id, l);
    }
    return l;
  }

  #take(p: Prepared, clip: LineClip, costUsd: number): Take {
    return {
      hash: clip.hash,
      key: p.key,
      engine: p.engine.id,
      voice: voiceSummary(p.engine, p.persona.voice),
      text: p.line.text,
      createdAt: (this.deps.now?.() ?? new Date()).toISOString(),
      durationSec: clip.durationSec,
      costUsd: Math.round(costUsd * 1e8) / 1e8,
    };
  }

  #progress(
    jobId: string,
    lineId: string,
    status: EventPayload<'voiceProgress'>['status'],
    message: string,
  ): void {
    this.deps.emitProgress?.({ jobId, lineId, status, message });
  }
}

/** A take's voice label, e.g. "openai gpt-4o-mini-tts · coral". */
export function voiceSummary(engine: VoiceEngine, s: VoiceSettings): string {
  if (engine.id === 'espeak') return `espeak · ${s.voice} · ${s.rate} wpm · pitch ${s.pitch}`;
  const model = engine.modelFor?.(s) ?? s.model ?? '';
  const extra =
    engine.id === 'elevenlabs'
      ? ` · stability ${s.stability ?? 0.5}, similarity ${s.similarityBoost ?? 0.75}, style ${s.style ?? 0}`
      : '';
  return `${engine.id} ${model} · ${s.voice}${extra}`;
}

/** Engine audio → project format: mono at the project rate, silence trimmed to 30 ms each side. */
export function normalize(pcm: Pcm): Float32Array {
  const at =
    pcm.sampleRate === PROJECT_SAMPLE_RATE
      ? pcm.samples
      : resample(pcm.samples, pcm.sampleRate, PROJECT_SAMPLE_RATE);
  return trimSilence(at, PROJECT_SAMPLE_RATE);
}

function stripView(t: TakeView): Take {
  const { current: _c, pinned: _p, available: _a, url: _u, ...take } = t;
  return take;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Duration of a stored 16-bit mono WAV clip from its size, or undefined when there is none. */
async function readClipDuration(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    if (s.size <= 44) return undefined;
    return (s.size - 44) / 2 / PROJECT_SAMPLE_RATE;
  } catch {
    return undefined;
  }
}
