import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createNodeStudio } from '../services/node-host';
import type { Studio } from '../services/studio';
import { mediaPath, startWebServer } from './server';
import { httpRequest, type HttpOptions, type HttpReply } from './test-http';

const TOKEN = 'test-token-0123456789';
let studio: Studio;
let server: Server;
let port: number;
let staticDir: string;

function http(path: string, opts: HttpOptions = {}): Promise<HttpReply> {
  return httpRequest(port, path, opts);
}

const api = (name: string, body: unknown, headers: Record<string, string> = { 'x-studio-token': TOKEN }) =>
  http(`/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gp-web-'));
  staticDir = join(dir, 'static');
  await mkdir(staticDir);
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(join(dir, 'secret.txt'), 'do not serve');
  studio = await createNodeStudio({ dataDir: join(dir, 'data'), mediaUrl: mediaPath, voiceWorkers: 1 });
  const started = await startWebServer({ studio, staticDir, token: TOKEN });
  server = started.server;
  port = started.port;
});

afterAll(async () => {
  server.close();
  await studio.close();
});

describe('web transport', () => {
  it('refuses every request without the token', async () => {
    expect((await http('/')).status).toBe(401);
    expect((await http('/index.html')).status).toBe(401);
    expect((await api('appInfo', {}, {})).status).toBe(401);
    expect((await api('appInfo', {}, { 'x-studio-token': 'wrong-token-0123456789' })).status).toBe(401);
  });

  it('turns ?token= into an HttpOnly cookie, then serves the app with a strict CSP', async () => {
    const first = await http(`/?token=${TOKEN}`);
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await http('/', { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-eval');
  });

  it('requires the header (not just the cookie) for API calls, and rejects foreign hosts and origins', async () => {
    expect((await api('appInfo', {}, { cookie: `studio_token=${TOKEN}` })).status).toBe(401);
    expect((await api('appInfo', {}, { 'x-studio-token': TOKEN, host: 'evil.example:80' })).status).toBe(403);
    expect(
      (await api('appInfo', {}, { 'x-studio-token': TOKEN, origin: 'http://evil.example' })).status,
    ).toBe(403);
  });

  it('validates payloads and answers with typed errors', async () => {
    const ok = await api('appInfo', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).value.transport).toBe('web');
    const bad = await api('projectOpen', { projectId: '../../etc' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('bad-request');
    const unknown = await api('deleteEverything', {});
    expect(JSON.parse(unknown.body).error.code).toBe('not-found');
    const notJson = await http('/api/appInfo', {
      method: 'POST',
      headers: { 'x-studio-token': TOKEN },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    const empty = await api('articleFromText', { text: '' });
    expect(JSON.parse(empty.body).error.code).toBe('empty-input');
  });

  it('never serves files outside the renderer or a project', async () => {
    const h = { 'x-studio-token': TOKEN };
    expect((await http('/../secret.txt', { headers: h })).status).toBe(404);
    expect((await http('/%2e%2e/secret.txt', { headers: h })).status).toBe(404);
    expect((await http('/media/..%2F..%2Fsecret/x.txt', { headers: h })).status).toBe(404);
    expect((await http('/media/nope/..%2F..%2F..%2Fsecret.txt', { headers: h })).status).toBe(404);
  });

  it('serves byte ranges of project media', async () => {
    const dir = studio.projects.dir('range-test');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'mix.wav'), Buffer.from('0123456789'));
    const res = await http(mediaPath('range-test', 'mix.wav'), {
      headers: { 'x-studio-token': TOKEN, range: 'bytes=2-5' },
    });
    expect(res.status).toBe(206);
    expect(res.body).toBe('2345');
    expect(res.headers['content-range']).toBe('bytes 2-5/10');
  });
});
