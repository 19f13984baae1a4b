import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/contract';
import type { Chapter } from '../../../shared/export/chapters';
import { encodeMp3, parseMp3FrameHeader } from '../audio/mp3-encoder';
import { nodeWorkerFactory } from '../node-workers';
import { id3TagLength, tagMp3, type Mp3Tags } from './id3';

const createWorker = nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url));
const COVER = new Uint8Array(readFileSync(new URL('../../../resources/cover.png', import.meta.url)));
const RATE = 22050;
const dir = mkdtempSync(join(tmpdir(), 'gps-id3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHAPTERS: Chapter[] = [
  { title: 'Introduction', start: 0, end: 2.5 },
  { title: 'Chips & <controls> — “quotes”', start: 2.5, end: 6.1234 },
  { title: 'Résumé: 结束语', start: 6.1234, end: 8 },
];
const TAGS: Mp3Tags = {
  title: 'China’s AI is quietly making big inroads — 中国人工智能 · café',
  show: 'Goose Pod',
  date: '2025-11-15',
  description: 'Chinese AI is gaining traction in Silicon Valley.',
  transcript: 'Elon\nGood morning.\nDonald\nHello.',
  cover: COVER,
  chapters: CHAPTERS,
  durationSec: 8,
};

let untagged: Uint8Array;
beforeAll(async () => {
  const samples = new Float32Array(RATE * 8);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 330 * i) / RATE);
  untagged = await encodeMp3(samples, RATE, { bitrateKbps: 64, createWorker });
});

interface Probe {
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    disposition: { attached_pic: number };
  }[];
  chapters: { start_time: string; end_time: string; tags: { title: string } }[];
  format: { duration: string; tags?: Record<string, string> };
}

function probe(bytes: Uint8Array, name: string): Probe {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_chapters',
    '-show_format',
    '-show_streams',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(out.toString()) as Probe;
}

function decodedSamples(bytes: Uint8Array, name: string): number {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return (
    execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-f', 's16le', '-'], {
      maxBuffer: 1 << 26,
    }).length / 2
  );
}

/** Walks ID3v2.4 frames by their syncsafe sizes; throws if a size lands anywhere but on a frame. */
function readFrames(bytes: Uint8Array): { id: string; sizeBytes: number[]; body: Uint8Array }[] {
  const frames = [];
  let at = 0;
  while (at + 10 <= bytes.length && bytes[at] !== 0) {
    const id = Buffer.from(bytes.subarray(at, at + 4)).toString('latin1');
    if (!/^[A-Z0-9]{4}$/.test(id)) throw new Error(`no frame at ${at}: ${JSON.stringify(id)}`);
    const sizeBytes = [...bytes.subarray(at + 4, at + 8)];
    const size = sizeBytes.reduce((n, b) => (n << 7) | (b & 0x7f), 0);
    frames.push({ id, sizeBytes, body: bytes.subarray(at + 10, at + 10 + size) });
    at += 10 + size;
  }
  if (at !== bytes.length) throw new Error(`frames end at ${at}, the tag at ${bytes.length}`);
  return frames;
}

