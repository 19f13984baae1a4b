/**
 * Hostile payloads for the contract fuzzers: a valid request per call to mutate, and fast-check
 * arbitraries for wrong types, huge strings, path traversal, prototype-pollution keys, deep
 * nesting and non-finite numbers. Every traversal string carries {@link ESCAPE_MARK} so a test
 * can search the disk for anything that escaped the data folder.
 */
import fc from 'fast-check';
import type { CallName } from '../../shared/contract';
import { sampleEpisode, TEST_PERSONAS } from '../../shared/model/fixtures/sample-episode';

/** Marker in every traversal payload; a file or folder with it outside the data dir is a bug. */
export const ESCAPE_MARK = 'gpfuzz-escape';

const episode = sampleEpisode();
const article = { title: 'Libraries', text: 'Libraries opened six studios. They cost $18,000 each.' };
const show = { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' };
const llm = {
  providerId: 'openai',
  baseURL: 'http://127.0.0.1:9/v1',
  model: 'gpt-test',
  inputPricePerM: 1,
  outputPricePerM: 2,
};

/**
 * A valid request per call, to mutate (`projectId` names a real project, `folderId` a granted
 * export folder; the folder calls expect a `Podcasts` folder in the browser's root). A call added
 * to the contract later without an entry here is still fuzzed, from `{}` (see {@link baseFor}).
 */
export function validRequests(
  projectId: string,
  folderId?: string,
): Partial<Record<CallName, Record<string, unknown>>> {
  const into = folderId ? { folderId } : {};
  return {
    appInfo: {},
    settingsGet: {},
    settingsUpdate: { show: { showName: 'Goose Pod', listenerName: 'you', locale: 'en-US' } },
    presetsExport: {},
    presetsImport: {
      json: JSON.stringify({
        format: 'goose-pod-presets',
        version: 1,
        personas: TEST_PERSONAS,
        show: { showName: 'Goose Pod', listenerName: 'you', locale: 'en-US' },
      }),
    },
    articleFromText: { text: article.text, title: 'Libraries' },
    articleFromFile: { name: 'article.txt', dataBase64: Buffer.from(article.text).toString('base64') },
    articleSample: {},
    articleFromUrl: { url: 'https://news.example/story' },
    draftStart: { article, show, personas: TEST_PERSONAS, targetMinutes: 2 },
    draftEstimate: { article, show, personas: TEST_PERSONAS, llm },
    draftRewriteLine: {
      article,
      show,
      personas: TEST_PERSONAS,
      lines: episode.lines,
      lineId: 'l1',
      instruction: 'shorter',
      llm,
    },
    draftRedraftFrom: { article, show, personas: TEST_PERSONAS, lines: episode.lines, lineId: 'l1' },
    providerPresets: {},
    providerTest: { baseURL: 'http://127.0.0.1:9/v1', model: 'm' },
    settingsSetApiKey: { providerId: 'fuzz', apiKey: '' },
    projectNew: { episode },
    projectOpen: { projectId },
    projectSave: { projectId, episode },
    projectList: {},
    voiceSynthesize: { projectId, episode, lineIds: ['l1'] },
    voiceEstimate: { projectId, episode, lineIds: ['l1'], budgetUsd: 1 },
    voiceCancelLine: { jobId: 'no-such-job', lineId: 'l1' },
    voiceEngines: {},
    voiceVoices: { engine: 'espeak' },
    voicePreview: { persona: TEST_PERSONAS[0], text: 'Hi.' },
    takeList: { projectId, episode, lineId: 'l1' },
    takePin: { projectId, episode, lineId: 'l1', hash: '0123456789abcdef', pin: true },
    takeDelete: { projectId, episode, lineId: 'l1', hash: '0123456789abcdef' },
    takeRestore: {
      projectId,
      episode,
      lineId: 'l1',
      index: 0,
      current: true,
      take: {
        hash: '0123456789abcdef',
        key: '0123456789abcdef',
        engine: 'espeak',
        voice: 'espeak · en-us',
        createdAt: '2025-11-15T10:00:00.000Z',
        durationSec: 1.5,
        costUsd: 0,
      },
    },
    takeTrashPurge: { projectId },
    timelineGet: { projectId, episode },
    timelinePeaks: { projectId, level: 500, from: 0, count: 100 },
    exportStart: { projectId, episode, formats: ['transcript'], ...into },
    exportBatch: { projectId, episode, listeners: ['Ann', 'Bob'], formats: ['transcript'], ...into },
    jobCancel: { jobId: 'no-such-job' },
    jobList: {},
    exportFolders: {},
    exportFolderBrowse: { segments: ['Podcasts'] },
    exportFolderCreate: { segments: ['Podcasts'], name: 'Episodes' },
    exportFolderGrant: { segments: ['Podcasts'] },
  };
}

/** The base request of a call: its entry in {@link validRequests}, else `{}`. */
export function baseFor(name: CallName, projectId: string, folderId?: string): Record<string, unknown> {
  return validRequests(projectId, folderId)[name] ?? {};
}

const HUGE = 'x'.repeat(6_000_000);
const LONG = 'y'.repeat(70_000);

/** Strings a hostile page would try. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    `../../${ESCAPE_MARK}`,
    `../../../../../../tmp/${ESCAPE_MARK}`,
    `..\\..\\${ESCAPE_MARK}`,
    `/tmp/${ESCAPE_MARK}`,
    `%2e%2e%2f${ESCAPE_MARK}`,
    `..%2F..%2F${ESCAPE_MARK}`,
    `${ESCAPE_MARK}\u0000.txt`,
    `file:///etc/passwd`,
    'javascript:alert(1)',
    'http://169.254.169.254/latest/meta-data/',
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    '\u202e\ufeff\ud800',
    '<script>alert(1)</script>',
    '${process.exit(1)}',
    HUGE,
    LONG,
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Numbers that break naive arithmetic. */
const hostileNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2, -1, 1e308, 5e-324),
  fc.double(),
  fc.integer(),
);

