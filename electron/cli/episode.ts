/**
 * `npm run episode -- <article-file> --out <dir> [options]`
 * Runs the whole pipeline headless with the offline defaults (drafter, embedded voices) and writes
 * `<dir>/episode.mp3`, `<dir>/transcript.txt` and `<dir>/episode.json` (plus any --format asked).
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ExportBitrateSchema,
  ExportFormatSchema,
  toErrorShape,
  type ExportFormat,
  type JobUpdate,
} from '../../shared/contract';
import { EPISODE_VERSION, type Episode } from '../../shared/model/episode';
import { parseListenerList } from '../../shared/export/personalise';
import { exportBatch, listenerFolders } from '../services/export/batch';
import { MP3_DEFAULT_BITRATE, type Mp3Choices } from '../../shared/export/mp3-choices';
import { MP3_DEFAULT_VBR_QUALITY } from '../services/audio/mp3-encoder';
import { createNodeStudio } from '../services/node-host';
import type { Studio } from '../services/studio';

const USAGE = `usage: npm run episode -- <article-file> --out <dir> [options]
  --listener NAME       listener greeted by name (default from settings)
  --show NAME           show name
  --date YYYY-MM-DD     episode date (default today)
  --minutes N           target length in minutes (default 5)
  --format LIST         comma list of ${ExportFormatSchema.options.join(', ')} (default mp3,transcript,json)
  --mode cbr|vbr        MP3 constant or variable bit rate (default cbr; vbr writes a Xing header)
  --channels 1|2        mono, or stereo with the mono mix in both channels (default 1)
  --bitrate KBPS        CBR bit rate: 32, 48, 64, 96, 128 or 160 (default 64 mono, 128 stereo)
  --quality N           VBR quality 0 (best, largest) to 9 (smallest) (default 6)
  --listeners FILE      one episode per listener (text or CSV, first column) in <dir>/<listener>/
  --force               write into a folder that already holds an episode (default: refuse)
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
        mode: { type: 'string' },
        channels: { type: 'string' },
        quality: { type: 'string' },
        listeners: { type: 'string' },
        json: { type: 'boolean' },
        force: { type: 'boolean' },
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
  error?: string;
}

/** Files whose presence means a folder already holds an episode. */
const EPISODE_FILES = ['episode.mp3', 'transcript.txt'];

/** The first folder (of `dirs`) that already holds an episode file, as `dir/file`. */
async function existingEpisode(dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs)
    for (const name of EPISODE_FILES) {
      const path = join(dir, name);
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
  return undefined;
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
  const mode = values.mode ?? 'cbr';
  if (mode !== 'cbr' && mode !== 'vbr') fail('--mode must be cbr or vbr');
  const channels = values.channels ? Number(values.channels) : 1;
  if (channels !== 1 && channels !== 2) fail('--channels must be 1 or 2');
  const bitrate = values.bitrate ? Number(values.bitrate) : MP3_DEFAULT_BITRATE[channels];
  const rates = ExportBitrateSchema.options.map((o) => o.value);
  if (!ExportBitrateSchema.safeParse(bitrate).success) fail(`--bitrate must be one of ${rates.join(', ')}`);
  if (values.bitrate && mode === 'vbr') fail('--bitrate is for --mode cbr; VBR takes --quality 0-9');
  const quality = values.quality ? Number(values.quality) : MP3_DEFAULT_VBR_QUALITY;
  if (!(Number.isInteger(quality) && quality >= 0 && quality <= 9)) fail('--quality must be 0 to 9');
  if (values.quality && mode === 'cbr') fail('--quality is for --mode vbr; CBR takes --bitrate');
  const mp3: Mp3Choices =
    mode === 'vbr' ? { mode, vbrQuality: quality, channels } : { mode, bitrateKbps: bitrate, channels };
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

  if (!values.force) {
    const dirs = listeners ? listenerFolders(listeners).map((f) => join(outDir, f)) : [outDir];
    const found = await existingEpisode(dirs);
    if (found) fail(`"${found}" already exists; pass --force to overwrite it`);
  }

  const work = await mkdtemp(join(tmpdir(), 'goosepod-cli-'));
  const studio = await createNodeStudio({ dataDir: work, transport: 'web' });
  let failedListeners: string[] = [];
  const off = studio.jobs.on((u: JobUpdate) => {
    if (u.status === 'running') log(`\r${u.kind}: ${Math.round(u.percent)}% ${u.message}`.padEnd(60));
  });
  try {
    const summaries = await pipeline(studio, {
      file,
      bytes,
      outDir,
      formats: formats as ExportFormat[],
      mp3,
      minutes,
      listeners,
      show: values.show,
      listener: values.listener,
      date: values.date ?? today(),
      log,
    });
    if (values.json) console.log(JSON.stringify(listeners ? { episodes: summaries } : summaries[0], null, 2));
    failedListeners = summaries.filter((s) => s.error).map((s) => s.listener);
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
  if (failedListeners.length)
    fail(`failed for ${failedListeners.length} listener(s): ${failedListeners.join(', ')}`);
}

async function pipeline(
  studio: Studio,
  o: {
    file: string;
    bytes: Buffer;
    outDir: string;
    formats: ExportFormat[];
    mp3: Mp3Choices;
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
  const names = o.listeners ?? [show.listenerName.trim() || 'listener'];
  const jobId = studio.jobs.start('export', (ctx) =>
    exportBatch(
      ctx,
      { voice: studio.voice, exporter: studio.exporter },
      {
        projectId,
        episode: base,
        listeners: names,
        formats: o.formats,
        mp3: o.mp3,
        outDir: o.outDir,
        flat: !o.listeners,
        onListener: (listener) => {
          if (o.listeners) o.log(`\nlistener ${listener}\n`);
        },
      },
    ),
  );
  const ended = await run('export', jobId);
  if (ended.result?.kind !== 'export-batch') throw new Error('export returned nothing');
  const summaries: Summary[] = [];
  for (const r of ended.result.listeners) {
    if (r.error && !o.listeners) throw new Error(r.error.message);
    if (r.error) o.log(`${r.listener}: failed: ${r.error.message}\n`);
    for (const f of r.files) o.log(`wrote ${join(r.folder, f.name)} (${f.bytes} bytes)\n`);
    if (!r.error) o.log(`duration ${r.durationSec.toFixed(1)} s, ${d.lines.length} script lines\n`);
    summaries.push({
      listener: r.listener,
      folder: r.folder,
      files: r.files.map((f) => ({ format: f.format, path: join(r.folder, f.name), bytes: f.bytes })),
      durationSec: r.durationSec,
      linesVoiced: r.linesVoiced,
      linesFromCache: r.linesFromCache,
      costUsd: r.costUsd,
      ...(r.loudness ? { loudness: r.loudness } : {}),
      ...(r.error ? { error: r.error.message } : {}),
    });
  }
  return summaries;
}

await main();
