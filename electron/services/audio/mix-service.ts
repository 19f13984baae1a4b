/**
 * Mixes an episode's voiced lines in script order with a pause after each (per-line gain and
 * pause overrides from `episode.lineAudio`, an optional music bed), writes `mix.wav` for playback
 * and returns the timeline the UI draws (precomputed peaks, one region per line, loudness).
 *
 * Each project keeps its last mix in a {@link MixEngine}: regenerating or re-timing one line
 * re-renders only from that line on, and `mix.wav` is patched from that point.
 */
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError, type Timeline, type TimelinePeaks } from '../../../shared/contract';
import { speechLines, type Episode } from '../../../shared/model/episode';
import { effectivePauses } from '../../../shared/audio/pauses';
import { ioError, writeFileAtomic } from '../fs/atomic-write';
import { personaFor, PROJECT_SAMPLE_RATE, type VoiceService } from '../voice/voice-service';
import { decodeAudio } from './decode';
import { integratedLoudness, measureLoudness } from './loudness';
import { fullMix, MixEngine, type EngineBed, type EngineLine, type EngineResult } from './mix-engine';
import { float32ToInt16 } from './pcm';
import { bucketCount, MAX_PEAK_WINDOW, PEAK_LEVELS } from './peaks';
import { encodeWav } from './wav';

/**
 * Peaks per second sent whole with the timeline (the coarsest level of the pyramid, enough for the
 * whole hour and the minimap); finer levels come as windows from {@link MixService.peaks}.
 */
export const PEAKS_PER_SECOND = PEAK_LEVELS[0];

/** A line this many LU from the median line loudness is flagged on the timeline. */
export const LOUDNESS_OUTLIER_LU = 6;

/** Largest music bed file accepted (bytes). */
export const MAX_MUSIC_BYTES = 200 * 1024 * 1024;

/** A rendered mix plus where each line sits in it. */
export interface Mix {
  samples: Float32Array;
  sampleRate: number;
  regions: Timeline['regions'];
  missing: string[];
}

interface ProjectMix {
  engine: MixEngine;
  clips: Map<string, Float32Array>;
  /** Integrated loudness of each clip (before gain), LUFS; −Infinity for silence. */
  clipLoudness: Map<string, number>;
  bed?: { file: string; stamp: string; music: Float32Array };
  /** Length of the mix.wav on disk (samples), or −1 when it must be written whole. */
  wavSamples: number;
  /**
   * Counts mixes that changed the timeline's samples; 0 = none yet (a peaks window names the mix it
   * came from, so a re-mix that changed nothing must not bump it).
   */
  version: number;
  /** The engine holds the mix of `version` and mix.wav matches it (false after a failed write). */
  ready: boolean;
  queue: Promise<unknown>;
}

/** Plain file name for an imported music file (keeps letters, digits, dot, dash, underscore, space). */
export function musicFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^[._ -]+/, '');
  return (base || 'music').slice(0, 120);
}

export class MixService {
  readonly #projects = new Map<string, ProjectMix>();

  constructor(
    private readonly deps: {
      voice: VoiceService;
      projectDir: (projectId: string) => string;
      mediaUrl: (projectId: string, relPath: string) => string;
    },
  ) {}

