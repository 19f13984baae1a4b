/**
 * Voices speech lines through a content-addressed clip cache: a clip's file name is the hash of
 * (engine, engine version, voice settings, text), so a line whose text and voice did not change is
 * never sent to the engine again, also after the project is closed and reopened.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError, type EventPayload, type JobResult } from '../../../shared/contract';
import {
  speechLines,
  type Episode,
  type LineClip,
  type Persona,
  type SpeechLine,
} from '../../../shared/model/episode';
import { writeFileAtomic } from '../fs/atomic-write';
import type { JobContext } from '../jobs/job-manager';
import { decodeWav, encodeWav } from '../audio/wav';
import type { Pcm, VoiceEngine } from './voice-engine';

/** The sample rate every clip and mix of a project uses (espeak-ng's native rate). */
export const PROJECT_SAMPLE_RATE = 22050;

/** Finds the persona speaking a line (names compare case-insensitively). */
export function personaFor(line: SpeechLine, personas: readonly Persona[]): Persona | undefined {
  const name = line.speaker.trim().toLowerCase();
  return personas.find((p) => p.name.trim().toLowerCase() === name);
}

/** Content hash of everything that shapes a clip's audio. */
export function clipHash(engine: VoiceEngine, persona: Persona, text: string): string {
  const { voice, rate, pitch } = persona.voice;
  return createHash('sha256')
    .update(JSON.stringify([engine.id, engine.version, voice, rate, pitch, text.trim()]))
    .digest('hex')
    .slice(0, 32);
}

export class VoiceService {
  /** Number of engine requests actually made (what a cloud engine would bill). */
  engineRequests = 0;

  constructor(
    private readonly deps: {
      engine: VoiceEngine;
      projectDir: (projectId: string) => string;
      emitLine: (payload: EventPayload<'voiceLine'>) => void;
      concurrency?: number;
    },
  ) {}

  /** Path of a clip in a project. */
  clipPath(projectId: string, hash: string): string {
    return join(this.deps.projectDir(projectId), 'clips', `${hash}.wav`);
  }

  /** Voices the listed lines (default: all speech lines), cache first; failures stay per line. */
  async synthesize(
    ctx: JobContext,
    projectId: string,
    episode: Episode,
    lineIds?: readonly string[],
  ): Promise<Extract<JobResult, { kind: 'voice' }>> {
    const wanted = lineIds ? new Set(lineIds) : undefined;
    const lines = speechLines(episode.lines).filter((l) => !wanted || wanted.has(l.id));
    if (wanted && lines.length !== wanted.size) {
      const known = new Set(lines.map((l) => l.id));
      const unknown = [...wanted].filter((id) => !known.has(id));
      throw new StudioError('bad-request', `No speech line with id ${unknown.join(', ')} in this script.`);
    }
    const result: Extract<JobResult, { kind: 'voice' }> = {
      kind: 'voice',
      clips: {},
      synthesized: [],
      cached: [],
      failed: [],
    };
    let done = 0;
    const total = lines.length;
    ctx.progress(0, total ? `Voicing ${total} line${total === 1 ? '' : 's'}` : 'Nothing to voice');

    const work = async (line: SpeechLine): Promise<void> => {
      try {
        const { clip, fromCache } = await this.voiceLine(projectId, episode.personas, line, ctx.signal);
        result.clips[line.id] = clip;
        (fromCache ? result.cached : result.synthesized).push(line.id);
        this.deps.emitLine({ jobId: ctx.jobId, lineId: line.id, clip });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        const message = err instanceof Error ? err.message : String(err);
        result.failed.push({ lineId: line.id, message });
        this.deps.emitLine({ jobId: ctx.jobId, lineId: line.id, error: message });
      }
      done++;
      ctx.progress((done / Math.max(1, total)) * 100, `Voiced ${done} of ${total} lines`);
    };

    const queue = [...lines];
    const workers = Array.from({ length: Math.min(this.deps.concurrency ?? 2, queue.length) }, async () => {
      for (let line = queue.shift(); line; line = queue.shift()) {
        if (ctx.signal.aborted) throw new StudioError('canceled', 'Voicing canceled');
        await work(line);
      }
    });
    await Promise.all(workers);
    return result;
  }

  /** Returns a line's clip from the cache, or synthesises and stores it. */
  async voiceLine(
    projectId: string,
    personas: readonly Persona[],
    line: SpeechLine,
    signal?: AbortSignal,
  ): Promise<{ clip: LineClip; fromCache: boolean }> {
    const persona = personaFor(line, personas);
    if (!persona)
      throw new StudioError('bad-request', `Unknown speaker "${line.speaker}": pick one of the hosts.`);
    const text = line.text.trim();
    if (!text) throw new StudioError('empty-input', 'This line has no text to voice.');
    const hash = clipHash(this.deps.engine, persona, text);
    const path = this.clipPath(projectId, hash);
    const cached = await readClipDuration(path);
    if (cached !== undefined) return { clip: { hash, durationSec: cached }, fromCache: true };

    this.engineRequests++;
    const pcm = await this.deps.engine.synthesize(
      { text, voice: persona.voice.voice, rate: persona.voice.rate, pitch: persona.voice.pitch },
      signal,
    );
    if (pcm.sampleRate !== PROJECT_SAMPLE_RATE) {
      throw new StudioError(
        'engine',
        `The voice engine returned ${pcm.sampleRate} Hz audio; expected ${PROJECT_SAMPLE_RATE}.`,
      );
    }
    await writeFileAtomic(path, encodeWav(pcm.samples, pcm.sampleRate));
    return { clip: { hash, durationSec: pcm.samples.length / pcm.sampleRate }, fromCache: false };
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