/** Deeply nested arrays/objects (past what any schema descends into). */
const deep = fc.integer({ min: 50, max: 3000 }).map((n) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

/** Any hostile value: wrong types, odd numbers, strings, deep nesting, null-prototype objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, undefined, true, false, [], {}, [null], { length: 1e9 }),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBigInt: true }),
  deep,
);

/** Own-property keys that pollute a prototype if merged naively. */
export const pollutionKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
);

/** Every path (list of keys) inside a JSON-like value, the root included. */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/**
 * A copy of `base` with the value at `path` replaced (or, with `addKey`, an own property of that
 * name added to the object at `path`, the way JSON.parse creates `__proto__` keys).
 */
export function mutate(base: unknown, path: (string | number)[], value: unknown, addKey?: string): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  if (path.length === 0 && !addKey) return value;
  let parent: Record<string | number, unknown> = copy;
  const steps = addKey ? path : path.slice(0, -1);
  for (const step of steps) {
    const next = parent[step];
    if (!next || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  const key = addKey ?? path[path.length - 1];
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Payloads for one call: mutations of its valid request, pollution keys, and random junk. */
export function payloadFor(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const objectPaths = paths.filter((p) => {
    let v: unknown = base;
    for (const s of p) v = (v as Record<string | number, unknown>)[s];
    return !!v && typeof v === 'object' && !Array.isArray(v);
  });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.tuple(fc.constantFrom(...paths), hostileValue).map(([p, v]) => mutate(base, p, v)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...objectPaths),
          pollutionKey,
          fc.constantFrom<unknown>({ polluted: 'yes' }, 'yes', [1]),
        )
        .map(([p, k, v]) => mutate(base, p, v, k)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...objectPaths), fc.string({ maxLength: 12 }), hostileValue)
        .map(([p, k, v]) => mutate(base, p, v, k)),
    },
    { weight: 2, arbitrary: hostileValue },
  );
}