  #state(projectId: string): ProjectMix {
    let s = this.#projects.get(projectId);
    if (!s) {
      s = {
        engine: new MixEngine(PROJECT_SAMPLE_RATE, PEAKS_PER_SECOND),
        clips: new Map(),
        clipLoudness: new Map(),
        wavSamples: -1,
        version: 0,
        ready: false,
        queue: Promise.resolve(),
      };
      this.#projects.set(projectId, s);
    }
    return s;
  }

  /** Runs `task` after the project's previous mix work (one engine, one mix.wav). */
  #serial<T>(projectId: string, task: (s: ProjectMix) => Promise<T>): Promise<T> {
    const s = this.#state(projectId);
    const run = s.queue.then(() => task(s));
    s.queue = run.catch(() => undefined);
    return run;
  }

  /** Stores an imported music file under the project's music/ folder; returns its file name. */
  async importMusic(projectId: string, name: string, bytes: Uint8Array): Promise<string> {
    if (bytes.length === 0) throw new StudioError('empty-input', 'The music file is empty.');
    if (bytes.length > MAX_MUSIC_BYTES) throw new StudioError('too-large', 'The music file is over 200 MB.');
    // Decoding first means a damaged or unsupported file is refused at import, not at the next mix.
    await decodeAudio(bytes, PROJECT_SAMPLE_RATE, `"${name}"`);
    const file = musicFileName(name);
    const dir = join(this.deps.projectDir(projectId), 'music');
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw ioError(err, dir);
    }
    await writeFileAtomic(join(dir, file), bytes);
    return file;
  }

  async #loadBed(projectId: string, s: ProjectMix, episode: Episode): Promise<EngineBed | undefined> {
    const bed = episode.musicBed;
    if (!bed) return undefined;
    const path = join(this.deps.projectDir(projectId), 'music', musicFileName(bed.file));
    let stamp: string;
    try {
      const st = await stat(path);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      throw new StudioError(
        'not-found',
        `The music bed "${bed.file}" is missing from the project's music folder.`,
      );
    }
    if (s.bed?.file !== bed.file || s.bed.stamp !== stamp) {
      const music = await decodeAudio(
        await readFile(path),
        PROJECT_SAMPLE_RATE,
        `the music bed "${bed.file}"`,
      );
      s.bed = { file: bed.file, stamp, music };
    }
    return { key: `${bed.file}:${stamp}`, music: s.bed.music, ...bed };
  }

  /**
   * The engine lines of the voiced lines, in script order. Clips come from the project's cache;
   * with `keepCache` the cache is updated (clips loaded, clips no longer used dropped), otherwise
   * it is only read, so an export of another variant (a listener's) leaves it as the timeline needs.
   */
  async #engineLines(
    projectId: string,
    s: ProjectMix,
    episode: Episode,
    keepCache: boolean,
    signal?: AbortSignal,
  ): Promise<{ lines: EngineLine[]; regions: Mix['regions']; missing: string[] }> {
    const speech = speechLines(episode.lines);
    const voiced = speech.filter((l) => episode.clips[l.id]);
    const missing = speech.filter((l) => !episode.clips[l.id]).map((l) => l.id);
    const pauses = effectivePauses(episode.lines, episode.pauseSec, episode.lineAudio);
    const used = new Set<string>();
    const lines: EngineLine[] = [];
    for (const line of voiced) {
      signal?.throwIfAborted();
      const hash = episode.clips[line.id].hash;
      used.add(hash);
      let clip = s.clips.get(hash);
      if (!clip) {
        clip = (await this.deps.voice.loadClip(projectId, hash)).samples;
        if (keepCache) s.clips.set(hash, clip);
      }
      lines.push({
        lineId: line.id,
        hash,
        clip,
        gainDb: episode.lineAudio?.[line.id]?.gainDb ?? 0,
        pauseAfterSec: pauses.get(line.id) ?? episode.pauseSec,
      });
    }
    if (keepCache) for (const h of s.clips.keys()) if (!used.has(h)) s.clips.delete(h);
    const regions = lines.map((l, i) => {
      const persona = personaFor(voiced[i], episode.personas);
      return {
        lineId: l.lineId,
        speaker: persona?.name ?? voiced[i].speaker,
        color: persona?.color ?? '#888888',
        start: 0,
        end: 0,
      };
    });
    return { lines, regions, missing };
  }

  /** Region times from a mix's plan entries. */
  static #placed(regions: Mix['regions'], result: EngineResult): Mix['regions'] {
    return regions.map((r, i) => ({ ...r, start: result.entries[i].start, end: result.entries[i].end }));
  }

  /**
   * Renders the mix of every line that has a clip (lines without one are listed as missing), for
   * an export. It is a full render of its own: an export (or each listener's variant of a batch)
   * never touches the project's timeline engine, its peaks or its mix version. A full render
   * costs about as much as the MP3 encoding that follows is a fraction of, and keeps no second
   * hour-long buffer per project in memory. The samples are the caller's own.
   */
  async mix(projectId: string, episode: Episode, signal?: AbortSignal): Promise<Mix> {
    const s = this.#state(projectId);
    const { lines, regions, missing } = await this.#engineLines(projectId, s, episode, false, signal);
    const bed = await this.#loadBed(projectId, s, episode);
    signal?.throwIfAborted();
    const result = fullMix(lines, bed, PROJECT_SAMPLE_RATE, PEAKS_PER_SECOND);
    return {
      samples: result.samples,
      sampleRate: PROJECT_SAMPLE_RATE,
      regions: MixService.#placed(regions, result),
      missing,
    };
  }

  /** Writes mix.wav whole, or patches it from the first changed sample. */
  async #writeWav(projectId: string, s: ProjectMix, samples: Float32Array, from: number): Promise<void> {
    const path = join(this.deps.projectDir(projectId), 'mix.wav');
    if (s.wavSamples < 0 || from > s.wavSamples) {
      await writeFileAtomic(path, encodeWav(samples, PROJECT_SAMPLE_RATE));
      s.wavSamples = samples.length;
      return;
    }
    if (from >= samples.length && s.wavSamples === samples.length) return;
    try {
      const header = encodeWav(new Float32Array(0), PROJECT_SAMPLE_RATE);
      const v = new DataView(header.buffer);
      v.setUint32(4, 36 + samples.length * 2, true);
      v.setUint32(40, samples.length * 2, true);
      const fh = await open(path, 'r+');
      try {
        await fh.write(header, 0, 44, 0);
        const tail = float32ToInt16(samples.subarray(from));
        await fh.write(
          new Uint8Array(tail.buffer, tail.byteOffset, tail.byteLength),
          0,
          tail.byteLength,
          44 + from * 2,
        );
        await fh.truncate(44 + samples.length * 2);
      } finally {
        await fh.close();
      }
      s.wavSamples = samples.length;
    } catch {
      s.wavSamples = -1;
      await writeFile(path, encodeWav(samples, PROJECT_SAMPLE_RATE));
      s.wavSamples = samples.length;
    }
  }

  /** Mixes (incrementally), stores `mix.wav` for playback and returns the timeline. */
  async timeline(projectId: string, episode: Episode): Promise<Timeline> {
    return this.#serial(projectId, async (s) => {
      const { lines, regions: unplaced, missing } = await this.#engineLines(projectId, s, episode, true);
      const engineBed = await this.#loadBed(projectId, s, episode);
      const before = s.ready ? s.engine.lastLength : -1;
      const result = s.engine.update(lines, engineBed);
      const mix: Mix = {
        samples: result.samples,
        sampleRate: PROJECT_SAMPLE_RATE,
        regions: MixService.#placed(unplaced, result),
        missing,
      };
      const rel = 'mix.wav';
      try {
        await this.#writeWav(projectId, s, mix.samples, result.changedFrom);
      } catch (err) {
        // The engine holds a mix that is not on disk: forget it, so the next timeline renders and
        // writes it whole, and answer no peaks window until then (the version is not bumped).
        s.engine.reset();
        s.ready = false;
        s.wavSamples = -1;
        throw err;
      }
      // Only a mix that really changed gets a new version: the timeline on screen keeps asking
      // for windows of the one it shows.
      if (result.changedFrom < mix.samples.length || mix.samples.length !== before) s.version++;
      s.ready = true;
      const url = this.deps.mediaUrl(projectId, rel);
      const durationSec = mix.samples.length / mix.sampleRate;
      const bed = episode.musicBed;
      return {
        durationSec,
        peaks: result.peaks.slice(),
        peaksPerSecond: PEAKS_PER_SECOND,
        regions: mix.regions,
        mediaUrl: `${url}${url.includes('?') ? '&' : '?'}v=${Date.now()}`,
        missing: mix.missing,
        loudness: this.#loudness(s, mix.samples, lines),
        peakLevels: [...PEAK_LEVELS],
        mixVersion: s.version,
        ...(bed ? { bed: { file: bed.file, start: 0, end: durationSec } } : {}),
        ...(result.bedParts
          ? {
              bedSpans: [
                { start: 0, end: result.bedParts.introEnd / mix.sampleRate },
                { start: result.bedParts.outroStart / mix.sampleRate, end: durationSec },
              ].filter((p) => p.end > p.start),
            }
          : {}),
        // A looped bed is heard under the whole episode.
        ...(bed?.mode === 'under-all' ? { bedSpans: [{ start: 0, end: durationSec }] } : {}),
      };
    });
  }

  /**
   * A window of `count` peaks from peak `from` of the pyramid level `level` (peaks per second) of
   * the project's last mix. Tiles are computed on first request and kept until an edit reaches
   * them, so zooming and scrolling never rescan what did not change.
   */
  async peaks(projectId: string, level: number, from: number, count: number): Promise<TimelinePeaks> {
    if (!PEAK_LEVELS.includes(level)) {
      throw new StudioError(
        'bad-request',
        `There is no waveform level of ${level} peaks a second (levels: ${PEAK_LEVELS.join(', ')}).`,
      );
    }
    if (count > MAX_PEAK_WINDOW) {
      throw new StudioError(
        'bad-request',
        `A waveform window holds at most ${MAX_PEAK_WINDOW} peaks (asked for ${count}).`,
      );
    }
    if (!this.#projects.has(projectId)) {
      throw new StudioError('not-found', 'Mix the episode first: the timeline has no waveform yet.');
    }
    return this.#serial(projectId, async (s) => {
      if (!s.ready) {
        throw new StudioError('not-found', 'Mix the episode first: the timeline has no waveform yet.');
      }
      const q = s.engine.peaksWindow(level, from, count);
      const peaks = Array.from(q, (v) => v / 1000);
      const total = bucketCount(s.engine.lastLength, PROJECT_SAMPLE_RATE, level);
      return { level, from, peaks, total, mixVersion: s.version };
    });
  }

  #loudness(
    s: ProjectMix,
    samples: Float32Array,
    lines: readonly EngineLine[],
  ): NonNullable<Timeline['loudness']> {
    const whole = measureLoudness(samples, PROJECT_SAMPLE_RATE);
    const finite = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
    const perLine: { lineId: string; lufs: number }[] = [];
    for (const l of lines) {
      let lufs = s.clipLoudness.get(l.hash);
      if (lufs === undefined) {
        lufs = integratedLoudness(l.clip, PROJECT_SAMPLE_RATE);
        s.clipLoudness.set(l.hash, lufs);
      }
      if (Number.isFinite(lufs)) perLine.push({ lineId: l.lineId, lufs: lufs + l.gainDb });
    }
    const sorted = perLine.map((p) => p.lufs).sort((a, b) => a - b);
    const median = sorted.length
      ? sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
      : null;
    const outliers =
      median === null
        ? []
        : perLine
            .filter((p) => Math.abs(p.lufs - median) > LOUDNESS_OUTLIER_LU)
            .map((p) => ({
              lineId: p.lineId,
              lufs: finite(p.lufs) ?? 0,
              deltaLu: Math.round((p.lufs - median) * 10) / 10,
            }));
    return {
      integratedLufs: finite(whole.integratedLufs),
      truePeakDbtp: finite(whole.truePeakDbtp),
      medianLineLufs: median === null ? null : finite(median),
      outliers,
    };
  }
}
