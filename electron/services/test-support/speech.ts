/**
 * Test support: a few seconds of real speech (three espeak-ng lines in alternating voices with
 * 0.4 s pauses, 22050 Hz), for loudness and mastering checks that need speech, not tones.
 */
import { concatFloat32 } from '../audio/pcm';
import { nodeWorkerFactory } from '../node-workers';
import { EspeakEngine } from '../voice/espeak-engine';

/** Sample rate of {@link espeakDialogue}'s audio (espeak-ng's own). */
export const DIALOGUE_RATE = 22050;

const LINES = [
  'Good evening, and welcome back to the show. Tonight: the week in technology.',
  'Thanks! It has been a busy week. Three launches, two recalls, and one very strange lawsuit.',
  'Let us start with the lawsuit, because honestly, I still cannot believe it happened.',
];

/** Synthesises the dialogue; throws if the engine does not speak at {@link DIALOGUE_RATE}. */
export async function espeakDialogue(): Promise<Float32Array> {
  const engine = new EspeakEngine({
    createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
  });
  try {
    const parts: Float32Array[] = [];
    for (const [i, text] of LINES.entries()) {
      const clip = await engine.synthesize({
        text,
        voice: i % 2 ? 'en-us+f3' : 'en-us+m3',
        rate: 175,
        pitch: 50,
      });
      if (clip.sampleRate !== DIALOGUE_RATE) throw new Error(`espeak spoke at ${clip.sampleRate} Hz`);
      parts.push(clip.samples, new Float32Array(Math.round(0.4 * DIALOGUE_RATE)));
    }
    return concatFloat32(parts);
  } finally {
    await engine.close();
  }
}
