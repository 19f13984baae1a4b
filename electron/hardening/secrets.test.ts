/**
 * Secrets: a fake provider key is stored, used to draft (model provider answering 401 and 200),
 * to test a connection, and then the project is voiced and exported. The key must never appear
 * in an HTTP answer, an event, a job update, the server's stdout/stderr, settings, the project
 * folder or its exports — only in the Authorization header sent to the provider itself, and
 * sealed (not in plain text) in the secret store.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleEpisode, TEST_PERSONAS } from '../../shared/model/fixtures/sample-episode';
import { startWebServer } from '../web/server';
import { filesContaining, listTree, makeStudio, type TestStudio } from './harness';

const KEY = 'sk-test-FAKEKEY-7f3c9a1b2d4e6f80a1b2c3d4';
const TOKEN = 'secrets-token-0123456789abcdef';

let t: TestStudio;
let server: Server;
let port: number;
const wire: string[] = [];
const logs: string[] = [];

function post(
  name: string,
  body: unknown,
): Promise<{
  status: number;
  json: { ok: boolean; value?: never; error?: { code: string; message: string } };
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${name}`,
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, 'x-studio-token': TOKEN, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          wire.push(text);
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function waitJob(jobId: string) {
  return t.studio.jobs.wait(jobId);
}

beforeAll(async () => {
  // Capture everything the process prints while the server runs.
  for (const stream of [process.stdout, process.stderr]) {
    const orig = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logs.push(String(chunk));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  let calls = 0;
  t = await makeStudio('gp-secrets-', (url) => {
    calls++;
    // First model request: 401 (key refused); later ones: a server error, then garbage.
    if (url.includes('/models')) return new Response('{"error":{"message":"bad key"}}', { status: 401 });
    return calls % 2
      ? new Response('{"error":{"message":"Incorrect API key provided: sk-tes***"}}', { status: 401 })
      : new Response('not json at all', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  t.studio.onEvent((name, payload) => wire.push(`${name} ${JSON.stringify(payload)}`));
  const staticDir = join(t.outer, 'static');
  await mkdir(staticDir);
  await writeFile(join(staticDir, 'index.html'), '<!doctype html>');
  const started = await startWebServer({ studio: t.studio, staticDir, token: TOKEN });
  server = started.server;
  port = started.port;
});

afterAll(async () => {
  vi.restoreAllMocks();
  server?.close();
  await t?.studio.close();
});

describe('a provider key never leaks', () => {
  it('is stored and shown masked only', async () => {
    const set = await post('settingsSetApiKey', { providerId: 'openai', apiKey: KEY });
    expect(set.json.ok).toBe(true);
    expect(JSON.stringify(set.json)).not.toContain(KEY);
    const presets = await post('providerPresets', {});
    expect(JSON.stringify(presets.json)).toMatch(/sk-…/);
  });

  it('drafting, testing the connection, voicing and exporting keep it out of every output', async () => {
    const article = sampleEpisode().article;
    const show = sampleEpisode().show;
    const llm = {
      providerId: 'openai',
      baseURL: 'http://127.0.0.1:9/v1',
      model: 'gpt-test',
      inputPricePerM: 1,
      outputPricePerM: 1,
    };
    for (let i = 0; i < 2; i++) {
      const draft = await post('draftStart', { article, show, personas: TEST_PERSONAS, llm });
      if (draft.json.ok) {
        const done = await waitJob((draft.json.value as unknown as { jobId: string }).jobId);
        wire.push(JSON.stringify(done));
      }
    }
    await post('providerTest', { baseURL: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'x' });
    await post('providerTest', { baseURL: 'http://127.0.0.1:9/v1', providerId: 'openai' });
    await post('draftEstimate', { article, show, personas: TEST_PERSONAS, llm });
    // A key pasted where it does not belong is refused without being echoed back.
    const bad = await post('settingsSetApiKey', { providerId: 'openai', apiKey: `${KEY} extra` });
    expect(bad.json.ok).toBe(false);

    const created = await post('projectNew', { episode: sampleEpisode() });
    const { projectId, episode } = created.json.value as unknown as { projectId: string; episode: never };
    const voiced = await post('voiceSynthesize', { projectId, episode });
    const vdone = await waitJob((voiced.json.value as unknown as { jobId: string }).jobId);
    const clips = vdone.result?.kind === 'voice' ? vdone.result.clips : {};
    const ep = { ...(episode as object), clips };
    await post('projectSave', { projectId, episode: ep });
    const exp = await post('exportStart', {
      projectId,
      episode: ep,
      formats: ['mp3', 'transcript', 'json', 'srt', 'vtt', 'podcast-json', 'show-notes'],
    });
    const edone = await waitJob((exp.json.value as unknown as { jobId: string }).jobId);
    expect(edone.status).toBe('done');
    wire.push(JSON.stringify((await post('jobList', {})).json));
    wire.push(JSON.stringify((await post('settingsGet', {})).json));

    // The provider did receive it (so the test really used the key) …
    expect(t.seen.some((r) => Object.values(r.headers).some((v) => v.includes(KEY)))).toBe(true);
    // … and nothing else ever did.
    expect(wire.filter((w) => w.includes(KEY))).toEqual([]);
    expect(logs.filter((l) => l.includes(KEY))).toEqual([]);
    expect(await filesContaining(t.dataDir, KEY)).toEqual([]);
    expect(await filesContaining(t.dataDir, KEY.slice(8, 24))).toEqual([]);
    const tree = await listTree(t.dataDir);
    expect(tree.some((p) => p.includes('/exports/'))).toBe(true);
    expect(tree.some((p) => p.startsWith('secrets/'))).toBe(true);
  });
});
