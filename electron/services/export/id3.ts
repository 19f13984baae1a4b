/**
 * Publish-ready ID3v2.4 tags for the episode MP3: what podcast apps show (title, show, date, genre,
 * description, cover art, length), the transcript, and chapters (CHAP + CTOC) at their real times.
 *
 * A small writer of our own (no dependency): ID3v2.4 differs from v2.3 in ways a library written
 * for v2.3 gets wrong — every frame size is syncsafe (7 bits a byte), text is UTF-8 (encoding 3)
 * and the date is one ISO 8601 TDRC frame. The tag is prepended and the audio bytes follow
 * untouched, so the LAME Info/Xing frame stays the first MP3 frame and players keep the exact
 * duration. No unsynchronisation (v2.4 readers do not need it) and no padding (a podcast file is
 * never edited in place, and padding costs bytes in every download).
 */
import { StudioError } from '../../../shared/contract';
import type { Chapter } from '../../../shared/export/chapters';

/** What {@link tagMp3} writes. */
export interface Mp3Tags {
  /** Episode title (TIT2). */
  title: string;
  /** Show name, written as artist (TPE1) and album (TALB), as podcast apps expect. */
  show: string;
  /** Episode date `YYYY-MM-DD` (TDRC). */
  date: string;
  /** The episode summary (COMM). */
  description: string;
  /** The full plain-text transcript (USLT). */
  transcript: string;
  /** Front cover art, PNG or JPEG bytes (APIC type 3). */
  cover?: Uint8Array;
  /** Chapters in order (CHAP each, plus one ordered top-level CTOC); at most 255. */
  chapters: readonly Chapter[];
  /** ISO 639-2 language of the description and transcript; default `eng`. */
  language?: string;
  /** Length of the audio in seconds (TLEN, in milliseconds); left out when not given. */
  durationSec?: number;
}

/** APIC picture type "Cover (front)". */
const FRONT_COVER = 3;
/** CTOC stores its entry count in one byte. */
export const MAX_CHAPTERS = 255;
/** Text encoding byte of ID3v2.4 for UTF-8. */
const UTF8 = 0x03;
/** The largest size a 4-byte syncsafe integer holds (2^28 − 1, 256 MB). */
const MAX_SYNCSAFE = 0x0fffffff;

const utf8 = new TextEncoder();
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** `n` as a 4-byte syncsafe integer (7 bits per byte, high bit clear), the v2.4 size format. */
export function syncsafe(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SYNCSAFE) {
    throw new StudioError('bad-request', `An ID3 tag part of ${n} bytes is too large (at most 256 MB)`);
  }
  return Uint8Array.of((n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function uint32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, false);
  return b;
}

/** One frame: 4-character id, syncsafe size, no flags, then the body. */
function frame(id: string, body: Uint8Array): Uint8Array {
  return concat([latin1(id), syncsafe(body.length), Uint8Array.of(0, 0), body]);
}

/** A text frame (T***): UTF-8, one value. */
function textFrame(id: string, text: string): Uint8Array {
  return frame(id, concat([Uint8Array.of(UTF8), utf8.encode(text)]));
}

/** COMM or USLT: encoding, language, an empty content descriptor, the text. */
function langTextFrame(id: 'COMM' | 'USLT', language: string, text: string): Uint8Array {
  return frame(id, concat([Uint8Array.of(UTF8), latin1(language), Uint8Array.of(0), utf8.encode(text)]));
}

function apicFrame(image: Uint8Array): Uint8Array {
  const mime = isPng(image) ? 'image/png' : 'image/jpeg';
  return frame(
    'APIC',
    concat([
      Uint8Array.of(UTF8),
      latin1(mime),
      Uint8Array.of(0, FRONT_COVER),
      utf8.encode('Cover'),
      Uint8Array.of(0),
      image,
    ]),
  );
}

/** CHAP: element id, start/end in ms, byte offsets unset (0xFFFFFFFF), then a TIT2 sub-frame. */
function chapFrame(id: string, startMs: number, endMs: number, title: string): Uint8Array {
  return frame(
    'CHAP',
    concat([
      latin1(id),
      Uint8Array.of(0),
      uint32(startMs),
      uint32(endMs),
      uint32(0xffffffff),
      uint32(0xffffffff),
      textFrame('TIT2', title),
    ]),
  );
}

