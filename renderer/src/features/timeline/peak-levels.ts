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

/** What became of a window reply: written in, outdated (another mix), or for a level since reset. */
export type WindowOutcome = 'applied' | 'outdated' | 'ignored';

/**
 * One fine level of the whole episode, filled window by window. Its buffer is kept across
 * timelines of the same length ({@link reuseFor}), and its windows across timelines of the same mix.
 */
export class LevelPeaks {
  /** Peaks for every `1/level` s of the episode (coarse values where no window arrived yet). */
  readonly data: Float32Array;
  /** Bumped by {@link reset}: replies to requests made before it are ignored. */
  generation = 0;
  /** Sum of the peaks written by windows (a checksum the page shows so tests can see them arrive). */
  appliedSum = 0;
  readonly #loaded = new Set<number>();
  readonly #pending = new Set<number>();

  constructor(
    readonly level: number,
    coarse: readonly number[],
    coarseLevel: number,
    durationSec: number,
    /** The mix the windows must come from. */
    public mixVersion: number,
  ) {
    this.data = new Float32Array(LevelPeaks.lengthFor(level, durationSec));
    this.#stretch(coarse, coarseLevel);
  }

  /** Peaks of `level` in an episode of `durationSec`. */
  static lengthFor(level: number, durationSec: number): number {
    return Math.max(1, Math.ceil(durationSec * level - 1e-6));
  }

  #stretch(coarse: readonly number[], coarseLevel: number): void {
    const total = this.data.length;
    // Levels divide each other, so each coarse peak stretches over a whole run of fine ones.
    const ratio = Math.max(1, Math.round(this.level / coarseLevel));
    for (let c = 0; c * ratio < total; c++) {
      this.data.fill(
        coarse[Math.min(coarse.length - 1, c)] ?? 0,
        c * ratio,
        Math.min(total, (c + 1) * ratio),
      );
    }
  }

  /**
   * This level for a new timeline, reusing the buffer when the length is the same: as it is when
   * the mix is the same (its windows still hold), else refilled with the new coarse peaks. Returns
   * null when the length differs (the caller makes a new one).
   */
  reuseFor(
    coarse: readonly number[],
    coarseLevel: number,
    durationSec: number,
    mixVersion: number,
  ): this | null {
    if (LevelPeaks.lengthFor(this.level, durationSec) !== this.data.length) return null;
    if (mixVersion !== this.mixVersion) this.reset(coarse, coarseLevel, mixVersion);
    return this;
  }

  /** Forgets every window (loaded or on its way) and starts again from `coarse`, in the same buffer. */
  reset(coarse: readonly number[], coarseLevel: number, mixVersion: number): void {
    this.generation++;
    this.mixVersion = mixVersion;
    this.appliedSum = 0;
    this.#loaded.clear();
    this.#pending.clear();
    this.#stretch(coarse, coarseLevel);
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
    if (n > 0) {
      this.data.set(n === peaks.length ? peaks : peaks.slice(0, n), from);
      for (let i = from; i < from + n; i++) this.appliedSum += this.data[i]!;
    }
    for (let t = Math.floor(from / PEAK_TILE); t * PEAK_TILE < from + Math.max(1, peaks.length); t++) {
      this.#pending.delete(t);
      this.#loaded.add(t);
    }
  }

  /** Forgets a window that failed (it is asked for again next time it is on screen). */
  release(from: number, count: number): void {
    for (let t = Math.floor(from / PEAK_TILE); t * PEAK_TILE < from + count; t++) this.#pending.delete(t);
  }

  /**
   * Takes the reply to the window `[from, count]` claimed at `generation`. A reply for a level
   * reset since is ignored (the reset forgot its tiles); one from another mix than this level's is
   * not written, and its tiles are released so they are asked for again once the caller has the
   * timeline of the mix the back end now has ('outdated').
   */
  receive(
    generation: number,
    from: number,
    count: number,
    reply: { from: number; peaks: readonly number[]; mixVersion: number },
  ): WindowOutcome {
    if (generation !== this.generation) return 'ignored';
    if (reply.mixVersion !== this.mixVersion) {
      this.release(from, count);
      return 'outdated';
    }
    this.apply(reply.from, reply.peaks);
    return 'applied';
  }
}
