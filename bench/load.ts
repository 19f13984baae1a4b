/**
 * Load: a long episode — voice all, many single-line regenerations, repeated exports — with heap
 * and RSS sampled after every step, printed as a series with a least-squares trend per phase.
 * Full size (the figures): 60 minutes, 800 lines, 200 regenerations, 20 exports.
 * `--quick`: 10 minutes, 130 lines, 40 regenerations, 5 exports.
 * Run: npx tsx bench/load.ts [--quick]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type ScriptLine } from '../shared/model/episode';
import { createNodeStudio } from '../electron/services/node-host';

interface Sample {
  phase: string;
  step: number;
  heapMb: number;
  rssMb: number;
}

function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

export async function run(quick = false): Promise<{ title: string; markdown: string }> {
  const size = quick
    ? { minutes: 10, lines: 130, regenerations: 40, exports: 5 }
    : { minutes: 60, lines: 800, regenerations: 200, exports: 20 };
  const dataDir = await mkdtemp(join(tmpdir(), 'gp-bench-load-'));
  const studio = await createNodeStudio({ dataDir, voiceWorkers: 2 });
  const samples: Sample[] = [];
  const sample = (phase: string, step: number): void => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    samples.push({ phase, step, heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 });
  };
  try {
    const settings = await studio.backend.settingsGet({});
    const article = await studio.backend.articleSample({});
    const sentences = article.text.split(/(?<=[.!?])\s+/).filter((s) => s.split(/\s+/).length >= 6);
    const wordsPerLine = Math.round((size.minutes * 150) / size.lines);
    const lines: ScriptLine[] = Array.from({ length: size.lines }, (_, i) => {
      const words = `${sentences[i % sentences.length]} ${sentences[(i + 3) % sentences.length]}`.split(
        /\s+/,
      );
      return {
        kind: 'speech',
        id: `l${i + 1}`,
        speaker: settings.personas[i % 2].name,
        text: `${words.slice(0, wordsPerLine).join(' ')} (${i + 1}).`,
      };
    });
    const now = new Date().toISOString();
    let episode: Episode = {
      version: EPISODE_VERSION,
      id: 'load',
      title: 'load',
      category: 'bench',
      createdAt: now,
      updatedAt: now,
      show: { ...settings.show, date: '2025-11-15' },
      personas: settings.personas,
      article,
      lines,
      summary: '',
      analysis: emptyAnalysis(),
      clips: {},
      pauseSec: 0.5,
    };
    const { projectId } = await studio.backend.projectNew({ episode });
    const voice = async (lineIds?: string[]): Promise<void> => {
      const end = await studio.jobs.wait(
        (await studio.backend.voiceSynthesize({ projectId, episode, lineIds })).jobId,
      );
      if (end.result?.kind !== 'voice') throw new Error(end.message);
      episode = { ...episode, clips: { ...episode.clips, ...end.result.clips } };
    };
    sample('start', 0);
    const t0 = performance.now();
    await voice();
    sample('voice all', 1);
    const voiceAllSec = (performance.now() - t0) / 1000;
    for (let i = 0; i < size.regenerations; i++) {
      const idx = (i * 37) % episode.lines.length;
      episode = {
        ...episode,
        lines: episode.lines.map((l, j) =>
          j === idx && l.kind === 'speech' ? { ...l, text: `${l.text} Again ${i}.` } : l,
        ),
      };
      await voice([episode.lines[idx].id]);
      if (i % 10 === 9) sample('regenerate', i + 1);
    }
    for (let i = 0; i < size.exports; i++) {
      const end = await studio.jobs.wait(
        (await studio.backend.exportStart({ projectId, episode, formats: ['mp3', 'transcript', 'srt'] }))
          .jobId,
      );
      if (end.status !== 'done') throw new Error(end.message);
      sample('export', i + 1);
    }
    const phases = ['regenerate', 'export'];
    const trend = phases.map((p) => {
      const s = samples.filter((x) => x.phase === p);
      return `| ${p} | ${s.length} | ${slope(s.map((x) => x.heapMb)).toFixed(2)} MB/sample | ${slope(s.map((x) => x.rssMb)).toFixed(2)} MB/sample |`;
    });
    const markdown = [
      `### Load: ${size.minutes}-minute, ${size.lines}-line episode — voice all (${voiceAllSec.toFixed(0)} s), ${size.regenerations} regenerations, ${size.exports} exports`,
      '',
      '| phase | step | heap MB | RSS MB |',
      '| --- | ---: | ---: | ---: |',
      ...samples.map((s) => `| ${s.phase} | ${s.step} | ${s.heapMb.toFixed(1)} | ${s.rssMb.toFixed(1)} |`),
      '',
      '| phase | samples | heap trend | RSS trend |',
      '| --- | ---: | ---: | ---: |',
      ...trend,
      '',
    ].join('\n');
    return { title: 'Load', markdown };
  } finally {
    await studio.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run(process.argv.includes('--quick'));
  console.log(r.markdown);
}