/** CTOC: top-level (bit 1) and ordered (bit 0), the child ids in order, then a TIT2 sub-frame. */
function ctocFrame(id: string, children: readonly string[], title: string): Uint8Array {
  return frame(
    'CTOC',
    concat([
      latin1(id),
      Uint8Array.of(0, 0x03, children.length),
      ...children.map((c) => concat([latin1(c), Uint8Array.of(0)])),
      textFrame('TIT2', title),
    ]),
  );
}

/**
 * Returns a copy of `mp3` with an ID3v2.4 tag in front: TIT2 title, TPE1 + TALB show, TDRC date,
 * TCON "Podcast", COMM description, USLT transcript, APIC front cover, TLEN length, and one CHAP
 * per chapter (start/end in milliseconds, TIT2 title) listed by an ordered top-level CTOC. Blank
 * text fields are left out. An ID3v2 tag already at the start of `mp3` is replaced.
 *
 * @throws StudioError `bad-request` for a malformed date, a cover that is not PNG/JPEG, more than
 *   {@link MAX_CHAPTERS} chapters or a chapter with non-finite or reversed times
 */
export function tagMp3(mp3: Uint8Array, tags: Mp3Tags): Uint8Array {
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(tags.date)) {
    throw new StudioError('bad-request', `Episode date must be YYYY-MM-DD, got "${tags.date}"`);
  }
  if (tags.cover && !isPng(tags.cover) && !isJpeg(tags.cover)) {
    throw new StudioError('bad-request', 'Cover art must be a PNG or JPEG image');
  }
  if (tags.chapters.length > MAX_CHAPTERS) {
    throw new StudioError(
      'bad-request',
      `An MP3 can list at most ${MAX_CHAPTERS} chapters; this episode has ${tags.chapters.length}`,
    );
  }
  const language = /^[a-z]{3}$/i.test(tags.language ?? '') ? tags.language!.toLowerCase() : 'eng';
  const text = (s: string): string => s.replace(/\s+/g, ' ').trim();

  const frames: Uint8Array[] = [];
  if (text(tags.title)) frames.push(textFrame('TIT2', text(tags.title)));
  if (text(tags.show)) frames.push(textFrame('TPE1', text(tags.show)), textFrame('TALB', text(tags.show)));
  frames.push(textFrame('TDRC', tags.date), textFrame('TCON', 'Podcast'));
  if (tags.durationSec !== undefined && Number.isFinite(tags.durationSec) && tags.durationSec >= 0) {
    frames.push(textFrame('TLEN', String(Math.round(tags.durationSec * 1000))));
  }
  if (text(tags.description)) frames.push(langTextFrame('COMM', language, tags.description.trim()));
  if (tags.transcript.trim()) frames.push(langTextFrame('USLT', language, tags.transcript));
  if (tags.cover) frames.push(apicFrame(tags.cover));
  const ids: string[] = [];
  tags.chapters.forEach((c, i) => {
    if (!Number.isFinite(c.start) || !Number.isFinite(c.end) || c.end < c.start) {
      throw new StudioError('bad-request', `Chapter "${c.title}" has invalid times ${c.start}–${c.end}`);
    }
    const id = `chp${i}`;
    ids.push(id);
    const ms = (s: number): number => Math.min(0xfffffffe, Math.max(0, Math.round(s * 1000)));
    frames.push(chapFrame(id, ms(c.start), ms(c.end), text(c.title) || `Chapter ${i + 1}`));
  });
  if (ids.length > 0) frames.push(ctocFrame('toc', ids, 'Chapters'));

  const body = concat(frames);
  const audio = mp3.subarray(id3TagLength(mp3));
  // "ID3", version 2.4.0, no flags (no unsynchronisation, extended header or footer), syncsafe size.
  return concat([latin1('ID3'), Uint8Array.of(4, 0, 0), syncsafe(body.length), body, audio]);
}

/** Length of the ID3v2 tag at the start of `bytes` (header and footer included), or 0. */
export function id3TagLength(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size =
    ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const footer = bytes[3] === 4 && bytes[5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}
