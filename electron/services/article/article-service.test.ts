import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { StudioError } from '../../../shared/contract';
import { ArticleService } from './article-service';
import { decodeArticleBytes } from './decode';

const service = new ArticleService({
  readSample: async () =>
    readFileSync(new URL('../../../resources/sample-article.txt', import.meta.url), 'utf8'),
});
const body =
  'The council approved the budget on Tuesday. It includes 4.6 million for parks and “a ton” of new benches. '.repeat(
    3,
  );

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StudioError ? err.code : 'other';
  }
  return undefined;
}

describe('article decoding', () => {
  it('reads UTF-8, UTF-16 (both byte orders, with BOM) and falls back to Latin-1', () => {
    const text = 'Café “quotes” — naïve';
    expect(decodeArticleBytes(new TextEncoder().encode(text))).toBe(text);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeArticleBytes(le)).toBe(text);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeArticleBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(decodeArticleBytes(Buffer.from('Caf\xe9 cr\xe8me', 'latin1'))).toBe('Café crème');
  });

  it('refuses empty, whitespace-only and binary input with a clear code', () => {
    expect(code(() => decodeArticleBytes(new Uint8Array()))).toBe('empty-input');
    expect(code(() => decodeArticleBytes(Buffer.from('   \n\n  ')))).toBe('empty-input');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    expect(code(() => decodeArticleBytes(png))).toBe('binary-input');
  });
});

describe('ArticleService', () => {
  it('cleans pasted text and keeps a title', () => {
    const a = service.fromText(`Budget passes\n\n${body}`);
    expect(a.title).toBe('Budget passes');
    expect(a.text).toContain('4.6 million');
  });

  it('strips Markdown markup from .md files', () => {
    const md = `# Budget passes\n\n**The council** approved [the budget](https://example.org) on Tuesday.\n\n${body}`;
    const a = service.fromFile('story.md', Buffer.from(md));
    expect(a.text).not.toContain('**');
    expect(a.text).not.toContain('](');
    expect(a.text).toContain('The council approved the budget');
  });

  it('rejects a too-short paste and non-text file types', () => {
    expect(code(() => service.fromText('Just three words'))).toBe('empty-input');
    expect(code(() => service.fromFile('song.mp3', Buffer.from(body)))).toBe('bad-request');
  });

  it('loads the shipped sample article', async () => {
    const a = await service.sample();
    expect(a.title).toMatch(/Libraries/);
    expect(a.text.split(/\s+/).length).toBeGreaterThan(300);
  });
});
