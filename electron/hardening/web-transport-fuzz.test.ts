/**
 * The web transport under hostile input: token on every request, foreign Host/Origin refused
 * (DNS rebinding), bad and oversize bodies answered 400 without killing the server, random
 * traversal paths never serving a file outside the renderer or a project, and a sample of calls
 * fuzzed over HTTP with the same checks as the dispatcher fuzzer.
 */
import fc from 'fast-check';
import { mkdir, writeFile } from 'node:fs/promises';
import { type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../services/dispatch';
import { sampleEpisode } from '../../shared/model/fixtures/sample-episode';
import { startWebServer } from '../web/server';
import { envelopeProblem, makeStudio, prototypeSnapshot, type TestStudio } from './harness';
import { baseFor, hostileString, payloadFor } from './payloads';
import { httpRequest, type HttpOptions, type HttpReply } from '../web/test-http';

const TOKEN = 'hardening-token-0123456789abcdef';
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20251115);
const SECRET = 'TOP-SECRET-OUTSIDE-FILE';

let t: TestStudio;
let server: Server;
let port: number;
let projectId: string;

function http(path: string, opts: HttpOptions = {}): Promise<HttpReply> {
  return httpRequest(port, path, opts);
}

/** Sends a raw request line (paths Node's client would refuse or normalise). */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.end(text));
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.on('error', reject);
  });
}

