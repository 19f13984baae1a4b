/**
 * Fetching an article page in the back end (never the renderer): http/https only, redirects
 * followed, a time limit over the whole download, a size cap, and a sentence for every way it
 * can fail (404, paywall, timeout, DNS, an image or PDF instead of a page).
 */
import { StudioError } from '../../../shared/contract';

/** Options of {@link fetchPage}. */
export type FetchPageOptions = {
  /** The fetch to use (global fetch in the app; tests may pass their own). */
  fetch: typeof fetch;
  /** Time limit for the whole download, headers and body. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Cancels the download (e.g. the producer closed the dialog). */
  signal?: AbortSignal;
};

/** A downloaded page. */
export type FetchedPage = {
  /** Address after redirects. */
  finalUrl: string;
  /** `html` for HTML/XHTML, `text` for plain text or Markdown. */
  kind: 'html' | 'text';
  bytes: Uint8Array;
  /** Charset named in the Content-Type header, if any. */
  charset?: string;
};

/** The host name as a producer reads it ("www.example.com"). */
function hostOf(url: URL): string {
  return url.host || url.href;
}

/**
 * Parses and checks an address typed or pasted by the producer: http(s) only, no credentials.
 * A bare "example.com/story" gets https:// in front.
 */
export function parseArticleUrl(raw: string): URL {
  const trimmed = raw.trim();
  if (trimmed === '') throw new StudioError('bad-request', 'Paste the address of an article.');
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new StudioError('bad-request', `"${trimmed}" is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StudioError(
      'bad-request',
      `Only http and https addresses can be fetched, not ${url.protocol}.`,
    );
  }
  if (url.username || url.password) {
    throw new StudioError('bad-request', 'Addresses with a user name or password are not fetched.');
  }
  return url;
}

/** Maps a failed fetch (thrown before any response) to a producer's sentence. */
function fetchFailure(err: unknown, url: URL, timeoutMs: number, signal?: AbortSignal): StudioError {
  if (signal?.aborted) return new StudioError('canceled', 'Canceled');
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new StudioError(
      'timeout',
      `${hostOf(url)} did not send the page within ${Math.round(timeoutMs / 1000)} seconds. Try again, or paste the article text.`,
    );
  }
  const code = e?.cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StudioError(
      'network',
      `Could not find ${hostOf(url)}. Check the address and your connection.`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new StudioError('network', `${hostOf(url)} refused the connection. Check the address.`);
  }
  if (/CERT|SSL|TLS/i.test(code)) {
    return new StudioError(
      'network',
      `${hostOf(url)} has an invalid security certificate; the page was not fetched.`,
    );
  }
  return new StudioError(
    'network',
    `Could not fetch ${hostOf(url)}: the connection failed (${code || 'network error'}).`,
  );
}

/** Maps an HTTP error status to a producer's sentence. */
function statusFailure(status: number, url: URL): StudioError {
  const host = hostOf(url);
  if (status === 404 || status === 410) {
    return new StudioError(
      'not-found',
      `There is no page at that address on ${host} (HTTP ${status}). Check the link.`,
    );
  }
  if (status === 401 || status === 403 || status === 402) {
    return new StudioError(
      'auth',
      `${host} refused to send the page (HTTP ${status}); it may be behind a login or paywall. Paste the article text instead.`,
    );
  }
  if (status === 429) {
    return new StudioError(
      'rate-limited',
      `${host} is limiting requests (HTTP 429). Wait a minute and try again.`,
    );
  }
  if (status >= 500) {
    return new StudioError('network', `${host} had a server error (HTTP ${status}). Try again later.`);
  }
  return new StudioError('network', `${host} answered HTTP ${status} instead of the page.`);
}

/** Content types read as pages or text; everything else is refused. */
function kindOf(contentType: string): 'html' | 'text' | undefined {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime === '') return undefined;
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'text/plain' || mime === 'text/markdown' || mime === 'text/x-markdown') return 'text';
  return undefined;
}

/** Reads a body up to `maxBytes`, refusing larger ones without downloading them whole. */
async function readCapped(res: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  const tooLarge = () =>
    new StudioError(
      'too-large',
      `The page at ${hostOf(url)} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; that is not an article.`,
    );
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Downloads an article page.
 *
 * @throws StudioError with codes `bad-request` (not http/https), `not-found` (404/410), `auth`
 *   (401/402/403), `rate-limited`, `network`, `timeout`, `too-large`, `empty-input` (empty body),
 *   `binary-input` (an image, PDF or other non-text type), `canceled`
 */
export async function fetchPage(rawUrl: string, opts: FetchPageOptions): Promise<FetchedPage> {
  const url = parseArticleUrl(rawUrl);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res: Response;
  try {
    res = await opts.fetch(url, {
      redirect: 'follow',
      signal,
      headers: {
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1',
        // Some sites refuse clients without a browser-like identity; say who we are honestly.
        'user-agent': 'Mozilla/5.0 (compatible; GoosePodStudio/0.1; +article-import)',
      },
    });
  } catch (err) {
    throw fetchFailure(err, url, opts.timeoutMs, opts.signal);
  }
  const finalUrl = new URL(res.url || url.href);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw statusFailure(res.status, finalUrl);
  }
  const contentType = res.headers.get('content-type') ?? '';
  const kind = kindOf(contentType);
  if (!kind && contentType.trim() !== '') {
    await res.body?.cancel().catch(() => undefined);
    const mime = contentType.split(';')[0].trim();
    throw new StudioError(
      'binary-input',
      `That address is not a web page (${mime}). Paste the address of the article's page instead.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(res, opts.maxBytes, finalUrl);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw fetchFailure(err, finalUrl, opts.timeoutMs, opts.signal);
  }
  if (bytes.length === 0 || new TextDecoder().decode(bytes.subarray(0, 4096)).trim() === '') {
    throw new StudioError('empty-input', `The page at ${hostOf(finalUrl)} is empty.`);
  }
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  return {
    finalUrl: finalUrl.href,
    // No Content-Type: let the bytes decide (markup starts with "<").
    kind: kind ?? (/^\s*</.test(new TextDecoder('latin1').decode(bytes.subarray(0, 512))) ? 'html' : 'text'),
    bytes,
    ...(charset ? { charset } : {}),
  };
}
