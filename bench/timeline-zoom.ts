/**
 * Zoomed-in timeline on a 60-minute episode, measured on the studio's real path: the real back end
 * (createNodeStudio) behind the real web transport, the page using the studio's web client (the
 * `timelinePeaks` contract call) and the studio's `LevelPeaks`, drawn by wavesurfer.js in Chromium.
 * Every run starts from a fresh peak pyramid: before it, line 1's gain changes (a re-mix from the
 * first sample, not timed), which drops every cached tile, so the window is computed from the mix.
 *
 * Work: show one 2,000/s window (16,384 peaks, ~8 s) after zooming in to 1,000 px/s.
 * Reference: the same window's audio fetched from mix.wav (byte range), decoded in the page and
 * its peaks computed there, then the same swap and redraw (what the page would do without the
 * pyramid). Goal: ≤ 300 ms, and faster than the reference.
 * Run: npx tsx bench/timeline-zoom.ts [minutes] [runs]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import type { Timeline } from '../shared/contract';
import { EPISODE_VERSION, emptyAnalysis, type Episode } from '../shared/model/episode';
import { encodeWav } from '../electron/services/audio/wav';
import { createNodeStudio } from '../electron/services/node-host';
import { mediaPath, startWebServer } from '../electron/web/server';
import { runIfMain } from './bench-kit';
import { episode as benchLines } from './remix-incremental';
import { CHROMIUM_LAUNCH } from '../e2e/support/chromium';

const SR = 22050;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(minutes = 60, runs = 5): Promise<{ title: string; markdown: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gp-zoom-bench-'));
  const staticDir = join(dir, 'static');
  await mkdir(staticDir);
  const bundle = await build({
    entryPoints: [new URL('./timeline-zoom-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    write: false,
    alias: { '@shared': new URL('../shared', import.meta.url).pathname },
  });
  await writeFile(join(staticDir, 'page.js'), bundle.outputFiles[0].contents);
  await writeFile(
    join(staticDir, 'index.html'),
    '<!doctype html><html><body><div id="c" style="width:1200px"></div><script type="module" src="/page.js"></script></body></html>',
  );
  const studio = await createNodeStudio({
    dataDir: join(dir, 'data'),
    transport: 'web',
    mediaUrl: mediaPath,
    voiceWorkers: 1,
  });
  const token = `bench-${Math.random().toString(36).slice(2, 12)}`;
  const { server, port } = await startWebServer({ studio, staticDir, token });
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(name: string, body: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-studio-token': token },
      body: JSON.stringify(body),
    });
    const reply = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!reply.ok) throw new Error(`${name}: ${reply.error?.message}`);
    return reply.value as T;
  };
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    // The bench's synthetic episode as a project: clips written where the voice service keeps them.
    const lines = benchLines(minutes);
    const personas = JSON.parse(
      await readFile(new URL('../resources/default-personas.json', import.meta.url), 'utf8'),
    ) as Episode['personas'];
    const hash = (i: number) => i.toString(16).padStart(16, '0');
    let ep: Episode = {
      version: EPISODE_VERSION,
      id: 'zoom-bench',
      title: 'Zoom bench',
      category: 'Bench',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      show: { showName: 'Goose Pod', listenerName: 'bench', locale: 'en-US', date: '2026-11-28' },
      personas,
      article: { title: 'Bench', text: 'x', source: 'bench' },
      lines: lines.map((l, i) => ({
        kind: 'speech',
        id: l.lineId,
        speaker: personas[i % 2].name,
        text: '…',
      })),
      summary: '',
      analysis: emptyAnalysis(),
      clips: Object.fromEntries(
        lines.map((l, i) => [l.lineId, { hash: hash(i), durationSec: l.clip.length / SR }]),
      ),
      pauseSec: 0.4,
    };
    const { projectId } = await call<{ projectId: string }>('projectNew', { episode: ep });
    const clipsDir = join(studio.projects.dir(projectId), 'clips');
    await mkdir(clipsDir, { recursive: true });
    for (let i = 0; i < lines.length; i++)
      await writeFile(join(clipsDir, `${hash(i)}.wav`), encodeWav(lines[i].clip, SR));

    const times: Record<'pyramid' | 'decode', number[]> = { pyramid: [], decode: [] };
    let durationSec = 0;
    for (let r = 0; r < runs; r++) {
      for (const mode of ['pyramid', 'decode'] as const) {
        // A new gain on the first line: a new mix from sample 0, so no tile of the pyramid is kept.
        ep = {
          ...ep,
          lineAudio: { [lines[0].lineId]: { gainDb: -((r * 2 + (mode === 'decode' ? 1 : 0)) % 10) - 1 } },
        };
        const timeline = await call<Timeline>('timelineGet', { projectId, episode: ep });
        durationSec = timeline.durationSec;
        const page = await browser.newPage();
        await page.goto(`${base}/?token=${token}`);
        await page.waitForFunction(() => 'zoom' in window);
        times[mode].push(
          await page.evaluate(
            ([id, t, m]) =>
              (window as unknown as { zoom(i: string, t: unknown, m: string): Promise<number> }).zoom(
                id,
                t,
                m,
              ),
            [projectId, timeline, mode] as const,
          ),
        );
        await page.close();
      }
    }
    const ours = median(times.pyramid);
    const ref = median(times.decode);
    const ok = ours <= 300 && ours < ref ? '✅' : '❌';
    const title = `Timeline zoomed in (${(durationSec / 60).toFixed(0)}-minute episode): one 2,000/s window, medians of ${runs} runs`;
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const markdown = [
      `### ${title}`,
      '',
      '| zoomed in to 1,000 px/s, window of 16,384 peaks (~8 s) | median | runs (ms) | reference ÷ ours | goal ≤ 300 ms, faster than the reference |',
      '| --- | --- | --- | --- | --- |',
      `| ours: \`timelinePeaks\` over the web transport (fresh pyramid) + LevelPeaks + swap + redraw | ${ours.toFixed(0)} ms | ${fmt(times.pyramid)} | 1 | ${ok} |`,
      `| reference: fetch the window's audio (byte range of mix.wav), decode and compute its peaks in the page + the same swap and redraw | ${ref.toFixed(0)} ms | ${fmt(times.decode)} | ${(ref / ours).toFixed(2)} | |`,
      '',
    ].join('\n');
    return { title, markdown };
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    await studio.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => run(Number(process.argv[2] ?? 60), Number(process.argv[3] ?? 5)));
