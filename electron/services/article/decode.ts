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
    if (looksBinary(bytes)) {
      throw new StudioError(
        'binary-input',
        `${name} looks like a binary file, not text. Open a .txt or .md file.`,
      );
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  assertTextual(text, name);
  return text;
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
