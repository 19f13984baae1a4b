/**
 * MP3 export: LAME (wasm-media-encoders) in a worker thread, so a long episode never blocks the
 * main process. The worker is started per export and terminated when it ends or is aborted.
 */
import type { Worker } from 'node:worker_threads';
import { StudioError } from '../../../shared/contract';
import { MP3_DEFAULT_BITRATE } from '../../../shared/export/mp3-choices';
import type { MasterReport, Mp3WorkerReply, Mp3WorkerRequest } from './mp3-worker';
import type { LoudnessTarget } from './master';

/** Constant bit rates LAME accepts, in kbps. */
export const MP3_BITRATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;
/** A constant bit rate LAME accepts, in kbps. */
export type Mp3Bitrate = (typeof MP3_BITRATES)[number];
/** Constant (one bit rate for every frame) or variable (LAME `-V` quality, frames vary). */
export type Mp3Mode = 'cbr' | 'vbr';
/** LAME's default VBR quality for speech here (`-V 6`); 0 is the best and largest, 9 the smallest. */
export const MP3_DEFAULT_VBR_QUALITY = 6;

/** Options of {@link encodeMp3}. */
export interface EncodeMp3Options {
  /**
   * Constant bit rate in kbps, one of {@link MP3_BITRATES} (CBR only; default
   * {@link MP3_DEFAULT_BITRATE} for the channel count).
   */
  bitrateKbps?: number;
  /** CBR (default) or VBR. */
  mode?: Mp3Mode;
  /** VBR quality 0 (best, largest) … 9 (smallest); default {@link MP3_DEFAULT_VBR_QUALITY}. */
  vbrQuality?: number;
  /**
   * 1 (default) or 2. The mix is mono, so stereo is dual-mono: the same signal in both channels
   * (LAME's joint stereo then spends almost nothing on the empty side channel).
   */
  channels?: 1 | 2;
  /** Aborting terminates the worker and rejects with `StudioError('canceled')`. */
  signal?: AbortSignal;
  /** Called with the fraction done, 0..1, as the worker encodes. */
  onProgress?: (fraction: number) => void;
  /** Starts an `mp3-worker` (see `nodeWorkerFactory`; the Electron build passes its bundled one). */
  createWorker: () => Worker;
  /**
   * Move the samples' memory to the worker instead of copying it (default true). The caller's
   * array is then detached (length 0) once this returns; pass `false` to keep using it.
   */
  transfer?: boolean;
  /** Master to this loudness target in the worker before encoding. */
  master?: LoudnessTarget;
  /** Receives the before/after loudness when `master` is set. */
  onMastered?: (report: MasterReport) => void;
}

/**
 * Encodes mono samples as a CBR or VBR MP3, mono or dual-mono stereo (MPEG-1/2/2.5 Layer III,
 * chosen by LAME from the sample rate), with a Xing/Info tag carrying the frame count, byte count
 * and seek table plus the LAME extension's encoder delay and padding, so players show the exact
 * duration, seek correctly in VBR files, and start and end exactly where the audio does.
 */
