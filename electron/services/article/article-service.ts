/**
 * Articles in: pasted text, opened .txt/.md/.html files, web pages by URL and the shipped sample,
 * cleaned for the drafter.
 */
import { StudioError } from '../../../shared/contract';
import type { Article } from '../../../shared/model/episode';
import { cleanArticleText } from '../../../shared/draft/article-text';
import { assertTextual, decodeArticleBytes, decodeHtmlBytes, markdownToText } from './decode';
import { fetchPage } from './fetch-page';
import { extractHtmlArticle, type HtmlArticle } from './html';

/** Minimum words for something to be drafted as an article. */
const MIN_WORDS = 20;

/** Default time limit for fetching a page by URL. */
export const URL_TIMEOUT_MS = 15_000;
/** Default size cap for a page fetched by URL. */
export const URL_MAX_BYTES = 5 * 1024 * 1024;

/** What {@link ArticleService} needs from its host. */
export type ArticleServiceDeps = {
  /** Reads resources/sample-article.txt. */
  readSample: () => Promise<string>;
  /** fetch for {@link ArticleService.fromUrl}; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Time limit of a URL fetch, headers and body (default {@link URL_TIMEOUT_MS}). */
  urlTimeoutMs?: number;
  /** Largest page accepted by URL (default {@link URL_MAX_BYTES}). */
  urlMaxBytes?: number;
};

/** Cleans and checks articles from every source the studio accepts. */
export class ArticleService {
  constructor(private readonly deps: ArticleServiceDeps) {}

  /** Cleans pasted text (glued sentences, boxes, captions) and checks it is an article. */
  fromText(text: string, title?: string): Article {
    assertTextual(text, 'The pasted text');
    return this.finish(text, title);
  }

  /** Decodes an opened file by name and bytes: .txt, .md or a saved web page (.html, .htm). */
  fromFile(name: string, bytes: Uint8Array): Article {
    const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
    if (ext === 'html' || ext === 'htm' || ext === 'xhtml') {
      return this.fromHtml(decodeHtmlBytes(bytes, `"${name}"`));
    }
    if (!['txt', 'md', 'markdown', 'text', ''].includes(ext)) {
      throw new StudioError('bad-request', `"${name}" is not a .txt, .md or .html file.`);
    }
    const raw = decodeArticleBytes(bytes, `"${name}"`);
    return this.finish(ext === 'md' || ext === 'markdown' ? markdownToText(raw) : raw);
  }

  /**
   * Fetches a web page and reads its article. The Article keeps the address and the source
   * (the page's site name, else its host name) for "Read original at …".
   *
   * @throws StudioError: see {@link fetchPage} for download failures; `no-article` when the page
   *   holds no readable article; `empty-input` when it has too little text
   */
  async fromUrl(url: string, signal?: AbortSignal): Promise<Article> {
    const page = await fetchPage(url, {
      fetch: this.deps.fetch ?? globalThis.fetch,
      timeoutMs: this.deps.urlTimeoutMs ?? URL_TIMEOUT_MS,
      maxBytes: this.deps.urlMaxBytes ?? URL_MAX_BYTES,
      signal,
    });
    const final = new URL(page.finalUrl);
    const host = final.hostname.replace(/^www\./, '');
    const name = `The page at ${host}`;
    if (page.kind === 'text') {
      const text = decodeArticleBytes(page.bytes, name);
      return { ...this.finish(text), source: host, url: page.finalUrl };
    }
    const article = this.fromHtml(decodeHtmlBytes(page.bytes, name, page.charset), page.finalUrl);
    return { ...article, source: article.source ?? host, url: page.finalUrl };
  }

  /** Reads the article of an HTML page (already decoded). */
  fromHtml(html: string, url?: string): Article {
    const page: HtmlArticle = extractHtmlArticle(html, url);
    // The title goes first so the cleaner recognises and drops a repeated headline.
    const article = this.finish(page.title ? `${page.title}\n\n${page.text}` : page.text, page.title);
    return {
      ...article,
      ...(page.siteName ? { source: page.siteName.slice(0, 200) } : {}),
      ...(page.byline ? { byline: page.byline.slice(0, 200) } : {}),
    };
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
