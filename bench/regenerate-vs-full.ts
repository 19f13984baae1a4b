/**
 * Regenerating one line of a 30-minute episode vs re-rendering the whole episode, through the
 * real back end (clip cache, espeak-ng worker pool, mixer, peaks). Run: npx tsx bench/regenerate-vs-full.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type ScriptLine } from '../shared/model/episode';
import { createNodeStudio } from '../electron/services/node-host';

/** Builds a ~30-minute script (300 lines of ~15 words, alternating hosts) from the sample article. */
function longScript(sentences: string[], names: [string, string], minutes: number): ScriptLine[] {
  const lines: ScriptLine[] = [];
  let words = 0;
  for (let i = 0; words < minutes * 150; i++) {
    const text = `${sentences[i % sentences.length]} (${i + 1})`;
    lines.push({ kind: 'speech', id: `l${i + 1}`, speaker: names[i % 2], text });
    words += text.split(/\s+/).length;
  }
  return lines;
}

export async function run(minutes = 30): Promise<{ title: string; table: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gp-bench-regen-'));
  const studio = await createNodeStudio({ dataDir, voiceWorkers: 2 });
  try {
    const settings = await studio.backend.settingsGet({});
    const article = await studio.backend.articleSample({});
    const sentences = article.text.split(/(?<=[.!?])\s+/).filter((s) => s.split(/\s+/).length >= 8);
    const names: [string, string] = [settings.personas[0].name, settings.personas[1].name];
    const now = new Date().toISOString();
    let episode: Episode = {
      version: EPISODE_VERSION,
      id: 'bench',
      title: 'bench',
      category: 'bench',
      createdAt: now,
      updatedAt: now,
      show: { ...settings.show, date: '2025-11-15' },
      personas: settings.personas,
      article,
      lines: longScript(sentences, names, minutes),
      summary: '',
      analysis: emptyAnalysis(),
      clips: {},
      pauseSec: 0.5,
    };
    const { projectId } = await studio.backend.projectNew({ episode });
    const voice = async (ep: Episode, lineIds?: string[]): Promise<Episode> => {
      const end = await studio.jobs.wait(
        (await studio.backend.voiceSynthesize({ projectId, episode: ep, lineIds })).jobId,
      );
      if (end.result?.kind !== 'voice') throw new Error(end.message);
      return { ...ep, clips: { ...ep.clips, ...end.result.clips } };
    };

    let t0 = performance.now();
    episode = await voice(episode);
    const full = await studio.backend.timelineGet({ projectId, episode });
    const fullMs = performance.now() - t0;

    const target = episode.lines[Math.floor(episode.lines.length / 2)];
    episode = {
      ...episode,
      lines: episode.lines.map((l) =>
        l.id === target.id && l.kind === 'speech' ? { ...l, text: `${l.text} Edited.` } : l,
      ),
    };
    const before = studio.voice.engineRequests;
    t0 = performance.now();
    episode = await voice(episode);
    await studio.backend.timelineGet({ projectId, episode });
    const oneMs = performance.now() - t0;
    const sent = studio.voice.engineRequests - before;

    const table = [
      `| work (${(full.durationSec / 60).toFixed(1)}-minute episode, ${episode.lines.length} lines) | engine requests | wall time | ratio |`,
      '| --- | --- | --- | --- |',
      `| re-render the whole episode (voice all + mix + peaks) | ${episode.lines.length} | ${(fullMs / 1000).toFixed(2)} s | 1 |`,
      `| edit one line, "voice all" again (cache) + re-mix + peaks | ${sent} | ${(oneMs / 1000).toFixed(2)} s | ${(oneMs / fullMs).toFixed(4)} |`,
    ].join('\n');
    return { title: 'Regenerate one line vs re-render the whole episode', table };
  } finally {
    await studio.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run(Number(process.argv[2] ?? 30));
  console.log(`## ${r.title}\n\n${r.table}`);
}
