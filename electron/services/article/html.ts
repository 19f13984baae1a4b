/// <reference lib="dom" />
/**
 * Reading an article out of a web page: boilerplate (navigation, ads, "Recommended Stories"
 * boxes, scripts, footers, share bars) is removed, then Mozilla Readability (the engine of
 * Firefox's Reader View) on a linkedom DOM finds the article, and its HTML is flattened to
 * paragraphs separated by blank lines.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { StudioError } from '../../../shared/contract';

/** What a page gave: the article's title, byline, site name and plain text. */
export type HtmlArticle = {
  title: string;
  /** Author line ("Jane Roe"), when the page names one. */
  byline?: string;
  /** Publication name from the page's metadata (og:site_name and the like), when it has one. */
  siteName?: string;
  /** Plain text, paragraphs separated by "\n\n". */
  text: string;
};

/** Fewest words of article text for a page to count as having an article. */
export const MIN_ARTICLE_WORDS = 50;

/** Elements that never hold article text. */
const NEVER_CONTENT =
  'script, style, noscript, template, iframe, object, embed, svg, canvas, nav, footer, form, button, ' +
  'select, input, textarea, dialog, [hidden], [aria-hidden="true"], [role="navigation"], ' +
  '[role="banner"], [role="contentinfo"], [role="complementary"], [role="dialog"], [role="search"]';

/** class/id words of boxes that are not the story (matched as whole words, e.g. "ad-slot"). */
const BOILERPLATE_NAME =
  /(?:^|[\s_-])(?:ads?|advert\w*|adslot|sponsor\w*|promo\w*|newsletter\w*|related|recommended|recirc\w*|more-stories|outbrain|taboola|share|sharing|social|cookie\w*|consent|subscribe|subscription|paywall|comments?|breadcrumbs?|sidebar|popular|trending)(?:$|[\s_-])/i;

/** Headings of link boxes inside the story ("Recommended Stories", "Read more" …). */
const BOX_HEADING =
  /^(?:recommended(?: stories| for you| reading)?|related(?: stories| articles| coverage| content)?|read more|read next|more (?:from|on|stories)\b.*|you (?:may|might) also like|most (?:popular|read|viewed)|trending(?: now)?|editor'?s picks|also read|see also|top stories)\s*:?$/i;

/** Tags whose text is one paragraph of the result. */
const BLOCKS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'DT',
  'DD',
  'TD',
]);
/** Tags skipped while flattening (captions and media are not read aloud). */
const SKIP = new Set([
  'FIGCAPTION',
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'BUTTON',
  'SVG',
  'PICTURE',
  'VIDEO',
  'AUDIO',
]);

/** The slice of the DOM this module uses (the project compiles without the DOM library). */
type DomNode = { nodeType: number; textContent: string | null };
type El = DomNode & {
  tagName: string;
  childNodes: ArrayLike<DomNode>;
  parentElement: El | null;
  children: ArrayLike<El>;
  getAttribute(name: string): string | null;
  remove(): void;
  querySelectorAll(selector: string): ArrayLike<El>;
  setAttribute(name: string, value: string): void;
  appendChild(child: El): void;
};
type Doc = {
  body: El | null;
  head: El | null;
  querySelector(selector: string): El | null;
  createElement(tag: string): El;
};

