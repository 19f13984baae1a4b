/**
 * Shared set-up of the hardening tests: a real back end (the same composition as
 * `createNodeStudio`, one espeak worker) in a throwaway data folder, with a recording fake `fetch`
 * so no test ever reaches the network, and a file secret store so stored keys land on disk where
 * the secrets test can look for them.
 */
import Conf from 'conf';
import { mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calls, ErrorCodeSchema, type CallName } from '../../shared/contract';
import type { Envelope } from '../services/dispatch';
import { FileSecretStore } from '../services/draft/secret-store';
import { RESOURCES_DIR } from '../services/node-host';
import { nodeWorkerFactory } from '../services/node-workers';
import { createStudio, type Studio } from '../services/studio';
import { EspeakEngine } from '../services/voice/espeak-engine';
import { mediaPath } from '../web/server';

/** A request the fake fetch saw (URL and every header, so tests can look for leaked keys). */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The back end plus where it keeps things. */
export interface TestStudio {
  studio: Studio;
  /** A folder made for this test only; the data folder sits inside it. */
  outer: string;
  dataDir: string;
  projectsRoot: string;
  /** Root of the export folder browser (inside the data folder; holds `Podcasts/`). */
  exportRoot: string;
  seen: SeenRequest[];
}

/**
 * Builds the back end in `<tmp>/<prefix>…/data`. The fake fetch answers every request with
 * `answer` (default: 401, which the drafter does not retry), so hostile URLs never leave the box.
 */
export async function makeStudio(
  prefix: string,
  answer: (url: string) => Response = () =>
    new Response(JSON.stringify({ error: { message: 'invalid key' } }), {
      status: 401,
      headers: { 'content-type': 'application/json' },
    }),
  /** Keep settings and projects here instead of `<outer>/data` (e.g. on a tiny file system). */
  dataDirOverride?: string,
): Promise<TestStudio> {
  const outer = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = dataDirOverride ?? join(outer, 'data');
  const projectsRoot = join(dataDir, 'projects');
  // The folder browser gets a root of its own, so fuzzed folder names reach ExportFolders.
  const exportRoot = join(dataDir, 'export-root');
  await mkdir(join(exportRoot, 'Podcasts'), { recursive: true });
  const seen: SeenRequest[] = [];
  const fakeFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers: Record<string, string> = {};
    new Headers(input instanceof Request ? input.headers : init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = typeof init?.body === 'string' ? init.body : '';
    seen.push({ url, headers, body });
    return answer(url);
  }) as typeof fetch;
  // Engines or services that use the global fetch instead of the injected one stay offline too.
  globalThis.fetch = fakeFetch;
  const studio = await createStudio({
    transport: 'web',
    version: '0.0.0-hardening',
    projectsRoot,
    resourcesDir: RESOURCES_DIR,
    store: new Conf<Record<string, unknown>>({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'goose-pod-studio',
    }),
    engine: new EspeakEngine({
      createWorker: nodeWorkerFactory(new URL('../services/voice/espeak-worker.ts', import.meta.url)),
      size: 1,
    }),
    createMp3Worker: nodeWorkerFactory(new URL('../services/audio/mp3-worker.ts', import.meta.url)),
    mediaUrl: mediaPath,
    secrets: new FileSecretStore(join(dataDir, 'secrets')),
    fetch: fakeFetch,
    llm: { maxRetries: 0, retryBaseMs: 1, idleTimeoutMs: 2000 },
    exportFolders: { browseRoot: exportRoot },
  });
  return { studio, outer, dataDir, projectsRoot, exportRoot, seen };
}

/**
 * Checks an envelope is what the contract promises: a typed error with a known code and a
 * message, or a value that parses with the call's response schema.
 */
export function envelopeProblem(name: string, env: unknown): string | undefined {
  if (typeof env !== 'object' || env === null) return 'not an object';
  const e = env as Envelope;
  if (e.ok === false) {
    if (!ErrorCodeSchema.safeParse(e.error?.code).success) return `unknown code ${String(e.error?.code)}`;
    if (typeof e.error.message !== 'string' || e.error.message.length === 0) return 'no message';
    if (/\n\s+at /.test(e.error.message)) return 'stack trace in message';
    return undefined;
  }
  if (e.ok !== true) return 'no ok flag';
  if (!(name in calls)) return 'ok for an unknown call';
  const parsed = calls[name as CallName].response.safeParse(e.value);
  return parsed.success ? undefined : `response does not match schema: ${parsed.error.issues[0]?.message}`;
}

/** Every file under `dir` (relative paths), for "nothing written outside" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      out.push(r);
      if ((await stat(full).catch(() => undefined))?.isDirectory()) await walk(full, r);
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Files under `dir` whose bytes contain `needle` (relative paths). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const rel of await listTree(dir)) {
    const full = join(dir, rel);
    const s = await stat(full).catch(() => undefined);
    if (!s?.isFile()) continue;
    const bytes = await readFile(full);
    if (bytes.includes(needle) || bytes.includes(Buffer.from(needle, 'utf16le'))) hits.push(rel);
  }
  return hits;
}

/** Own property names of the built-in prototypes that pollution would touch. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');
}
