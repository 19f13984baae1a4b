// A spec that runs jobs of its own starts its own back end (own port and data folder), so its
// jobs never disturb the shared one the spine spec counts on.
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSpeechServer, type SpeechServer } from '../../electron/services/test-servers/speech-server';
import { E2E_TOKEN } from '../../playwright.config';

/** The seed's article, as a producer pastes it. */
export const seedArticle = readFileSync(new URL('../fixtures/seed-article.txt', import.meta.url), 'utf8');

/**
 * Registers hooks that start `npm run web`'s server for this spec file on `port` (overridable by
 * the environment variable `portEnv`) with a fresh data folder, and stop it afterwards. `env` adds
 * environment variables for the server (e.g. GOOSEPOD_EXPORT_ROOT).
 */
export function useOwnBackend(
  name: string,
  portEnv: string,
  defaultPort: number,
  env: Record<string, string> = {},
): { base: string; api: Api } {
  const port = Number(process.env[portEnv] ?? defaultPort);
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let dataDir = '';
  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `goosepod-e2e-${name}-`));
    server = spawn(
      'npx',
      ['tsx', 'electron/web/serve.ts', '--port', String(port), '--data', dataDir, '--quiet'],
      {
        cwd: new URL('../..', import.meta.url),
        env: { ...process.env, ...env, GOOSEPOD_TOKEN: E2E_TOKEN },
        stdio: 'ignore',
        detached: true,
      },
    );
    await expect
      .poll(
        async () => {
          try {
            return (await fetch(`${base}/`)).status > 0;
          } catch {
            return false;
          }
        },
        { timeout: 60_000 },
      )
      .toBe(true);
  });
  test.afterAll(() => {
    try {
      if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { base, api: (page, call, body) => callApi(page, base, call, body) };
}

/** Starts the project's speech test server for this spec file (read `.server` inside tests). */
export function useSpeechServer(): { server: SpeechServer } {
  const ref = {} as { server: SpeechServer };
  test.beforeAll(async () => {
    ref.server = await startSpeechServer();
  });
  test.afterAll(async () => {
    await ref.server?.close();
  });
  return ref;
}

/** Calls the back end the way the page does (token header), for assertions only. */
export async function callApi<T>(page: Page, base: string, name: string, body: unknown = {}): Promise<T> {
  let res;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await page.request.post(`${base}/api/${name}`, {
        data: body,
        headers: { 'x-studio-token': E2E_TOKEN },
      });
      break;
    } catch (err) {
      // A reused keep-alive socket the server just closed: ask again on a fresh one.
      if (attempt >= 3 || !/ECONNRESET|socket hang up/.test(String(err))) throw err;
    }
  }
  const json = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!json.ok) throw new Error(json.error?.message);
  return json.value;
}

/** A job as `jobList` reports it (the fields the specs read). */
export interface ListedJob {
  kind: string;
  status: string;
  result?: {
    synthesized?: string[];
    cached?: string[];
    failed?: { lineId: string; message: string }[];
  };
}

type Api = <T>(page: Page, call: string, body?: unknown) => Promise<T>;

/** The voice jobs of this spec's back end that are done, oldest first. */
export async function doneVoiceJobs(api: Api, page: Page): Promise<ListedJob[]> {
  const { jobs } = await api<{ jobs: ListedJob[] }>(page, 'jobList');
  return jobs.filter((j) => j.kind === 'voice' && j.status === 'done');
}

/** Waits until `count` voice jobs are done and returns the `count`-th. */
export async function waitVoiceJob(api: Api, page: Page, count: number): Promise<ListedJob> {
  await expect
    .poll(async () => (await doneVoiceJobs(api, page)).length, { timeout: 150_000 })
    .toBeGreaterThanOrEqual(count);
  return (await doneVoiceJobs(api, page))[count - 1]!;
}
