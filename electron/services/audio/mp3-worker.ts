/**
 * Worker thread entry: encodes one request with LAME (wasm-media-encoders, whose ES build inlines
 * the wasm, so nothing is read from disk) and posts progress, then the MP3 bytes (transferred).
 */
import { parentPort } from 'node:worker_threads';
import { createMp3Encoder } from 'wasm-media-encoders';
import type { Mp3Bitrate } from './mp3-encoder';
import { addLameInfoTag } from './mp3-encoder';
import { masterToTarget, type LoudnessTarget } from './master';

/** What the main thread sends: the whole mix, mono. */
export interface Mp3WorkerRequest {
  samples: Float32Array;
  sampleRate: number;
  /** 2 writes the mono mix to both channels (dual-mono). */
  channels: 1 | 2;
  /** CBR bit rate; absent for VBR. */
  bitrateKbps?: Mp3Bitrate;
  /** VBR quality 0–9; absent for CBR. */
  vbrQuality?: number;
  /** Master to this loudness target before encoding (done here, off the main thread). */
  master?: LoudnessTarget;
}

/** Loudness before and after mastering; `null` stands for −∞ (silence). */
export interface MasterReport {
  before: { integratedLufs: number | null; truePeakDbtp: number | null };
  after: { integratedLufs: number | null; truePeakDbtp: number | null };
  gainDb: number;
  target: LoudnessTarget;
}

/** What the worker sends back. */
export type Mp3WorkerReply =
  | { type: 'progress'; fraction: number }
  | { type: 'mastered'; report: MasterReport }
  | { type: 'done'; mp3: Uint8Array }
  | { type: 'error'; message: string };

/** How much louder (LU) a signal measures in both channels than in one: 10·log10(2). */
const DUAL_MONO_LU = 10 * Math.log10(2);

const finite = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

async function encode({
  samples: input,
  sampleRate,
  channels,
  bitrateKbps,
  vbrQuality,
  master,
}: Mp3WorkerRequest): Promise<Uint8Array> {
  let samples = input;
  if (master) {
    // BS.1770 sums the channels' power, so the same signal in two channels measures 3.01 LU louder
    // than in one: dual-mono is mastered 3.01 dB lower and every figure reported is the file's.
    const dual = channels === 2 ? DUAL_MONO_LU : 0;
    const m = masterToTarget(input, sampleRate, { ...master, integratedLufs: master.integratedLufs - dual });
    samples = m.samples;
    const lu = (x: number): number | null => finite(x + dual);
    post({
      type: 'mastered',
      report: {
        before: { integratedLufs: lu(m.before.integratedLufs), truePeakDbtp: finite(m.before.truePeakDbtp) },
        after: { integratedLufs: lu(m.after.integratedLufs), truePeakDbtp: finite(m.after.truePeakDbtp) },
        gainDb: Math.round(m.gainDb * 100) / 100,
        target: master,
      },
    });
  }
  const encoder = await createMp3Encoder();
  encoder.configure(
    vbrQuality !== undefined
      ? { sampleRate, channels, vbrQuality }
      : { sampleRate, channels, bitrate: bitrateKbps ?? 64 },
  );
  const chunk = sampleRate; // one second per call keeps progress smooth and the wasm heap small
  // 64 kbps CBR is 8 kB/s; start near the final size (VBR: guess 96 kbps) and grow by doubling.
  let out = new Uint8Array(Math.ceil((samples.length / sampleRate + 1) * (bitrateKbps ?? 96) * 125) + 8192);
  let length = 0;
  const append = (bytes: Uint8Array): void => {
    if (length + bytes.length > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, length + bytes.length));
      bigger.set(out.subarray(0, length));
      out = bigger;
    }
    out.set(bytes, length); // the encoder owns `bytes`: copy before the next call
    length += bytes.length;
  };
  let lastReported = 0;
  for (let i = 0; i < samples.length; i += chunk) {
    const part = samples.subarray(i, i + chunk);
    // Dual-mono: the same mono mix in both channels (the views share memory; nothing is copied).
    append(encoder.encode(channels === 2 ? [part, part] : [part]));
    const fraction = Math.min(i + chunk, samples.length) / samples.length;
    if (fraction - lastReported >= 0.01) {
      lastReported = fraction;
      post({ type: 'progress', fraction: fraction * 0.99 });
    }
  }
  append(encoder.finalize());
  return addLameInfoTag(out.subarray(0, length), samples.length, vbrQuality);
}

function post(reply: Mp3WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}

parentPort?.once('message', (req: Mp3WorkerRequest) => {
  encode(req).then(
    (mp3) => {
      const compact = mp3.byteLength === mp3.buffer.byteLength ? mp3 : mp3.slice();
      post({ type: 'done', mp3: compact }, [compact.buffer as ArrayBuffer]);
    },
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
