/**
 * Finer waveform peaks for a zoomed-in timeline. The timeline arrives with the coarsest level of
 * the back end's peak pyramid for the whole episode; when the zoom needs more detail, the page
 * asks for windows of a finer level around what is on screen (never the whole level, never the
 * audio) and writes them into a full-length array that starts as the coarse peaks stretched, so
 * the waveform stays drawn while a window is on its way.
 */

/** Peaks per window tile; requests are whole tiles, at most {@link MAX_TILES_PER_REQUEST}. */
export const PEAK_TILE = 4096;
const MAX_TILES_PER_REQUEST = 4;

/**
 * The coarsest level with at least one peak per pixel at `pxPerSec` (bars then take the largest
 * of the peaks under them), or the finest there is.
 */
export function pickLevel(pxPerSec: number, levels: readonly number[]): number {
  for (const level of levels) if (level >= pxPerSec) return level;
  return levels[levels.length - 1]!;
}

/** One fine level of the whole episode, filled window by window. */
export class LevelPeaks {
  /** Peaks for every `1/level` s of the episode (coarse values where no window arrived yet). */
  readonly data: Float32Array;
  readonly #loaded = new Set<number>();
  readonly #pending = new Set<number>();

  constructor(
    readonly level: number,
    coarse: readonly number[],
    coarseLevel: number,
    durationSec: number,
  ) {
    const total = Math.max(1, Math.ceil(durationSec * level - 1e-6));
    this.data = new Float32Array(total);
    // Levels divide each other, so each coarse peak stretches over a whole run of fine ones.
    const ratio = Math.max(1, Math.round(level / coarseLevel));
    for (let c = 0; c * ratio < total; c++) {
      this.data.fill(
        coarse[Math.min(coarse.length - 1, c)] ?? 0,
        c * ratio,
        Math.min(total, (c + 1) * ratio),
      );
    }
  }

  /** Tiles that arrived. */
  get loadedTiles(): number {
    return this.#loaded.size;
  }

  /**
   * The windows `[from, count]` to request so that peaks `[a, b)` are (or will be) loaded; their
   * tiles count as pending until {@link apply} or {@link release}.
   */
  claim(a: number, b: number): [from: number, count: number][] {
    const first = Math.max(0, Math.floor(a / PEAK_TILE));
    const last = Math.floor((Math.min(b, this.data.length) - 1) / PEAK_TILE);
    const out: [number, number][] = [];
    for (let t = first; t <= last; t++) {
      if (this.#loaded.has(t) || this.#pending.has(t)) continue;
      this.#pending.add(t);
      const prev = out[out.length - 1];
      if (prev && prev[0] + prev[1] === t * PEAK_TILE && prev[1] < MAX_TILES_PER_REQUEST * PEAK_TILE) {
        prev[1] += PEAK_TILE;
      } else out.push([t * PEAK_TILE, PEAK_TILE]);
    }
    return out;
  }

  /** Writes a window that arrived. */
  apply(from: number, peaks: readonly number[]): void {
    const n = Math.min(peaks.length, this.data.length - from);
    if (n > 0) this.data.set(n === peaks.length ? peaks : peaks.slice(0, n), from);
    for (let t = Math.floor(from / PEAK_TILE); t * PEAK_TILE < from + Math.max(1, peaks.length); t++) {
      this.#pending.delete(t);
      this.#loaded.add(t);
    }
  }

  /** Forgets a window that failed (it is asked for again next time it is on screen). */
  release(from: number, count: number): void {
    for (let t = Math.floor(from / PEAK_TILE); t * PEAK_TILE < from + count; t++) this.#pending.delete(t);
  }
}