function norm(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

function wordCount(s: string): number {
  const t = s.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** Share of an element's text that sits inside links (menus and link lists are mostly links). */
function linkDensity(el: El): number {
  const total = norm(el.textContent).length;
  if (total === 0) return 0;
  let linked = 0;
  for (const a of Array.from(el.querySelectorAll('a'))) linked += norm(a.textContent).length;
  return linked / total;
}

/** Removes what is never the story, before Readability scores what is left. */
function stripBoilerplate(body: El): void {
  for (const el of Array.from(body.querySelectorAll(NEVER_CONTENT))) el.remove();
  for (const el of Array.from(body.querySelectorAll('aside, [class], [id]'))) {
    if (!el.parentElement) continue; // already removed with an ancestor
    const tag = el.tagName.toUpperCase();
    if (tag === 'BODY' || tag === 'HTML' || tag === 'ARTICLE' || tag === 'MAIN') continue;
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (tag === 'ASIDE' || BOILERPLATE_NAME.test(name)) {
      // A wrapper named "share" that holds most of the page is a layout div, not a box.
      if (wordCount(norm(el.textContent)) > 400 && linkDensity(el) < 0.3) continue;
      el.remove();
    }
  }
  for (const h of Array.from(body.querySelectorAll('h1, h2, h3, h4, h5, h6, strong, b, span, p, div'))) {
    if (!h.parentElement || !BOX_HEADING.test(norm(h.textContent))) continue;
    // Remove the box the heading titles: its parent when that is just heading + links.
    const parent = h.parentElement;
    const parentWords = wordCount(norm(parent.textContent));
    if (parent.tagName.toUpperCase() !== 'BODY' && (linkDensity(parent) > 0.5 || parentWords < 60)) {
      parent.remove();
      continue;
    }
    const next = nextElement(h);
    if (next && ['UL', 'OL'].includes(next.tagName.toUpperCase())) next.remove();
    h.remove();
  }
  // Link lists outside paragraphs (menus that lack a <nav>) carry no story.
  for (const list of Array.from(body.querySelectorAll('ul, ol'))) {
    if (list.parentElement && linkDensity(list) > 0.8) list.remove();
  }
}

function nextElement(el: El): El | undefined {
  const siblings = el.parentElement ? Array.from(el.parentElement.children) : [];
  const i = siblings.indexOf(el);
  return i >= 0 ? siblings[i + 1] : undefined;
}

/** Flattens article HTML to paragraphs: block elements become paragraphs, inline text joins. */
function flatten(root: El): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = () => {
    const t = norm(inline);
    if (t) out.push(t);
    inline = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as unknown as El;
    const tag = el.tagName.toUpperCase();
    if (SKIP.has(tag)) return;
    if (tag === 'BR') {
      inline += ' ';
      return;
    }
    if (BLOCKS.has(tag) && !hasBlockChild(el)) {
      flush();
      const t = norm(el.textContent);
      if (t) out.push(t);
      return;
    }
    const isInline = [
      'A',
      'SPAN',
      'EM',
      'STRONG',
      'B',
      'I',
      'U',
      'SMALL',
      'SUP',
      'SUB',
      'MARK',
      'Q',
      'CITE',
      'ABBR',
      'TIME',
      'CODE',
    ].includes(tag);
    if (!isInline) flush();
    for (const child of Array.from(el.childNodes)) walk(child);
    if (!isInline) flush();
  };
  walk(root);
  flush();
  return out;
}

function hasBlockChild(el: El): boolean {
  for (const c of Array.from(el.children)) {
    const tag = c.tagName.toUpperCase();
    if (
      BLOCKS.has(tag) ||
      tag === 'DIV' ||
      tag === 'UL' ||
      tag === 'OL' ||
      tag === 'TABLE' ||
      tag === 'SECTION'
    ) {
      return true;
    }
  }
  return false;
}

/** Drops " | Site", " - Site" and " — Site" suffixes from a page title. */
function cleanTitle(title: string, siteName: string | undefined, h1: string | undefined): string {
  let t = norm(title);
  if (siteName) {
    const site = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t
      .replace(new RegExp(`\\s*[|–—:-]\\s*${site}\\s*$`, 'i'), '')
      .replace(new RegExp(`^${site}\\s*[|–—:-]\\s*`, 'i'), '');
  }
  // Readability keeps "Headline | Site" when the page's <h1> differs; prefer the <h1> then.
  if (h1 && t !== h1 && t.startsWith(h1)) t = h1;
  if (/\s[|]\s/.test(t) && h1 && wordCount(h1) >= 3) t = h1;
  return t;
}

/**
 * Extracts the article of an HTML page.
 *
 * @param url the page's address, so Readability can resolve relative links (optional)
 * @throws StudioError `no-article` when the page has no readable article (a menu, a login page,
 *   an index of links, an empty shell that needs JavaScript), with a sentence for the producer
 */
export function extractHtmlArticle(html: string, url?: string): HtmlArticle {
  const doc = parseHTML(html).document as unknown as Doc;
  const h1 = norm(doc.querySelector('h1')?.textContent) || undefined;
  if (doc.body) stripBoilerplate(doc.body);
  if (url) {
    // Readability resolves links against the document's URL; linkedom has none of its own.
    const base = doc.createElement('base');
    base.setAttribute('href', url);
    doc.head?.appendChild(base);
  }
  // The serializer hands back the article's DOM node itself: no HTML round trip.
  const parsed = new Readability<unknown>(doc as never, {
    charThreshold: 300,
    serializer: (n: unknown) => n,
  }).parse();
  const content = parsed?.content as El | null | undefined;
  const paragraphs = content ? flatten(content) : [];
  const byline = norm(parsed?.byline) || undefined;
  const bylineKey = byline?.toLowerCase().replace(/^by\s+/, '');
  const text = paragraphs
    .filter((p) => {
      const k = p.toLowerCase().replace(/^by\s+/, '');
      return !(bylineKey && k === bylineKey) && !BOX_HEADING.test(p) && !/^advertisement$/i.test(p);
    })
    .join('\n\n');
  if (wordCount(text) < MIN_ARTICLE_WORDS) {
    throw new StudioError(
      'no-article',
      text.trim() === ''
        ? 'No readable article was found on that page (it may be a menu, a login page or need JavaScript). Paste the article text instead.'
        : `That page has only ${wordCount(text)} words of article text; it does not look like an article. Paste the article text instead.`,
    );
  }
  const siteName = norm(parsed?.siteName) || undefined;
  const title = cleanTitle(parsed?.title ?? '', siteName, h1) || h1 || '';
  return {
    title,
    text,
    ...(byline ? { byline: byline.replace(/^by\s+/i, '') } : {}),
    ...(siteName ? { siteName } : {}),
  };
}
