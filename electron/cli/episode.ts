/**
 * `npm run episode -- <article-file> --out <dir> [options]`
 * Runs the whole pipeline headless with the offline defaults (drafter, embedded voices) and writes
 * `<dir>/episode.mp3`, `<dir>/transcript.txt` and `<dir>/episode.json` (plus any --format asked).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExportFormatSchema, toErrorShape, type ExportFormat, type JobUpdate } from '../../shared/contract';
import { EPISODE_VERSION, type Episode } from '../../shared/model/episode';
import { parseListenerList, personaliseForListener } from '../../shared/export/personalise';
import { createNodeStudio } from '../services/node-host';
import { slug } from '../services/project/project-service';
import type { Studio } from '../services/studio';

const USAGE = `usage: npm run episode -- <article-file> --out <dir> [options]
  --listener NAME       listener greeted by name (default from settings)
  --show NAME           show name
  --date YYYY-MM-DD     episode date (default today)
  --minutes N           target length in minutes (default 5)
  --format LIST         comma list of ${ExportFormatSchema.options.join(', ')} (default mp3,transcript,json)
  --bitrate KBPS        MP3 bitrate: 48, 64, 96 or 128 (default 64)
  --listeners FILE      one episode per listener (text or CSV, first column) in <dir>/<listener>/
  --json                print a machine-readable summary on stdout (progress goes to stderr)`;

function fail(message: string): never {
  process.stderr.write(`episode: ${message}\n`);
  process.exit(1);
}

/** Local date as YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function parseCli() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        listener: { type: 'string' },
        show: { type: 'string' },
        date: { type: 'string' },
        minutes: { type: 'string' },
        format: { type: 'string' },
        bitrate: { type: 'string' },
        listeners: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

interface Summary {
  listener: string;
  folder: string;
  files: { format: string; path: string; bytes: number }[];
  durationSec: number;
  linesVoiced: number;
  linesFromCache: number;
  costUsd: number;
  loudness?: unknown;
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const file = positionals[0];
  if (!file || !values.out) fail(USAGE);
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) fail('--date must look like 2025-11-15');
  const formats = (values.format ?? 'mp3,transcript,json').split(',').map((f) => f.trim());
  for (const f of formats) if (!ExportFormatSchema.safeParse(f).success) fail(`unknown --format "${f}"`);
  const bitrate = values.bitrate ? Number(values.bitrate) : 64;
  if (![48, 64, 96, 128].includes(bitrate)) fail('--bitrate must be 48, 64, 96 or 128');
  const minutes = values.minutes ? Number(values.minutes) : undefined;
  if (minutes !== undefined && !(minutes >= 1 && minutes <= 120)) fail('--minutes must be between 1 and 120');
  const outDir = resolve(values.out);
  const log = (s: string): void => void (values.json ? process.stderr : process.stdout).write(s);

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    fail(`cannot read "${file}": no such file`);
  }
  let listeners: string[] | undefined;
  if (values.listeners) {
    try {
      listeners = parseListenerList(await readFile(values.listeners, 'utf8'));
    } catch {
      fail(`cannot read the listener list "${values.listeners}"`);
    }
    if (listeners.length === 0) fail(`the listener list "${values.listeners}" has no names`);
  }

  const work = await mkdtemp(join(tmpdir(), 'goosepod-cli-'));
  const studio = await createNodeStudio({ dataDir: work, transport: 'web' });
  const off = studio.jobs.on((u: JobUpdate) => {
    if (u.status === 'running') log(`\r${u.kind}: ${Math.round(u.percent)}% ${u.message}`.padEnd(60));
  });
  try {
    const summaries = await pipeline(studio, {
      file,
      bytes,
      outDir,
      formats: formats as ExportFormat[],
      bitrate,
      minutes,
      listeners,
      show: values.show,
      listener: values.listener,
      date: values.date ?? today(),
      log,
    });
    if (values.json) console.log(JSON.stringify(listeners ? { episodes: summaries } : summaries[0], null, 2));
  } catch (err) {
    log('\n');
    off();
    await studio.close();
    await rm(work, { recursive: true, force: true });
    fail(toErrorShape(err).message);
  }
  off();
  await studio.close();
  await rm(work, { recursive: true, force: true });
}

async function pipeline(
  studio: Studio,
  o: {
    file: string;
    bytes: Buffer;
    outDir: string;
    formats: ExportFormat[];
    bitrate: number;
    minutes?: number;
    listeners?: string[];
    show?: string;
    listener?: string;
    date: string;
    log: (s: string) => void;
  },
): Promise<Summary[]> {
  const run = async (kind: string, jobId: string): Promise<JobUpdate> => {
    const end = await studio.jobs.wait(jobId);
    o.log('\n');
    if (end.status !== 'done') throw new Error(`${kind} ${end.status}: ${end.error?.message ?? end.message}`);
    return end;
  };
  const article = studio.articles.fromFile(basename(o.file), o.bytes);
  const settings = await studio.backend.settingsGet({});
  const show = {
    ...settings.show,
    ...(o.show ? { showName: o.show } : {}),
    ...(o.listener ? { listenerName: o.listener } : o.listeners ? { listenerName: o.listeners[0] } : {}),
    date: o.date,
  };
  const drafted = await run(
    'draft',
    (
      await studio.backend.draftStart({
        article,
        show,
        personas: settings.personas,
        targetMinutes: o.minutes,
      })
    ).jobId,
  );
  if (drafted.result?.kind !== 'draft') throw new Error('draft returned nothing');
  const d = drafted.result.draft;
  const now = new Date().toISOString();
  const base: Episode = {
    version: EPISODE_VERSION,
    id: `cli-${Date.now()}`,
    title: d.title,
    category: d.category,
    createdAt: now,
    updatedAt: now,
    show,
    personas: settings.personas,
    article,
    lines: d.lines,
    summary: d.summary,
    analysis: d.analysis,
    clips: {},
    pauseSec: 0.6,
  };
  const { projectId } = await studio.backend.projectNew({ episode: base });
  const summaries: Summary[] = [];
  for (const listener of o.listeners ?? [show.listenerName]) {
    if (o.listeners) o.log(`listener ${listener}\n`);
    let episode = personaliseForListener(base, listener).episode;
    const voiced = await run('voice', (await studio.backend.voiceSynthesize({ projectId, episode })).jobId);
    if (voiced.result?.kind !== 'voice') throw new Error('voicing returned nothing');
    if (voiced.result.failed.length) {
      throw new Error(
        `voicing failed for ${voiced.result.failed.length} line(s): ${voiced.result.failed[0].message}`,
      );
    }
    episode = { ...episode, clips: voiced.result.clips };
    const folder = o.listeners ? join(o.outDir, slug(listener) || 'listener') : o.outDir;
    const jobId = studio.jobs.start('export', (ctx) =>
      studio.exporter.export(ctx, projectId, episode, o.formats, { outDir: folder, bitrateKbps: o.bitrate }),
    );
    const exported = await run('export', jobId);
    if (exported.result?.kind !== 'export') throw new Error('export returned nothing');
    for (const f of exported.result.files) o.log(`wrote ${join(folder, f.name)} (${f.bytes} bytes)\n`);
    o.log(`duration ${exported.result.durationSec.toFixed(1)} s, ${d.lines.length} script lines\n`);
    summaries.push({
      listener,
      folder,
      files: exported.result.files.map((f) => ({
        format: f.format,
        path: join(folder, f.name),
        bytes: f.bytes,
      })),
      durationSec: exported.result.durationSec,
      linesVoiced: voiced.result.synthesized.length,
      linesFromCache: voiced.result.cached.length,
      costUsd: 0,
      ...(exported.result.loudness ? { loudness: exported.result.loudness } : {}),
    });
  }
  return summaries;
}

await main();
