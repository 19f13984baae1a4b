/** The interface every voice engine implements (the spine ships the embedded espeak-ng engine). */
import type { VoiceSettings } from '../../../shared/model/episode';

/** Mono PCM as float samples in -1..1. */
export interface Pcm {
  samples: Float32Array;
  sampleRate: number;
}

export interface VoiceEngine {
  /** Engine id as stored in persona voice settings. */
  readonly id: VoiceSettings['engine'];
  /** Identifies the engine build; part of every clip's content hash so an upgrade re-voices. */
  readonly version: string;
  synthesize(
    req: { text: string; voice: string; rate: number; pitch: number },
    signal?: AbortSignal,
  ): Promise<Pcm>;
  listVoices(): Promise<{ id: string; label: string }[]>;
  close(): Promise<void> | void;
}
