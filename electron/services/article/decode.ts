/**
 * Turns the bytes of an opened file into text: UTF-8 or UTF-16 by BOM, UTF-8 when valid, Latin-1
 * otherwise; refuses binary files and empty ones with a message a producer understands.
 */
import { StudioError } from '../../../shared/contract';

/** Largest article file accepted (a 100k-word article is ~700 KB). */
export const MAX_ARTICLE_BYTES = 10 * 1024 * 1024;

/** Decodes article bytes or throws a StudioError saying why it cannot be read as text. */
export function decodeArticleBytes(bytes: Uint8Array, name = 'the file'): string {
  if (bytes.length === 0) throw new StudioError('empty-input', `${name} is empty.`);
  if (bytes.length > MAX_ARTICLE_BYTES) {
    throw new StudioError('too-large', `${name} is larger than 10 MB; that is not an article.`);
  }
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const kind = binaryKind(bytes);
    if (kind || looksBinary(bytes)) {
      throw new StudioError(
        'binary-input',
        `${name} looks like ${kind ?? 'a binary file'}, not text. Open a .txt, .md or .html file.`,
      );
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  assertTextual(text, name);
  return text;
}

/** Characters windows-1252 puts at 0x80–0x9F (where Latin-1 has control codes). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Decodes windows-1252 (what "Latin-1" text from Windows and the web really is). Node's
 * TextDecoder('latin1') keeps 0x80–0x9F as control codes, which would turn ’ into U+0092.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin = new TextDecoder('latin1').decode(bytes);
  return latin.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Rejects strings that are empty after trimming or full of control characters. */
export function assertTextual(text: string, name = 'The article'): void {
  if (text.trim().length === 0) throw new StudioError('empty-input', `${name} has no text in it.`);
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control / text.length > 0.02) {
    throw new StudioError('binary-input', `${name} looks like binary data, not readable text.`);
  }
}

/** Known binary formats by their first bytes, for a message that names what was opened. */
const MAGIC: { label: string; bytes: number[] }[] = [
  { label: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { label: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { label: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { label: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { label: 'a ZIP archive (or Word/Office file)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { label: 'a gzip archive', bytes: [0x1f, 0x8b] },
];

/** What kind of binary file `bytes` starts like, if a known one. */
export function binaryKind(bytes: Uint8Array): string | undefined {
  return MAGIC.find((m) => m.bytes.every((b, i) => bytes[i] === b))?.label;
}

/**
 * UTF-16 without a byte-order mark: markup is mostly ASCII, so every other byte is zero.
 * Returns the byte order, or undefined when the bytes do not look like that.
 */
export function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros / pairs > 0.7 && evenZeros / pairs < 0.05) return 'utf-16le';
  if (evenZeros / pairs > 0.7 && oddZeros / pairs < 0.05) return 'utf-16be';
  return undefined;
}

/** The charset a page declares in `<meta charset>` or `<meta http-equiv content>`, lowercased. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  // Declarations must sit in the first 1024 bytes (HTML spec); ASCII-compatible by definition.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)/i.exec(head);
  return m?.[1].toLowerCase();
}

/** A TextDecoder for `label`, or undefined when the runtime does not know the encoding. */
function decoderFor(label: string | undefined, fatal = false): InstanceType<typeof TextDecoder> | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return undefined;
  }
}

/**
 * Decodes the bytes of an HTML page: a byte-order mark wins, then UTF-16 without one, then the
 * charset of the HTTP header, then `<meta charset>`, then UTF-8 when valid, Latin-1 otherwise.
 * Binary files are refused with a message that says what they look like.
 *
 * @param headerCharset charset from a Content-Type header, if the bytes came over HTTP
 */
export function decodeHtmlBytes(bytes: Uint8Array, name = 'the page', headerCharset?: string): string {
  if (bytes.length === 0) throw new StudioError('empty-input', `${name} is empty.`);
  if (bytes.length > MAX_ARTICLE_BYTES) {
    throw new StudioError('too-large', `${name} is larger than 10 MB; that is not an article.`);
  }
  let text: string | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const utf16 = sniffUtf16(bytes);
    if (utf16) text = new TextDecoder(utf16).decode(bytes);
  }
  if (text === undefined) {
    const kind = binaryKind(bytes);
    if (kind || looksBinary(bytes)) {
      throw new StudioError(
        'binary-input',
        `${name} is ${kind ?? 'a binary file'}, not a web page or text. Open an .html, .txt or .md file.`,
      );
    }
    const declared = headerCharset?.toLowerCase() ?? declaredCharset(bytes);
    const isUtf8 = !declared || declared === 'utf-8' || declared === 'utf8';
    const named = isUtf8 ? undefined : decoderFor(declared);
    // WHATWG maps every Latin-1 label to windows-1252; decode that one ourselves (see above).
    if (named && named.encoding === 'windows-1252') text = decodeWindows1252(bytes);
    else if (named) text = named.decode(bytes);
    else {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        text = decodeWindows1252(bytes);
      }
    }
  }
  const decoded = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  assertTextual(decoded, name);
  return decoded;
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let suspicious = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) suspicious++;
  }
  return suspicious / n > 0.1;
}

/** Strips Markdown markup that should not be read aloud (headings' #, emphasis, links, images). */
export function markdownToText(md: string): string {
  return md
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(\*|_)(\S.*?\S|\S)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1');
}
