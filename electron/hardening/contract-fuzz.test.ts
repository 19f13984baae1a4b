/**
 * Contract fuzzing: every call of shared/contract.ts gets a few hundred hostile payloads through
 * `dispatchCall` of a real back end. Each answer must be a typed error or a response that matches
 * the call's schema; nothing may throw, pollute a prototype or write outside the data folder.
 *
 * FUZZ_RUNS (default 200 per call) and FUZZ_SEED (default fixed, so CI is reproducible) vary it.
 */
import fc from 'fast-check';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type CallName } from '../../shared/contract';
import { dispatchCall } from '../services/dispatch';
import { sampleEpisode } from '../../shared/model/fixtures/sample-episode';
import { envelopeProblem, listTree, makeStudio, prototypeSnapshot, type TestStudio } from './harness';
import { baseFor, ESCAPE_MARK, hostileString, payloadFor, validRequests } from './payloads';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20251115);

let t: TestStudio;
let projectId: string;
let folderId: string;
let dataBefore: Set<string>;
let protoBefore: string;
let tmpBefore: Set<string>;

async function escaped(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => n.includes(ESCAPE_MARK));
}

beforeAll(async () => {
  protoBefore = prototypeSnapshot();
  tmpBefore = new Set(await escaped(tmpdir()));
  t = await makeStudio('gp-fuzz-');
  const created = await dispatchCall(t.studio.backend, 'projectNew', { episode: sampleEpisode() });
  if (!created.ok) throw new Error(created.error.message);
  projectId = (created.value as { projectId: string }).projectId;
  const granted = await dispatchCall(t.studio.backend, 'exportFolderGrant', { segments: ['Podcasts'] });
  if (!granted.ok) throw new Error(granted.error.message);
  folderId = (granted.value as { folder: { folderId: string } }).folder.folderId;
  dataBefore = new Set(await readdir(t.dataDir));
});

afterAll(async () => {
  await t?.studio.close();
});

/** Dispatches, checks the envelope and cancels any job it started (keeps the run short). */
async function check(name: string, payload: unknown): Promise<void> {
  const env = await dispatchCall(t.studio.backend, name, payload);
  const problem = envelopeProblem(name, env);
  if (problem) throw new Error(`${name}: ${problem} for ${safeShow(payload)}`);
  expect(() => JSON.stringify(env)).not.toThrow();
  if (env.ok && env.value && typeof env.value === 'object' && 'jobId' in env.value) {
    t.studio.jobs.cancel(String((env.value as { jobId: string }).jobId));
  }
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || prototypeSnapshot() !== protoBefore) {
    throw new Error(`${name}: a prototype was polluted by ${safeShow(payload)}`);
  }
}

function safeShow(v: unknown): string {
  try {
    return fc.stringify(v).slice(0, 300);
  } catch {
    return String(v).slice(0, 300);
  }
}

describe('contract fuzzing through dispatchCall', () => {
  it('has a valid base request for every call, and the base requests succeed or fail typed', async () => {
    const bases = validRequests(projectId, folderId);
    const untailored = callNames.filter((n) => !bases[n]);
    // New calls are fuzzed from {} until someone adds a valid base request in payloads.ts.
    if (untailored.length)
      console.warn(`contract fuzz: no tailored base request for ${untailored.join(', ')}`);
    for (const name of callNames) await check(name, baseFor(name, projectId, folderId));
  });

  for (const name of callNames) {
    it(`${name}: ${RUNS} hostile payloads → typed error or valid response`, async () => {
      const base = baseFor(name as CallName, projectId, folderId);
      await fc.assert(
        fc.asyncProperty(payloadFor(base), async (payload) => check(name, payload)),
        { numRuns: RUNS, seed: SEED + callNames.indexOf(name), endOnFailure: true },
      );
    });
  }

  it('unknown and inherited call names are refused with not-found', async () => {
    const names = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'hasOwnProperty',
        'toString',
        'valueOf',
        '__defineGetter__',
      ),
      hostileString,
    );
    await fc.assert(
      fc.asyncProperty(names, fc.anything(), async (name, payload) => {
        if ((callNames as string[]).includes(name)) return;
        const env = await dispatchCall(t.studio.backend, name, payload);
        expect(env.ok).toBe(false);
        if (!env.ok) expect(env.error.code).toBe('not-found');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('left nothing outside the data folder and the back end still works', async () => {
    // Let started jobs settle before looking at the disk.
    for (const job of t.studio.jobs.list()) {
      if (!['done', 'failed', 'canceled'].includes(job.status)) await t.studio.jobs.wait(job.jobId);
    }
    const outside = (await listTree(t.outer)).filter((p) => p !== 'data' && !p.startsWith('data/'));
    expect(outside).toEqual([]);
    expect((await escaped(tmpdir())).filter((n) => !tmpBefore.has(n))).toEqual([]);
    expect(await escaped(process.cwd())).toEqual([]);
    expect(await escaped('/')).toEqual([]);
    // The folder calls really ran (their base requests are valid) and made nothing beside the
    // export root in the data folder, nothing hidden and nothing marked as an escape inside it.
    // (`secrets` appears when settingsSetApiKey stores a key.)
    const made = (await readdir(t.dataDir)).filter((n) => !dataBefore.has(n) && n !== 'secrets');
    expect(made).toEqual([]);
    const inRoot = await listTree(t.exportRoot);
    expect(inRoot).toContain('Podcasts/Episodes');
    expect(inRoot.filter((p) => p.split('/').some((s) => s.startsWith('.')))).toEqual([]);
    // A percent-encoded name such as `%2e%2e%2f…` is a literal folder name (nothing decodes it), so
    // it may be made inside the root; what must never appear is a traversal that took effect or a
    // name the service refuses (separators, NUL, dot segments).
    const marked = inRoot.filter((p) => p.includes(ESCAPE_MARK));
    for (const p of marked) {
      for (const seg of p.split('/')) {
        expect(seg.startsWith('.') || seg.includes('\\') || seg.includes('\u0000')).toBe(false);
      }
      expect(p).not.toMatch(/\.\./u);
    }
    const opened = await dispatchCall(t.studio.backend, 'projectOpen', { projectId });
    expect(opened.ok).toBe(true);
    expect(prototypeSnapshot()).toBe(protoBefore);
  });
});