export function encodeMp3(
  samples: Float32Array,
  sampleRate: number,
  opts: EncodeMp3Options,
): Promise<Uint8Array> {
  const { signal, onProgress, onMastered, createWorker, master, transfer = true } = opts;
  const { mode = 'cbr', channels = 1, vbrQuality = MP3_DEFAULT_VBR_QUALITY } = opts;
  const bitrateKbps = opts.bitrateKbps ?? MP3_DEFAULT_BITRATE[channels];
  if (channels !== 1 && channels !== 2) {
    return Promise.reject(new StudioError('bad-request', `An MP3 has 1 or 2 channels, not ${channels}`));
  }
  if (mode !== 'cbr' && mode !== 'vbr') {
    return Promise.reject(new StudioError('bad-request', `MP3 mode must be CBR or VBR, got ${mode}`));
  }
  if (mode === 'vbr' && !(Number.isInteger(vbrQuality) && vbrQuality >= 0 && vbrQuality <= 9)) {
    return Promise.reject(
      new StudioError('bad-request', `VBR quality must be a whole number 0–9, got ${vbrQuality}`),
    );
  }
  if (mode === 'cbr' && !(MP3_BITRATES as readonly number[]).includes(bitrateKbps)) {
    return Promise.reject(
      new StudioError(
        'bad-request',
        `MP3 bit rate must be one of ${MP3_BITRATES.join(', ')} kbps, got ${bitrateKbps}`,
      ),
    );
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48000) {
    return Promise.reject(
      new StudioError('bad-request', `MP3 sample rate must be 8000–48000 Hz, got ${sampleRate}`),
    );
  }
  if (signal?.aborted) return Promise.reject(canceled());

  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const worker = createWorker();
    const finish = (err: Error | null, mp3?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolve(mp3!);
    };
    const onAbort = (): void => finish(canceled());
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (msg: Mp3WorkerReply) => {
      if (msg.type === 'progress') {
        if (!settled) onProgress?.(msg.fraction);
      } else if (msg.type === 'mastered') {
        if (!settled) onMastered?.(msg.report);
      } else if (msg.type === 'done') {
        if (!settled) onProgress?.(1);
        finish(null, msg.mp3);
      } else {
        finish(new StudioError('engine', `MP3 encoder failed: ${msg.message}`));
      }
    });
    worker.on('error', (err) => finish(new StudioError('engine', `MP3 encoder crashed: ${err.message}`)));
    worker.on('exit', (code) =>
      finish(new StudioError('engine', `MP3 encoder stopped unexpectedly (exit ${code})`)),
    );

    const pcm = transferable(samples, transfer);
    const request: Mp3WorkerRequest = {
      samples: pcm,
      sampleRate,
      channels,
      ...(mode === 'vbr' ? { vbrQuality } : { bitrateKbps: bitrateKbps as Mp3Bitrate }),
      ...(master ? { master } : {}),
    };
    worker.postMessage(request, transfer && pcm.buffer instanceof ArrayBuffer ? [pcm.buffer] : []);
  });
}

/** Moving a view of a larger buffer would move (and detach) all of it, so only whole buffers move. */
function transferable(samples: Float32Array, transfer: boolean): Float32Array {
  if (!transfer || !(samples.buffer instanceof ArrayBuffer)) return samples;
  if (samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength) return samples;
  return samples.slice();
}

function canceled(): StudioError {
  return new StudioError('canceled', 'Export canceled');
}

// ---------------------------------------------------------------------------------------------
// MP3 frame parsing and the LAME "Info" tag (run in the worker; pure functions, tested directly).

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** A parsed Layer III frame header. */
export interface Mp3FrameHeader {
  /** 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5 (the header's version bits). */
  version: number;
  bitrateKbps: number;
  sampleRate: number;
  mono: boolean;
  /** Frame length in bytes, header included. */
  length: number;
  samplesPerFrame: number;
}

/** Parses the Layer III frame header at `offset`, or returns null if there is none. */
export function parseMp3FrameHeader(bytes: Uint8Array, offset: number): Mp3FrameHeader | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3;
  if (version === 1 || ((b1 >> 1) & 3) !== 1) return null; // reserved version / not Layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const bitrateKbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
  const sampleRate = RATES[version][rateIndex];
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const length = Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, bitrateKbps, sampleRate, mono: bytes[offset + 3] >> 6 === 3, length, samplesPerFrame };
}

