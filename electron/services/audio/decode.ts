/**
 * Input decoding for imported audio (music beds): WAV through our own reader, MP3 through
 * `audio-decode` (WebAssembly mpg123, loaded on first use), downmixed to mono and resampled to the
 * project rate. Anything else, or a file that fails to decode, is `StudioError('corrupt', …)`.
 */
import { StudioError } from '../../../shared/contract';
import { resample } from '../voice/resample';
import { decodeWav } from './wav';

/** Audio kinds {@link decodeAudio} reads. */
export type AudioKind = 'wav' | 'mp3';

/** Recognises WAV and MP3 by their first bytes (RIFF/WAVE, an ID3 tag or an MPEG frame sync). */
export function sniffAudio(bytes: Uint8Array): AudioKind | undefined {
  const tag = (o: number): string => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE') return 'wav';
  if (bytes.length >= 3 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) return 'mp3';
  // MPEG audio frame sync: 11 set bits, layer bits not "reserved".
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) {
    return 'mp3';
  }
  return undefined;
}

/**
 * Decodes a WAV or MP3 file to mono float samples at `sampleRate`.
 * @throws StudioError('corrupt') for unsupported formats and unreadable or empty audio.
 */
export async function decodeAudio(
  bytes: Uint8Array,
  sampleRate: number,
  name = 'the audio file',
): Promise<Float32Array> {
  const kind = sniffAudio(bytes);
  let mono: Float32Array;
  let rate: number;
  if (kind === 'wav') {
    const wav = decodeWav(bytes);
    mono = wav.samples;
    rate = wav.sampleRate;
  } else if (kind === 'mp3') {
    let decoded: { channelData: Float32Array[]; sampleRate: number };
    try {
      const { default: decode } = await import('audio-decode');
      decoded = await decode(bytes);
    } catch (err) {
      throw new StudioError(
        'corrupt',
        `Cannot read ${name}: the MP3 data is damaged (${err instanceof Error ? err.message : String(err)}).`,
      );
    }
    const ch = decoded.channelData;
    if (!ch?.length || !(decoded.sampleRate > 0)) {
      throw new StudioError('corrupt', `Cannot read ${name}: the MP3 holds no audio frames.`);
    }
    mono = new Float32Array(ch[0].length);
    for (const c of ch) for (let i = 0; i < mono.length; i++) mono[i] += c[i] / ch.length;
    rate = decoded.sampleRate;
  } else {
    throw new StudioError(
      'corrupt',
      `Cannot read ${name}: unsupported audio format (music beds can be WAV or MP3).`,
    );
  }
  if (mono.length === 0) throw new StudioError('corrupt', `Cannot read ${name}: it holds no audio.`);
  return rate === sampleRate ? mono : resample(mono, rate, sampleRate);
}
