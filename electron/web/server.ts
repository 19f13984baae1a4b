/**
 * The web transport: the built renderer and the same back end over HTTP on 127.0.0.1.
 * Every request needs the per-run token (header, `?token=` or the cookie set from it); API calls
 * need it in the `x-studio-token` header and a same-origin Origin/Host, so another site or a
 * DNS-rebinding page cannot drive the studio.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { eventNames } from '../../shared/contract';
import { studioCsp } from '../../shared/csp';
import type { Studio } from '../services/studio';
import { dispatchCall, httpStatusFor } from '../services/dispatch';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The CSP the page runs under (no unsafe-eval; inline styles for Monaco's generated styles). */
export const WEB_CSP = studioCsp();

const MAX_BODY = 16 * 1024 * 1024;

export interface WebServerOptions {
  studio: Studio;
  /** Built renderer (dist-web/). */
  staticDir: string;
  token: string;
  port?: number;
}

/** Starts the server on 127.0.0.1; resolves with it and its base URL. */
export async function startWebServer(
  opts: WebServerOptions,
): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      console.error(
        'Goose Pod Studio web: request failed:',
        err instanceof Error ? err.message : String(err),
      );
      // No error text on the wire: it may carry paths; the message is for the server's log only.
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'internal', message: 'Internal server error' } });
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/`, port };
}

function tokenOk(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const m = /(?:^|;\s*)studio_token=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
  return m?.[1];
}

/** Host must be our own loopback address (blocks DNS rebinding). */
function hostOk(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

async function handle(opts: WebServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const port = (req.socket.localPort ?? 0) as number;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (!hostOk(req, port))
    return send(res, 403, { ok: false, error: { code: 'bad-request', message: 'Foreign host' } });
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  const queryToken = url.searchParams.get('token');
  const headerToken = req.headers['x-studio-token'];
  const authed =
    tokenOk(opts.token, typeof headerToken === 'string' ? headerToken : undefined) ||
    tokenOk(opts.token, queryToken) ||
    tokenOk(opts.token, cookieToken(req));
  if (!authed) {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.writeHead(401);
    res.end('Goose Pod Studio: this page needs the address printed by `npm run web` (it carries a token).');
    return;
  }
  // First visit with ?token=: remember it in an HttpOnly cookie and hand it to the page in the fragment.
  if (queryToken && req.method === 'GET' && url.pathname === '/') {
    res.setHeader('Set-Cookie', `studio_token=${opts.token}; HttpOnly; SameSite=Strict; Path=/`);
    res.writeHead(302, { Location: `/#token=${opts.token}` });
    res.end();
    return;
  }

  if (url.pathname.startsWith('/api/')) {
    const origin = req.headers.origin;
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return send(res, 403, { ok: false, error: { code: 'bad-request', message: 'Foreign origin' } });
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return events(opts, req, res);
    if (req.method !== 'POST')
      return send(res, 405, { ok: false, error: { code: 'bad-request', message: 'POST only' } });
    if (!tokenOk(opts.token, typeof headerToken === 'string' ? headerToken : undefined)) {
      return send(res, 401, {
        ok: false,
        error: { code: 'bad-request', message: 'Missing x-studio-token header' },
      });
    }
    let body: unknown;
    try {
      if (Number(req.headers['content-length']) > MAX_BODY) {
        req.resume();
        throw new RangeError('too large');
      }
      body = JSON.parse((await readBody(req)) || '{}');
    } catch (err) {
      const tooLarge = err instanceof RangeError && err.message === 'too large';
      const message = tooLarge ? 'Request too large' : 'Request body is not valid JSON';
      if (tooLarge) res.setHeader('Connection', 'close');
      return send(res, 400, { ok: false, error: { code: 'bad-request', message } });
    }
    const name = url.pathname.slice('/api/'.length);
    const result = await dispatchCall(opts.studio.backend, name, body);
    return send(res, result.ok ? 200 : httpStatusFor(result.error), result);
  }

  if (url.pathname.startsWith('/media/')) {
    const [, , projectId, ...rest] = url.pathname.split('/');
    let dir: string;
    let relPath: string;
    try {
      // A malformed %-escape (URIError) is a missing file, not a server error.
      dir = opts.studio.projects.dir(decodeURIComponent(projectId ?? ''));
      relPath = decodeURIComponent(rest.join('/'));
    } catch {
      return notFound(res);
    }
    return serveFile(req, res, dir, relPath, false);
  }
  return serveFile(
    req,
    res,
    opts.staticDir,
    url.pathname === '/' ? 'index.html' : url.pathname.slice(1),
    true,
  );
}

function events(opts: WebServerOptions, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  // A dropped stream comes back after a second (browsers wait about three by default); the client
  // then asks for the job list, since events sent during the gap are not replayed.
  res.write('retry: 1000\n: connected\n\n');
  const off = opts.studio.onEvent((name, payload) => {
    if (!eventNames.includes(name)) return;
    res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    off();
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Stop buffering but keep reading (and dropping) the rest, so the client gets the 400
        // instead of a reset connection.
        fail(new RangeError('too large'));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(json);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}

/** Serves a file under `root` with Range support; refuses anything that resolves outside it. */
async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  relPath: string,
  isApp: boolean,
): Promise<void> {
  const base = resolve(root);
  const full = resolve(base, normalize(relPath));
  if (full !== base && !full.startsWith(base + sep)) return notFound(res);
  if (relPath.split('/').some((seg) => seg.startsWith('.'))) return notFound(res);
  let size: number;
  try {
    const s = await stat(full);
    if (!s.isFile()) return notFound(res);
    size = s.size;
  } catch {
    return notFound(res);
  }
  const type = MIME[extname(full).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': isApp && !full.endsWith('.html') ? 'max-age=3600' : 'no-store',
  };
  if (isApp) headers['Content-Security-Policy'] = WEB_CSP;
  if (!isApp) headers['Content-Disposition'] = `inline; filename="${full.split(sep).pop()}"`;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : size - Number(range[2]);
    let end = range[1] && range[2] ? Number(range[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(size - 1, end);
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': end - start + 1,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(full, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(full).pipe(res);
}

/** Joins path segments for media URLs (each segment encoded). */
export function mediaPath(projectId: string, relPath: string): string {
  return `/media/${encodeURIComponent(projectId)}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}
