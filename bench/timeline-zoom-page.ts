/**
 * Browser side of bench/timeline-zoom.ts (bundled by it with esbuild): the studio's own web client
 * (`createWebClient`, the `timelinePeaks` contract call over the web transport) and the studio's
 * own `LevelPeaks`, drawn by wavesurfer.js. Two ways to show one 2,000/s window after zooming in:
 * - `pyramid`: what the studio does — build the level from the coarse peaks, claim the window's
 *   tiles, fetch them with `timelinePeaks`, apply, swap into wavesurfer and redraw;
 * - `decode` (the reference): fetch the same window's audio from mix.wav (a byte range), decode it
 *   in the page and compute its 2,000/s peaks, then the same apply, swap and redraw.
 */
import WaveSurfer from 'wavesurfer.js';
import type { Timeline } from '../shared/contract';
import { LevelPeaks } from '../renderer/src/features/timeline/peak-levels';
import { createWebClient, readToken } from '../renderer/src/transport/studio-client';

const LEVEL = 2000;
const WINDOW = 16384;
const studio = createWebClient(readToken());

async function zoom(projectId: string, t: Timeline, mode: 'pyramid' | 'decode'): Promise<number> {
  const c = document.getElementById('c')!;
  c.innerHTML = '';
  const ws = WaveSurfer.create({
    container: c,
    height: 88,
    minPxPerSec: 12,
    peaks: [t.peaks],
    duration: t.durationSec,
  });
  await new Promise<void>((ok) => ws.once('ready', () => ok()));
  ws.zoom(1000);
  ws.setScroll(Math.round((t.durationSec / 2) * 1000));
  // The window in the middle of the episode, on a tile boundary (as LevelPeaks claims them).
  const from = Math.floor(((t.durationSec / 2) * LEVEL) / WINDOW) * WINDOW;
  const t0 = performance.now();
  const level = new LevelPeaks(LEVEL, t.peaks, t.peaksPerSecond, t.durationSec, t.mixVersion ?? 0);
  if (mode === 'pyramid') {
    const generation = level.generation;
    for (const [a, n] of level.claim(from, from + WINDOW)) {
      const w = await studio.timelinePeaks({ projectId, level: LEVEL, from: a, count: n });
      if (level.receive(generation, a, n, w) !== 'applied') throw new Error('window of another mix');
    }
  } else {
    const sr = 22050;
    const s0 = Math.floor((from * sr) / LEVEL);
    const s1 = Math.floor(((from + WINDOW) * sr) / LEVEL);
    const res = await fetch(t.mediaUrl, { headers: { range: `bytes=${44 + s0 * 2}-${44 + s1 * 2 - 1}` } });
    const pcm = new Uint8Array(await res.arrayBuffer());
    // A WAV header for the range, so the page's decoder reads it.
    const wav = new Uint8Array(44 + pcm.length);
    const v = new DataView(wav.buffer);
    const str = (o: number, s: string) => [...s].forEach((ch, i) => v.setUint8(o + i, ch.charCodeAt(0)));
    str(0, 'RIFF');
    v.setUint32(4, 36 + pcm.length, true);
    str(8, 'WAVEfmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, sr, true);
    v.setUint32(28, sr * 2, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    str(36, 'data');
    v.setUint32(40, pcm.length, true);
    wav.set(pcm, 44);
    const audio = await new OfflineAudioContext(1, 1, sr).decodeAudioData(wav.buffer);
    const x = audio.getChannelData(0);
    const peaks: number[] = [];
    for (let b = from; b < from + WINDOW; b++) {
      let m = 0;
      const e = Math.min(x.length, Math.floor(((b + 1) * sr) / LEVEL) - s0);
      for (let i = Math.floor((b * sr) / LEVEL) - s0; i < e; i++) m = Math.max(m, Math.abs(x[i]));
      peaks.push(Math.round(m * 1000) / 1000);
    }
    level.apply(from, peaks);
  }
  ws.setOptions({ peaks: [level.data], duration: t.durationSec, minPxPerSec: 1000 });
  await ws.getRenderer().render(ws.getDecodedData()!);
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  const ms = performance.now() - t0;
  ws.destroy();
  return ms;
}

(window as unknown as { zoom: typeof zoom }).zoom = zoom;
