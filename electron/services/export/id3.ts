/**
 * Publish-ready ID3 tags for the episode MP3: what podcast apps show (title, show, date, genre,
 * description, cover art), the transcript, and chapters (CHAP + CTOC) at their real times.
 *
 * browser-id3-writer writes ID3v2.3, the version every podcast app and OS reads (v2.4 is still
 * patchy on some platforms); the date is therefore TYER (year) + TDAT (DDMM), v2.3's split form
 * of v2.4's TDRC. The tag is prepended and the audio bytes follow untouched, so the LAME
 * Info/Xing frame stays the first MP3 frame and players keep the exact duration.
 */
import { ID3Writer } from 'browser-id3-writer';
import { StudioError } from '../../../shared/contract';
import type { Chapter } from '../../../shared/export/chapters';

/** What {@link tagMp3} writes. */
export interface Mp3Tags {
  /** Episode title (TIT2). */
  title: string;
  /** Show name, written as artist (TPE1) and album (TALB), as podcast apps expect. */
  show: string;
  /** Episode date `YYYY-MM-DD` (TYER + TDAT). */
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
}

/** APIC picture type "Cover (front)". */
const FRONT_COVER = 3;
/** CTOC stores its entry count in one byte. */
export const MAX_CHAPTERS = 255;

/**
 * Returns a copy of `mp3` with an ID3v2.3 tag in front: TIT2 title, TPE1 + TALB show, TYER + TDAT
 * date, TCON "Podcast", COMM description, USLT transcript, APIC front cover, and one CHAP per
 * chapter (start/end in milliseconds, TIT2 title) listed by an ordered top-level CTOC. Blank
 * text fields are left out. An ID3v2 tag already at the start of `mp3` is replaced.
 *
 * @throws StudioError `bad-request` for a malformed date, a cover that is not PNG/JPEG, more than
 *   {@link MAX_CHAPTERS} chapters or a chapter with non-finite or reversed times
 */
export function tagMp3(mp3: Uint8Array, tags: Mp3Tags): Uint8Array {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(tags.date);
  if (!date) throw new StudioError('bad-request', `Episode date must be YYYY-MM-DD, got "${tags.date}"`);
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

  // An exact-size copy: the writer takes a whole ArrayBuffer, and a view may share a larger one.
  const writer = new ID3Writer(mp3.slice().buffer);
  if (text(tags.title)) writer.setFrame('TIT2', text(tags.title));
  if (text(tags.show)) {
    writer.setFrame('TPE1', [text(tags.show)]);
    writer.setFrame('TALB', text(tags.show));
  }
  writer.setFrame('TYER', Number(date[1]));
  writer.setFrame('TDAT', `${date[3]}${date[2]}`);
  writer.setFrame('TCON', ['Podcast']);
  if (text(tags.description)) {
    writer.setFrame('COMM', { description: '', text: tags.description.trim(), language });
  }
  if (tags.transcript.trim()) {
    writer.setFrame('USLT', { description: '', lyrics: tags.transcript, language });
  }
  if (tags.cover) {
    writer.setFrame('APIC', { type: FRONT_COVER, data: tags.cover.slice().buffer, description: 'Cover' });
  }
  const ids: string[] = [];
  tags.chapters.forEach((c, i) => {
    if (!Number.isFinite(c.start) || !Number.isFinite(c.end) || c.end < c.start) {
      throw new StudioError('bad-request', `Chapter "${c.title}" has invalid times ${c.start}–${c.end}`);
    }
    const id = `chp${i}`;
    ids.push(id);
    writer.setFrame('CHAP', {
      id,
      startTime: Math.max(0, Math.round(c.start * 1000)),
      endTime: Math.max(0, Math.round(c.end * 1000)),
      subFrames: { TIT2: text(c.title) || `Chapter ${i + 1}` },
    });
  });
  if (ids.length > 0) {
    writer.setFrame('CTOC', {
      id: 'toc',
      ordered: true,
      topLevel: true,
      childElementIds: ids,
      subFrames: { TIT2: 'Chapters' },
    });
  }
  // Room to edit tags in place later costs bytes in every download; a podcast file needs none.
  // (`padding` is a documented option the bundled typings leave out.)
  (writer as unknown as { padding: number }).padding = 0;
  return new Uint8Array(writer.addTag());
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
