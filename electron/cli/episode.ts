/**
 * `npm run episode -- <article-file> --out <dir> [--listener NAME] [--show NAME] [--date YYYY-MM-DD]`
 * Runs the whole pipeline headless with the offline defaults (drafter, embedded voices) and writes
 * `<dir>/episode.mp3`, `<dir>/transcript.txt` and `<dir>/episode.json`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorShape, type JobUpdate } from '../../shared/contract';
import { EPISODE_VERSION, emptyAnalysis, type Episode } from '../../shared/model/episode';
import { createNodeStudio } from '../services/node-host';

const USAGE =
  'usage: npm run episode -- <article-file> --out <dir> [--listener NAME] [--show NAME] [--date YYYY-MM-DD] [--minutes N]';

function fail(message: string): never {
  process.stderr.write(`episode: ${message}\n`);
  process.exit(1);
}

/** Local date as YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        listener: { type: 'string' },
        show: { type: 'string' },
        date: { type: 'string' },
        minutes: { type: 'string' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || !values.out) fail(USAGE);
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) fail('--date must look like 2025-11-15');
  const outDir = resolve(values.out);

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    fail(`cannot read "${file}": no such file`);
  }
  const work = await mkdtemp(join(tmpdir(), 'goosepod-cli-'));
  const studio = await createNodeStudio({ dataDir: work, transport: 'web' });
  const progress = (u: JobUpdate): void => {
    if (u.status === 'running')
      process.stdout.write(`\r${u.kind}: ${Math.round(u.percent)}% ${u.message}`.padEnd(60));
  };
  const off = studio.jobs.on(progress);
  const run = async (kind: string, jobId: string): Promise<JobUpdate> => {
    const end = await studio.jobs.wait(jobId);
    process.stdout.write('\n');
    if (end.status !== 'done') throw new Error(`${kind} ${end.status}: ${end.error?.message ?? end.message}`);
    return end;
  };
  try {
    const article = studio.articles.fromFile(basename(file), bytes);
    const settings = await studio.backend.settingsGet({});
    const show = {
      ...settings.show,
      ...(values.show ? { showName: values.show } : {}),
      ...(values.listener ? { listenerName: values.listener } : {}),
      date: values.date ?? today(),
    };
    const minutes = values.minutes ? Number(values.minutes) : undefined;
    const drafted = await run(
      'draft',
      (
        await studio.backend.draftStart({
          article,
          show,
          personas: settings.personas,
          targetMinutes: minutes,
        })
      ).jobId,
    );
    if (drafted.result?.kind !== 'draft') throw new Error('draft returned nothing');
    const d = drafted.result.draft;
    const now = new Date().toISOString();
    let episode: Episode = {
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
      analysis: d.analysis ?? emptyAnalysis(),
      clips: {},
      pauseSec: 0.6,
    };
    const { projectId } = await studio.backend.projectNew({ episode });
    const voiced = await run('voice', (await studio.backend.voiceSynthesize({ projectId, episode })).jobId);
    if (voiced.result?.kind !== 'voice') throw new Error('voicing returned nothing');
    if (voiced.result.failed.length) {
      throw new Error(
        `voicing failed for ${voiced.result.failed.length} line(s): ${voiced.result.failed[0].message}`,
      );
    }
    episode = { ...episode, clips: voiced.result.clips };
    const ctxJob = studio.jobs.start('export', (ctx) =>
      studio.exporter.export(ctx, projectId, episode, ['mp3', 'transcript', 'json'], { outDir }),
    );
    const exported = await run('export', ctxJob);
    if (exported.result?.kind !== 'export') throw new Error('export returned nothing');
    for (const f of exported.result.files) console.log(`wrote ${join(outDir, f.name)} (${f.bytes} bytes)`);
    console.log(`duration ${exported.result.durationSec.toFixed(1)} s, ${d.lines.length} script lines`);
  } catch (err) {
    off();
    await studio.close();
    await rm(work, { recursive: true, force: true });
    fail(toErrorShape(err).message);
  }
  off();
  await studio.close();
  await rm(work, { recursive: true, force: true });
}

await main();
