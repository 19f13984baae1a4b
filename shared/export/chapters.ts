/**
 * Chapters of the mixed episode: one per `## heading` of the script, placed where the mix
 * actually voices the heading's first line, so ID3 chapters and show notes agree with the audio.
 */
import type { ScriptLine } from '../model/episode';

/** One chapter of the mixed episode, in seconds from the start of the audio. */
export interface Chapter {
  title: string;
  start: number;
  end: number;
}

/** Where a voiced line sits in the mix (the mix's timeline regions satisfy this). */
export interface LineRegion {
  lineId: string;
  start: number;
  end: number;
}

/** Title of the chapter made of the voiced speech before the first heading. */
export const INTRODUCTION_TITLE = 'Introduction';

/**
 * Builds the chapter list from the script and the mix.
 *
 * Each heading starts a chapter at the start of the first voiced speech line after it; a chapter
 * ends where the next one begins and the last one ends at `durationSec`. Voiced speech before the
 * first heading forms an "Introduction" chapter. A chapter with no voiced line (an empty section,
 * or one whose lines are all unvoiced) is dropped, so no two chapters share a start. A heading
 * with blank text is titled "Chapter N" (N counting the chapters kept).
 *
 * @param lines the script in order
 * @param regions where each voiced line sits in the mix; lines without a region are unvoiced
 * @param durationSec length of the mix; the last chapter ends here (never before its start)
 */
export function chaptersFromScript(
  lines: readonly ScriptLine[],
  regions: readonly LineRegion[],
  durationSec: number,
): Chapter[] {
  const startOf = new Map<string, number>();
  for (const r of regions) if (!startOf.has(r.lineId)) startOf.set(r.lineId, r.start);

  const starts: { title: string; start: number }[] = [];
  let title: string | null = INTRODUCTION_TITLE;
  for (const line of lines) {
    if (line.kind === 'heading') {
      title = line.text.replace(/\s+/g, ' ').trim();
      continue;
    }
    const start = startOf.get(line.id);
    if (title === null || start === undefined) continue;
    starts.push({ title: title || `Chapter ${starts.length + 1}`, start });
    title = null;
  }
  return starts.map((c, i) => {
    const next = starts[i + 1];
    const end = next ? next.start : durationSec;
    return { title: c.title, start: c.start, end: Math.max(c.start, end) };
  });
}
