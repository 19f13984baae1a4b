/** Articles in: pasted text, opened .txt/.md files and the shipped sample, cleaned for the drafter. */
import { StudioError } from '../../../shared/contract';
import type { Article } from '../../../shared/model/episode';
import { cleanArticleText } from '../../../shared/draft/article-text';
import { assertTextual, decodeArticleBytes, markdownToText } from './decode';

/** Minimum words for something to be drafted as an article. */
const MIN_WORDS = 20;

export class ArticleService {
  constructor(private readonly deps: { readSample: () => Promise<string> }) {}

  /** Cleans pasted text (glued sentences, boxes, captions) and checks it is an article. */
  fromText(text: string, title?: string): Article {
    assertTextual(text, 'The pasted text');
    return this.finish(text, title);
  }

  /** Decodes an opened file by name and bytes. */
  fromFile(name: string, bytes: Uint8Array): Article {
    const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
    if (!['txt', 'md', 'markdown', 'text', ''].includes(ext)) {
      throw new StudioError('bad-request', `"${name}" is not a .txt or .md file.`);
    }
    const raw = decodeArticleBytes(bytes, `"${name}"`);
    return this.finish(ext === 'md' || ext === 'markdown' ? markdownToText(raw) : raw);
  }

  /** The sample article in resources/. */
  async sample(): Promise<Article> {
    return this.finish(await this.deps.readSample());
  }

  private finish(raw: string, title?: string): Article {
    const cleaned = cleanArticleText(raw);
    const words = cleaned.text.split(/\s+/).filter(Boolean).length;
    if (words < MIN_WORDS) {
      throw new StudioError(
        'empty-input',
        `That is only ${words} word${words === 1 ? '' : 's'}; paste a whole article (at least ${MIN_WORDS} words).`,
      );
    }
    return {
      title: (title?.trim() || cleaned.title || cleaned.text.split(/(?<=[.!?])\s/)[0] || 'Untitled').slice(
        0,
        500,
      ),
      text: cleaned.text,
      ...(cleaned.source ? { source: cleaned.source } : {}),
    };
  }
}