function encodable(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

/** POSTs `total` bytes in chunks without a Content-Length (the streaming size limit). */
function chunked(path: string, total: number): Promise<HttpReply> {
  return http(path, {
    method: 'POST',
    headers: { 'x-studio-token': TOKEN, 'transfer-encoding': 'chunked' },
    body: (req) => {
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    },
  });
}

const auth = { 'x-studio-token': TOKEN, 'content-type': 'application/json' };
const api = (name: string, body: string | Buffer, headers: Record<string, string> = auth) =>
  http(`/api/${name}`, { method: 'POST', headers, body });

beforeAll(async () => {
  t = await makeStudio('gp-webfuzz-');
  const staticDir = join(t.outer, 'static');
  await mkdir(staticDir);
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(join(t.outer, 'secret.txt'), SECRET);
  await writeFile(join(t.dataDir, 'secret.txt'), SECRET);
  const created = await dispatchCall(t.studio.backend, 'projectNew', { episode: sampleEpisode() });
  if (!created.ok) throw new Error(created.error.message);
  projectId = (created.value as { projectId: string }).projectId;
  const started = await startWebServer({ studio: t.studio, staticDir, token: TOKEN });
  server = started.server;
  port = started.port;
});

afterAll(async () => {
  server?.close();
  await t?.studio.close();
});

describe('web transport hardening', () => {
  it('listens on the loopback address only', () => {
    const addr = server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('refuses every path and method without the token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'),
        fc.constantFrom(
          '/',
          '/index.html',
          '/api/appInfo',
          '/api/events',
          `/media/${projectId}/episode.json`,
        ),
        fc.constantFrom<Record<string, string>>(
          {},
          { 'x-studio-token': '' },
          { 'x-studio-token': TOKEN.slice(0, -1) },
          { 'x-studio-token': `${TOKEN}x` },
          { cookie: `studio_token=${TOKEN.toUpperCase()}` },
          { authorization: `Bearer ${TOKEN}` },
        ),
        async (method, path, headers) => {
          const res = await http(path, { method, headers });
          expect(res.status).toBe(401);
          expect(res.body).not.toContain('"episode"');
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  it('refuses foreign Host headers (DNS rebinding) and foreign Origins even with the token', async () => {
    const hosts = fc.oneof(
      fc.constantFrom(
        'evil.example',
        `evil.example:${port}`,
        `127.0.0.1.evil.example:${port}`,
        `127.0.0.1:${port + 1}`,
        `[::1]:${port}`,
        `0.0.0.0:${port}`,
        `LOCALHOST:${port}x`,
      ),
      fc.domain().map((d) => `${d}:${port}`),
    );
    await fc.assert(
      fc.asyncProperty(hosts, async (host) => {
        const res = await api('appInfo', '{}', { ...auth, host });
        expect([400, 403]).toContain(res.status);
      }),
      { numRuns: 40, seed: SEED },
    );
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      expect((await api('appInfo', '{}', { ...auth, origin })).status).toBe(403);
    }
    expect((await api('appInfo', '{}', { ...auth, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    // No Host header at all (HTTP/1.0 allows it): refused too.
    const noHost = await raw(`GET /api/appInfo HTTP/1.0\r\nx-studio-token: ${TOKEN}\r\n\r\n`);
    expect(noHost).toMatch(/^HTTP\/1\.[01] (400|403)/);
  });

  it('answers bad JSON, odd bodies and an oversize body with 400, and keeps serving', async () => {
    for (const body of ['{oops', '"', '[', '\u0000', '{"a":1}}', '\ud800', '['.repeat(200_000)]) {
      const res = await api('appInfo', body);
      expect(res.status, `body ${body.slice(0, 20)}`).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('bad-request');
    }
    // JSON that parses but is no request object.
    for (const body of ['null', '1', '"x"', '[]', 'true']) {
      const res = await api('projectOpen', body);
      expect(res.status).toBe(400);
    }
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    const res = await api('articleFromText', big);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/too large/i);
    const streamed = await chunked('/api/articleFromText', 20 * 1024 * 1024);
    expect(streamed.status).toBe(400);
    expect(JSON.parse(streamed.body).error.message).toMatch(/too large/i);
    expect((await api('appInfo', '{}')).status).toBe(200);
  });

  it('never serves a file outside the renderer or a project, whatever the path', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2E',
        '..%2f',
        '..%5c',
        '%2e%2e%2f',
        '.%2e',
        '%252e%252e',
        'secret.txt',
        '%00',
        '\\..',
      ),
      fc.stringMatching(/^[a-z0-9.%-]{0,8}$/),
    );
    const prefix = fc.constantFrom('/', '/media/', `/media/${projectId}/`, '/media/..%2f..%2f/', '/api/');
    await fc.assert(
      fc.asyncProperty(prefix, fc.array(segment, { minLength: 1, maxLength: 8 }), async (pre, segs) => {
        const path = pre + segs.join('/');
        const reply = await raw(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-studio-token: ${TOKEN}\r\nConnection: close\r\n\r\n`,
        );
        expect(reply, path).not.toContain(SECRET);
        expect(reply.startsWith('HTTP/1.1 500'), `${path} → 500`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('a malformed %-escape in a media path is a 404, not a server error', async () => {
    const res = await http(`/media/${projectId}/%E0%A4%A`, { headers: { 'x-studio-token': TOKEN } });
    expect(res.status).toBe(404);
    const bad = await http('/media/%E0%A4%A/x.wav', { headers: { 'x-studio-token': TOKEN } });
    expect(bad.status).toBe(404);
  });

  for (const name of [
    'projectOpen',
    'projectSave',
    'settingsUpdate',
    'articleFromText',
    'exportStart',
  ] as const) {
    it(`${name} over HTTP: hostile JSON bodies → typed errors with a matching status`, async () => {
      const proto = prototypeSnapshot();
      const base = baseFor(name, projectId);
      await fc.assert(
        fc.asyncProperty(payloadFor(base), async (payload) => {
          let body: string;
          try {
            body = JSON.stringify(payload) ?? 'null';
          } catch {
            return; // not representable as JSON (BigInt, cycles): a browser could not send it either
          }
          const res = await api(name, body);
          const env = JSON.parse(res.body) as { ok: boolean; value?: { jobId?: string } };
          const problem = envelopeProblem(name, env);
          if (problem) throw new Error(`${name}: ${problem}`);
          expect(res.status === 200).toBe(env.ok);
          if (env.ok && env.value?.jobId) t.studio.jobs.cancel(env.value.jobId);
        }),
        { numRuns: Math.ceil(RUNS / 4), seed: SEED },
      );
      // JSON text with a literal "__proto__" key (JSON.parse makes it an own property).
      const polluted = JSON.stringify(base).replace(
        /^\{/,
        '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
      );
      const res = await api(name, polluted);
      expect(envelopeProblem(name, JSON.parse(res.body))).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(prototypeSnapshot()).toBe(proto);
    });
  }

  it('hostile call names over HTTP are typed not-found errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileString.filter((s) => s.length < 200 && encodable(s)),
        async (name) => {
          const res = await http(`/api/${encodeURIComponent(name)}`, {
            method: 'POST',
            headers: auth,
            body: '{}',
          });
          expect(res.status).not.toBe(500);
          expect(res.status).not.toBe(200);
        },
      ),
      { numRuns: 50, seed: SEED },
    );
  });
});