describe('tagMp3', () => {
  it('writes chapters, show tags and the cover that ffprobe reads back', () => {
    const tagged = tagMp3(untagged, TAGS);
    const p = probe(tagged, 'tagged.mp3');

    expect(p.chapters.map((c) => c.tags.title)).toEqual(CHAPTERS.map((c) => c.title));
    p.chapters.forEach((c, i) => {
      expect(Math.abs(Number(c.start_time) - CHAPTERS[i].start)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(Number(c.end_time) - CHAPTERS[i].end)).toBeLessThanOrEqual(0.001);
    });

    expect(p.format.tags).toMatchObject({
      title: TAGS.title,
      artist: 'Goose Pod',
      album: 'Goose Pod',
      genre: 'Podcast',
      date: '2025-11-15',
      comment: TAGS.description,
      'lyrics-eng': TAGS.transcript,
      TLEN: '8000',
    });

    const pictures = p.streams.filter((s) => s.codec_type === 'video');
    expect(pictures).toHaveLength(1);
    expect(pictures[0]).toMatchObject({ codec_name: 'png', width: 1400, disposition: { attached_pic: 1 } });
  });

  it('prepends the tag and leaves the audio, its LAME Info frame and its duration untouched', () => {
    const tagged = tagMp3(untagged, TAGS);
    const tagLength = id3TagLength(tagged);
    expect(tagLength).toBeGreaterThan(COVER.length);
    expect(tagged.length).toBe(tagLength + untagged.length);
    expect(Buffer.from(tagged.subarray(tagLength)).equals(Buffer.from(untagged))).toBe(true);
    // The first frame after the tag is still the "Info" frame.
    const first = parseMp3FrameHeader(tagged, tagLength);
    expect(first).not.toBeNull();
    const body = Buffer.from(tagged.subarray(tagLength, tagLength + first!.length)).toString('latin1');
    expect(body).toContain('Info');
    expect(body).toContain('LAME3.100');

    const before = Number(probe(untagged, 'plain.mp3').format.duration);
    const after = Number(probe(tagged, 'tagged2.mp3').format.duration);
    expect(Math.abs(after - before)).toBeLessThan(0.05);
    // Gapless decoding still trims the encoder delay and padding: exactly the samples that went in.
    expect(decodedSamples(tagged, 'tagged3.mp3')).toBe(RATE * 8);
  });

  it('is ID3v2.4 by its bytes: version 4, UTF-8 text and syncsafe sizes in every frame header', () => {
    const tagged = tagMp3(untagged, TAGS);
    expect([...tagged.subarray(0, 5)]).toEqual([0x49, 0x44, 0x33, 4, 0]);
    const frames = readFrames(tagged.subarray(10, id3TagLength(tagged)));
    expect(frames.map((f) => f.id)).toEqual([
      'TIT2',
      'TPE1',
      'TALB',
      'TDRC',
      'TCON',
      'TLEN',
      'COMM',
      'USLT',
      'APIC',
      'CHAP',
      'CHAP',
      'CHAP',
      'CTOC',
    ]);
    const byId = (id: string) => frames.find((f) => f.id === id)!;
    // Text frames are UTF-8 (encoding byte 3) and decode to exactly what went in.
    expect(byId('TIT2').body[0]).toBe(3);
    expect(new TextDecoder().decode(byId('TIT2').body.subarray(1))).toBe(TAGS.title);
    expect(new TextDecoder().decode(byId('TDRC').body.subarray(1))).toBe('2025-11-15');
    // The cover frame is far above 127 bytes: read as a plain 32-bit size (v2.3) it would point
    // elsewhere, so the walk above landing exactly on each next frame proves syncsafe sizes.
    const apic = byId('APIC');
    expect(apic.body.length).toBeGreaterThan(COVER.length);
    expect(apic.sizeBytes.every((b) => b < 0x80)).toBe(true);
    expect(new DataView(Uint8Array.from(apic.sizeBytes).buffer).getUint32(0)).not.toBe(apic.body.length);
    // CTOC: top-level + ordered, three children in order, and each CHAP's embedded TIT2 is syncsafe too.
    const ctoc = byId('CTOC').body;
    expect(Buffer.from(ctoc.subarray(0, 21)).toString('latin1')).toBe('toc\0\x03\x03chp0\0chp1\0chp2\0');
    const chap = frames.filter((f) => f.id === 'CHAP')[1].body;
    const view = new DataView(chap.buffer, chap.byteOffset);
    expect(view.getUint32(5)).toBe(2500);
    expect(view.getUint32(9)).toBe(6123);
    const sub = readFrames(chap.subarray(21));
    expect(sub.map((f) => f.id)).toEqual(['TIT2']);
    expect(new TextDecoder().decode(sub[0].body.subarray(1))).toBe(CHAPTERS[1].title);
  });

  it('replaces an existing tag instead of stacking a second one', () => {
    const once = tagMp3(untagged, { ...TAGS, cover: undefined });
    const twice = tagMp3(once, { ...TAGS, title: 'Second', cover: undefined, chapters: [] });
    expect(twice.length - id3TagLength(twice)).toBe(untagged.length);
    const p = probe(twice, 'twice.mp3');
    expect(p.format.tags?.title).toBe('Second');
    expect(p.chapters).toEqual([]);
    expect(p.streams.filter((s) => s.codec_type === 'video')).toEqual([]);
  });

  it('refuses a malformed date, a non-image cover and too many chapters', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof StudioError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => tagMp3(untagged, { ...TAGS, date: '15/11/2025' }))).toBe('bad-request');
    expect(code(() => tagMp3(untagged, { ...TAGS, cover: new TextEncoder().encode('GIF89a-not') }))).toBe(
      'bad-request',
    );
    const many = Array.from({ length: 256 }, (_, i) => ({ title: `c${i}`, start: i, end: i + 1 }));
    expect(code(() => tagMp3(untagged, { ...TAGS, chapters: many }))).toBe('bad-request');
    expect(code(() => tagMp3(untagged, { ...TAGS, chapters: [{ title: 'x', start: 2, end: 1 }] }))).toBe(
      'bad-request',
    );
    expect(code(() => tagMp3(untagged, { ...TAGS, chapters: many.slice(0, 255) }))).toBeUndefined();
  });
});
