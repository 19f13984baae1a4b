/**
 * Mixes an episode's voiced lines in script order with a pause after each, writes `mix.wav` for
 * playback and returns the timeline the UI draws (precomputed peaks, one region per line).
 */
import { join } from 'node:path';
import { type Timeline } from '../../../shared/contract';
import { speechLines, type Episode } from '../../../shared/model/episode';
import { writeFileAtomic } from '../fs/atomic-write';
import { personaFor, PROJECT_SAMPLE_RATE, type VoiceService } from '../voice/voice-service';
import { planMix, renderMix } from './mixer';
import { pauseAfterLines } from '../../../shared/audio/pauses';
import { computePeaks } from './peaks';
import { encodeWav } from './wav';

/** Peaks per second sent to the timeline (enough to zoom to a word). */
export const PEAKS_PER_SECOND = 50;

/** A rendered mix plus where each line sits in it. */
export interface Mix {
  samples: Float32Array;
  sampleRate: number;
  regions: Timeline['regions'];
  missing: string[];
}

export class MixService {
  constructor(
    private readonly deps: {
      voice: VoiceService;
      projectDir: (projectId: string) => string;
      mediaUrl: (projectId: string, relPath: string) => string;
    },
  ) {}

  /** Renders the mix of every line that has a clip; lines without one are listed as missing. */
  async mix(projectId: string, episode: Episode, signal?: AbortSignal): Promise<Mix> {
    const lines = speechLines(episode.lines);
    const voiced = lines.filter((l) => episode.clips[l.id]);
    const missing = lines.filter((l) => !episode.clips[l.id]).map((l) => l.id);
    const pcm: Float32Array[] = [];
    for (const line of voiced) {
      signal?.throwIfAborted();
      pcm.push((await this.deps.voice.loadClip(projectId, episode.clips[line.id].hash)).samples);
    }
    const pauses = pauseAfterLines(episode.lines, episode.pauseSec);
    const plan = planMix(
      voiced.map((l, i) => ({
        lineId: l.id,
        durationSec: pcm[i].length / PROJECT_SAMPLE_RATE,
        pauseAfterSec: pauses.get(l.id) ?? episode.pauseSec,
      })),
      PROJECT_SAMPLE_RATE,
    );
    const samples = renderMix(pcm, plan.entries, plan.totalSamples);
    const regions = plan.entries.map((item, i) => {
      const persona = personaFor(voiced[i], episode.personas);
      return {
        lineId: item.lineId,
        speaker: persona?.name ?? voiced[i].speaker,
        color: persona?.color ?? '#888888',
        start: item.start,
        end: item.end,
      };
    });
    return { samples, sampleRate: PROJECT_SAMPLE_RATE, regions, missing };
  }

  /** Mixes, stores `mix.wav` for playback and returns the timeline. */
  async timeline(projectId: string, episode: Episode): Promise<Timeline> {
    const mix = await this.mix(projectId, episode);
    const rel = 'mix.wav';
    await writeFileAtomic(join(this.deps.projectDir(projectId), rel), encodeWav(mix.samples, mix.sampleRate));
    return {
      durationSec: mix.samples.length / mix.sampleRate,
      peaks: computePeaks(mix.samples, mix.sampleRate, PEAKS_PER_SECOND),
      peaksPerSecond: PEAKS_PER_SECOND,
      regions: mix.regions,
      mediaUrl: `${this.deps.mediaUrl(projectId, rel)}${this.deps.mediaUrl(projectId, rel).includes('?') ? '&' : '?'}v=${Date.now()}`,
      missing: mix.missing,
    };
  }
}
