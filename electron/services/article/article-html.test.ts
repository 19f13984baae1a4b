import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StudioError } from '../../../shared/contract';
import { ArticleService } from './article-service';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const newsPage = fixture('news-page.html');

async function failure(p: Promise<unknown> | (() => unknown)): Promise<StudioError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a StudioError');
}

describe('HTML articles from files', () => {
  const service = new ArticleService({ readSample: async () => '' });

  it('keeps the story and drops navigation, ads, recommended boxes, share bars, scripts and footers', () => {
    const a = service.fromFile('docks.html', newsPage);
    expect(a.title).toBe('Harbour city votes to turn old docks into a tidal park');
    expect(a.byline).toBe('Priya Castellanos');
    expect(a.source).toBe('The Coastal Ledger');
    expect(a.text).toMatch(/^The city council of Port Alder voted 9 to 4/);
    expect(a.text).toContain('“a beautiful park built on an empty order book.”');
    expect(a.text).toContain('monitored weekly.');
    expect(a.text.split('\n\n')).toHaveLength(7);
    for (const junk of [
      'Recommended Stories',
      'Five beaches',
      'Read more',
      'Advertisement',
      'meal kits',
      'Share on',
      'cookies',
      'Politics',
      'newsletter',
      'rights reserved',
      'trackPageView',
      'dataLayer',
      'low tide on Monday',
      'By Priya',
    ]) {
      expect(a.text).not.toContain(junk);
    }
  });

  it('reads a UTF-16 page with a byte-order mark (.htm as well)', () => {
    const a = service.fromFile('cafe.htm', fixture('utf16-article.html.bin'));
    expect(a.title).toBe('Le café du port rouvre ses portes');
    expect(a.source).toBe('Journal du Littoral');
    expect(a.text).toContain('« Chez Gaëlle »');
    expect(a.text).toContain('240 000 euros');
    expect(a.text).not.toContain('Accueil');
  });

  it('reads UTF-16 without a byte-order mark and honours <meta charset> for legacy encodings', () => {
    const utf16 = fixture('utf16-article.html.bin').subarray(2);
    expect(service.fromFile('cafe.html', utf16).title).toBe('Le café du port rouvre ses portes');
    // windows-1252 puts ’ “ ” — at 0x92 0x93 0x94 0x97, where Latin-1 has control codes.
    const cp1252: Record<string, number> = { '’': 0x92, '“': 0x93, '”': 0x94, '—': 0x97 };
    const page = newsPage
      .toString('utf8')
      .replace('<meta charset="utf-8" />', '<meta charset="windows-1252" />')
      .replace('Port Alder voted', 'Port Alder’s café voted');
    const bytes = Buffer.from(
      [...page].map((c) => cp1252[c] ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)),
    );
    expect(service.fromFile('legacy.html', bytes).text).toContain('Port Alder’s café voted');
  });

  it('explains a page without an article and a binary file named .html', async () => {
    const none = await failure(() => service.fromFile('login.html', fixture('no-article.html')));
    expect(none.code).toBe('no-article');
    expect(none.message).toMatch(/does not look like an article|No readable article/);
    const png = await failure(() => service.fromFile('story.html', fixture('png-named-as-page.html.bin')));
    expect(png.code).toBe('binary-input');
    expect(png.message).toContain('PNG image');
  });

  it('accepts a 100k-word article', () => {
    const para = (i: number) =>
      `<p>Paragraph ${i} reports that the harbour board met again and discussed the budget, the tides and the birds at length.</p>`;
    const body = Array.from({ length: 5200 }, (_, i) => para(i)).join('\n');
    const html = `<!doctype html><html><head><title>Long read</title></head><body><nav><a href="/">Home</a></nav><article><h1>Long read</h1>${body}</article></body></html>`;
    const t0 = Date.now();
    const a = service.fromFile('long.html', Buffer.from(html));
    expect(a.text.split(/\s+/).length).toBeGreaterThan(100_000);
    expect(a.text).toContain('Paragraph 5199 reports');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('articles by URL', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers['user-agent'] ?? ''}`);
      switch (req.url) {
        case '/old-link':
          res.writeHead(301, { location: '/news/docks' }).end();
          return;
        case '/news/docks':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(newsPage);
          return;
        case '/no-site-name':
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(newsPage.toString().replace(/<meta property="og:site_name"[^>]*>/, ''));
          return;
        case '/plain':
          res
            .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
            .end(
              `Tide park approved\n\n${'The council voted for the tidal park on Thursday evening. '.repeat(5)}`,
            );
          return;
        case '/login':
          res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('no-article.html'));
          return;
        case '/empty':
          res.writeHead(200, { 'content-type': 'text/html' }).end();
          return;
        case '/image':
          res.writeHead(200, { 'content-type': 'image/png' }).end(fixture('png-named-as-page.html.bin'));
          return;
        case '/disguised':
          res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('png-named-as-page.html.bin'));
          return;
        case '/huge':
          res.writeHead(200, { 'content-type': 'text/html' });
          // No Content-Length: the cap must hold while streaming.
          for (let i = 0; i < 40; i++) res.write(`<p>${'x'.repeat(1000)}</p>`);
          res.end();
          return;
        case '/slow':
          // Headers, then nothing: the timeout must cover the body too.
          res.writeHead(200, { 'content-type': 'text/html' });
          res.write('<html><body><p>Loading');
          return;
        case '/paywall':
          res.writeHead(403, { 'content-type': 'text/html' }).end('<p>Subscribe</p>');
          return;
        default:
          res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const service = new ArticleService({ readSample: async () => '', urlTimeoutMs: 400, urlMaxBytes: 20_000 });

  it('fetches a page through a redirect and keeps its source and final address', async () => {
    const a = await service.fromUrl(`${base}/old-link`);
    expect(a.title).toBe('Harbour city votes to turn old docks into a tidal park');
    expect(a.source).toBe('The Coastal Ledger');
    expect(a.url).toBe(`${base}/news/docks`);
    expect(a.text).not.toContain('Recommended Stories');
    expect(requests.some((r) => r.includes('GoosePodStudio'))).toBe(true);
  });

  it('uses the host name as the source when the page names no site, and reads plain text', async () => {
    expect((await service.fromUrl(`${base}/no-site-name`)).source).toBe('127.0.0.1');
    const plain = await service.fromUrl(`${base}/plain`);
    expect(plain.title).toBe('Tide park approved');
    expect(plain.source).toBe('127.0.0.1');
  });

  it('says what went wrong for 404, 403, empty, no article, images and oversized pages', async () => {
    const cases: [string, string, RegExp][] = [
      ['/gone', 'not-found', /no page at that address.*HTTP 404/],
      ['/paywall', 'auth', /login or paywall/],
      ['/empty', 'empty-input', /is empty/],
      ['/login', 'no-article', /article/],
      ['/image', 'binary-input', /not a web page \(image\/png\)/],
      ['/disguised', 'binary-input', /PNG image/],
      ['/huge', 'too-large', /larger than/],
    ];
    for (const [path, code, message] of cases) {
      const err = await failure(service.fromUrl(`${base}${path}`));
      expect({ path, code: err.code }).toEqual({ path, code });
      expect(err.message).toMatch(message);
    }
  });

  it('times out a page that stops sending, with the limit in the message', async () => {
    const t0 = Date.now();
    const err = await failure(service.fromUrl(`${base}/slow`));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not send the page within/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('refuses non-web addresses and explains unreachable hosts', async () => {
    expect((await failure(service.fromUrl('file:///etc/passwd'))).code).toBe('bad-request');
    expect((await failure(service.fromUrl('ftp://example.org/a'))).code).toBe('bad-request');
    expect((await failure(service.fromUrl('not a url at all'))).code).toBe('bad-request');
    // A port nobody listens on: take one from a server and close it.
    const spare = createServer();
    await new Promise<void>((ok) => spare.listen(0, '127.0.0.1', ok));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((ok) => spare.close(ok));
    const closed = await failure(service.fromUrl(`http://127.0.0.1:${port}/story`));
    expect(closed.code).toBe('network');
    expect(closed.message).toMatch(/refused the connection/);
  });
});