/** CRC-16/ARC (polynomial 0x8005 reflected, init 0): the checksum of the LAME tag. */
export function crc16(bytes: Uint8Array, crc = 0): number {
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Samples LAME delays its output by (the decoder adds another 529), as the LAME tag states. */
export const LAME_ENCODER_DELAY = 576;

/**
 * Prepends a Xing frame with a LAME extension to a LAME stream holding `sampleCount` input
 * samples: frame count, byte count, a seek table from the real frame offsets, encoder delay and
 * end padding. A CBR stream gets the "Info" name; pass `vbrQuality` for a VBR stream, which gets
 * "Xing" (players then take the duration from the frame count instead of guessing it from the
 * first frame's bit rate, and seek through the table). Returns the input unchanged if it does not
 * start with a Layer III frame.
 */
export function addLameInfoTag(mp3: Uint8Array, sampleCount: number, vbrQuality?: number): Uint8Array {
  const first = parseMp3FrameHeader(mp3, 0);
  if (!first) return mp3;
  const offsets: number[] = [];
  let minKbps = first.bitrateKbps;
  for (let pos = 0; ;) {
    const h = parseMp3FrameHeader(mp3, pos);
    if (!h) break;
    offsets.push(pos);
    minKbps = Math.min(minKbps, h.bitrateKbps);
    pos += h.length;
  }
  const frames = offsets.length;
  const sideInfo = first.version === 3 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
  const xing = 4 + sideInfo;
  const tagEnd = xing + 120 + 36;
  // Low bit rates make frames too small for the tag, so the tag frame may use a higher one
  // (LAME does the same).
  const table = first.version === 3 ? BITRATES_V1 : BITRATES_V2;
  let index = table.indexOf(first.bitrateKbps);
  const frameLength = (i: number): number =>
    Math.floor(((first.samplesPerFrame / 8) * table[i] * 1000) / first.sampleRate);
  while (index < 14 && frameLength(index) < tagEnd) index++;
  const tagLength = frameLength(index);
  if (tagLength < tagEnd) return mp3;

  const vbr = vbrQuality !== undefined;
  const out = new Uint8Array(tagLength + mp3.length);
  out.set(mp3, tagLength);
  const v = new DataView(out.buffer);
  out[0] = 0xff;
  out[1] = mp3[1] | 1; // no CRC
  out[2] = (index << 4) | (mp3[2] & 0x0c); // bit rate, same sample rate, no padding
  out[3] = mp3[3];
  const total = out.length;
  out.set(new TextEncoder().encode(vbr ? 'Xing' : 'Info'), xing);
  v.setUint32(xing + 4, 0x0f, false); // frames, bytes, TOC and quality present
  v.setUint32(xing + 8, frames, false);
  v.setUint32(xing + 12, total, false);
  // TOC: for each percent of the duration, where that frame starts, as a fraction of the file in 1/256.
  for (let i = 0; i < 100; i++) {
    const at = frames > 0 ? tagLength + offsets[Math.min(frames - 1, Math.floor((i * frames) / 100))] : 0;
    out[xing + 16 + i] = Math.min(255, Math.floor((at * 256) / total));
  }
  // LAME's quality indicator is 100 − 10 × V (CBR has none).
  v.setUint32(xing + 116, vbr ? 100 - 10 * vbrQuality : 0, false);
  const lame = xing + 120;
  out.set(new TextEncoder().encode('LAME3.100'), lame);
  out[lame + 9] = vbr ? 0x04 : 0x01; // tag revision 0; VBR method 4 = VBR (mtrh, LAME's -V), 1 = CBR
  out[lame + 20] = Math.min(255, vbr ? minKbps : first.bitrateKbps); // VBR: the minimum bit rate
  const padding = Math.max(0, frames * first.samplesPerFrame - LAME_ENCODER_DELAY - sampleCount);
  const delays = (LAME_ENCODER_DELAY << 12) | Math.min(4095, padding);
  out[lame + 21] = delays >> 16;
  out[lame + 22] = (delays >> 8) & 0xff;
  out[lame + 23] = delays & 0xff;
  v.setUint32(lame + 28, total, false); // music length, tag frame included
  v.setUint16(lame + 32, crc16(mp3), false); // CRC of the audio frames
  v.setUint16(lame + 34, crc16(out.subarray(0, lame + 34)), false); // CRC of the tag frame so far
  return out;
}
