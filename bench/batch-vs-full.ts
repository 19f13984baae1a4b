/**
 * Bench: a 20-listener batch export (only the lines naming the listener re-voiced, the rest from the
 * clip cache) vs 20 full renders of the same short episode (clip cache cleared before each, so
 * every line is voiced again), through the real back end (espeak-ng pool, mixer, mastering, LAME).
 * Run: `npx tsx bench/batch-vs-full.ts`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ExportFormat } from '../shared/contract';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type ScriptLine } from '../shared/model/episode';
import { exportBatch } from '../electron/services/export/batch';
import type { JobContext } from '../electron/services/jobs/job-manager';
import { createNodeStudio } from '../electron/services/node-host';
import { markdown, seedDialogue } from './espeak-vs-native';
import { runIfMain } from './bench-kit';

const LISTENERS = Array.from({ length: 20 }, (_, i) => `Listener${String.fromCharCode(65 + i)}`);
const FORMATS: ExportFormat[] = ['mp3', 'transcript'];

const ctx = (): JobContext => ({ jobId: 'bench', signal: new AbortController().signal, progress: () => {} });

/** Runs the bench and returns its table. */
export async function run(listeners = LISTENERS): Promise<{ title: string; markdown: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gps-bench-batch-'));
  const studio = await createNodeStudio({ dataDir, voiceWorkers: 2 });
  try {
    const settings = await studio.backend.settingsGet({});
    const names = settings.personas.map((p) => p.name);
    const who = settings.show.listenerName;
    const texts = (await seedDialogue()).slice(0, 9);
    const lines: ScriptLine[] = [
      { kind: 'speech', id: 'hi', speaker: names[0], text: `Good morning ${who}, this is Goose Pod.` },
      ...texts.map((text, i): ScriptLine => ({ kind: 'speech', id: `l${i}`, speaker: names[i % 2], text })),
      {
        kind: 'speech',
        id: 'bye',
        speaker: names[1],
        text: `Thanks for listening, ${who}. See you tomorrow.`,
      },
    ];
    const now = new Date().toISOString();
    const episode: Episode = {
      version: EPISODE_VERSION,
      id: 'bench',
      title: 'Batch bench',
      category: 'Bench',
      createdAt: now,
      updatedAt: now,
      show: { ...settings.show, date: '2025-11-15' },
      personas: settings.personas,
      article: { title: 'Bench', text: texts.join(' ') },
      lines,
      summary: 'A short episode for the batch bench.',
      analysis: emptyAnalysis(),
      clips: {},
      pauseSec: 0.6,
    };
    const { projectId } = await studio.backend.projectNew({ episode });
    const clipsDir = join(studio.projects.dir(projectId), 'clips');
    const clearCache = async () => {
      for (const f of await readdir(clipsDir)) await rm(join(clipsDir, f), { force: true });
    };
    const deps = { voice: studio.voice, exporter: studio.exporter };

    // Reference: for each listener, an empty cache and every line voiced, mixed, mastered, encoded.
    let fullRequests = 0;
    let durationSec = 0;
    const t0 = performance.now();
    for (const listener of listeners) {
      await clearCache();
      const before = studio.voice.engineRequests;
      const r = await exportBatch(ctx(), deps, {
        projectId,
        episode,
        listeners: [listener],
        formats: FORMATS,
      });
      if (r.listeners[0].error) throw new Error(r.listeners[0].error.message);
      durationSec = r.listeners[0].durationSec;
      fullRequests += studio.voice.engineRequests - before;
    }
    const fullSec = (performance.now() - t0) / 1000;

    // Ours: the episode voiced once (as the producer has it), then one batch for every listener.
    await clearCache();
    const voiced = await studio.voice.synthesize(ctx(), projectId, episode);
    const ready = { ...episode, clips: voiced.clips };
    const before = studio.voice.engineRequests;
    const t1 = performance.now();
    const batch = await exportBatch(ctx(), deps, { projectId, episode: ready, listeners, formats: FORMATS });
    const batchSec = (performance.now() - t1) / 1000;
    const batchRequests = studio.voice.engineRequests - before;
    const failed = batch.listeners.filter((l) => l.error);
    if (failed.length) throw new Error(failed[0].error!.message);

    const n = listeners.length;
    const title = `${n}-listener batch vs ${n} full renders`;
    const columns = ['Work', 'Ours (s)', 'Reference (s)', 'Ratio'];
    const rows = [
      [
        `${n} personalised episodes of ${(durationSec / 60).toFixed(1)} min (${lines.length} lines, MP3 + transcript); ours = one batch (${batchRequests} engine requests), reference = ${n} full renders with the cache cleared (${fullRequests} requests)`,
        batchSec.toFixed(2),
        fullSec.toFixed(2),
        (batchSec / fullSec).toFixed(2),
      ],
    ];
    const notes = [
      `Only the greeting and sign-off name the listener, so the batch voices 2 lines per listener; both sides mix, master to −16 LUFS and encode every episode.`,
      'Ratio < 1 means the batch is faster. Ours starts from the voiced episode (voicing it once is not timed).',
    ];
    return { title, markdown: markdown(title, columns, rows, notes) };
  } finally {
    await studio.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => run());
