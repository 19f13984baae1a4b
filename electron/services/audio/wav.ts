/**
 * WAV (RIFF) encoding and decoding for clips and interchange with command-line tools.
 */
import { StudioError } from '../../../shared/contract';
import { float32ToInt16 } from './pcm';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Encodes mono float samples as a 16-bit PCM mono WAV file. */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  }
  const pcm = float32ToInt16(samples);
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  writeTag(out, 0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  writeTag(out, 8, 'WAVE');
  writeTag(out, 12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, FORMAT_PCM, true);
  v.setUint16(22, 1, true); // channels
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  writeTag(out, 36, 'data');
  v.setUint32(40, dataBytes, true);
  // WAV is little-endian, like every platform Electron ships on, so the bytes copy straight over.
  out.set(new Uint8Array(pcm.buffer, pcm.byteOffset, dataBytes), 44);
  return out;
}

/** A decoded WAV file, downmixed to mono. */
export interface DecodedWav {
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Decodes a WAV file with 16- or 24-bit integer PCM or 32-bit float samples, any channel count
 * (downmixed to mono by averaging). Throws `StudioError('corrupt', …)` for anything that is not a
 * readable WAV file: wrong header, truncated chunks, unsupported sample formats.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || readTag(bytes, 0) !== 'RIFF' || readTag(bytes, 8) !== 'WAVE') {
    throw corrupt('it is not a WAV file (no RIFF/WAVE header)');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let data: { offset: number; length: number } | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length && !data) {
    const id = readTag(bytes, pos);
    const size = v.getUint32(pos + 4, true);
    const body = pos + 8;
    const available = bytes.length - body;
    if (id === 'data') {
      // Streaming writers leave 0xFFFFFFFF when they cannot seek back; take what is there.
      if (size === 0xffffffff) data = { offset: body, length: available };
      else if (size > available)
        throw corrupt(`it is truncated (data chunk needs ${size} bytes, ${available} present)`);
      else data = { offset: body, length: size };
      break;
    }
    if (size > available) throw corrupt(`it is truncated (the "${printable(id)}" chunk runs past the end)`);
    if (id === 'fmt ') {
      if (size < 16) throw corrupt('its format chunk is too short');
      let format = v.getUint16(body, true);
      const bits = v.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40) throw corrupt('its extensible format chunk is too short');
        format = v.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = {
        format,
        channels: v.getUint16(body + 2, true),
        sampleRate: v.getUint32(body + 4, true),
        bits,
      };
    }
    pos = body + size + (size & 1); // chunks are padded to even length
  }
  if (!fmt) throw corrupt('it has no format chunk before its audio data');
  if (!data) throw corrupt('it has no audio data chunk');
  const { format, channels, sampleRate, bits } = fmt;
  if (channels < 1) throw corrupt('it declares zero channels');
  if (sampleRate < 1) throw corrupt('it declares a zero sample rate');
  const supported =
    (format === FORMAT_PCM && (bits === 16 || bits === 24)) || (format === FORMAT_FLOAT && bits === 32);
  if (!supported) {
    const kind =
      format === FORMAT_PCM ? 'integer PCM' : format === FORMAT_FLOAT ? 'float' : `format code ${format}`;
    throw new StudioError(
      'corrupt',
      `Unsupported WAV audio: ${bits}-bit ${kind} (supported: 16/24-bit PCM, 32-bit float).`,
    );
  }
  const bytesPerSample = bits / 8;
  const frameBytes = bytesPerSample * channels;
  const frames = Math.floor(data.length / frameBytes);
  const samples = new Float32Array(frames);
  const read =
    format === FORMAT_FLOAT
      ? (o: number) => v.getFloat32(o, true)
      : bits === 16
        ? (o: number) => v.getInt16(o, true) / 32768
        : (o: number) => (v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) / 8388608;
  let o = data.offset;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, o += bytesPerSample) sum += read(o);
    samples[i] = sum / channels;
  }
  return { samples, sampleRate };
}

function corrupt(why: string): StudioError {
  return new StudioError('corrupt', `Cannot read the audio file: ${why}.`);
}

function writeTag(out: Uint8Array, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) out[offset + i] = tag.charCodeAt(i);
}

function readTag(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

function printable(tag: string): string {
  return tag.replace(/[^\x20-\x7e]/g, '?');
}
