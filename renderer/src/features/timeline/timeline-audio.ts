/**
 * Timeline edits of the episode's mix settings: per-line gain and pause (`lineAudio`) and the
 * music bed. Each edit marks the episode dirty and re-mixes a moment later; the back end only
 * re-renders from the changed line on.
 */
import { DEFAULT_BED, type LineAudio, type MusicBed } from '@shared/model/episode';
import { errorMessage, getStudio } from '../../transport/studio-client';
import { updateEpisode } from '../../state/project-actions';
import { studio } from '../../state/studio-state';
import { refreshTimeline } from '../../state/timeline-actions';

let timer: ReturnType<typeof setTimeout> | undefined;

/** Re-mixes after a short quiet spell (slider drags send many changes). */
export function remixSoon(delayMs = 250): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refreshTimeline(), delayMs);
}

/** Sets (or, with `undefined` values, clears) a line's gain and pause, then re-mixes. */
export function setLineAudio(lineId: string, patch: Partial<LineAudio>, delayMs = 250): void {
  updateEpisode((e) => {
    const merged: LineAudio = { ...e.lineAudio?.[lineId], ...patch };
    for (const k of Object.keys(merged) as (keyof LineAudio)[]) if (merged[k] === undefined) delete merged[k];
    const lineAudio = { ...e.lineAudio };
    if (Object.keys(merged).length) lineAudio[lineId] = merged;
    else delete lineAudio[lineId];
    return { ...e, lineAudio };
  });
  remixSoon(delayMs);
}

/** Changes the bed's settings (or removes it with `null`), then re-mixes. */
export function setMusicBed(patch: Partial<MusicBed> | null): void {
  updateEpisode((e) => {
    if (patch === null || !e.musicBed) {
      const next = { ...e };
      delete next.musicBed;
      return next;
    }
    return { ...e, musicBed: { ...e.musicBed, ...patch } };
  });
  remixSoon();
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Imports a WAV/MP3 as the episode's music bed; returns an error message or null. */
export async function importMusicBed(file: File): Promise<string | null> {
  const { projectId } = studio.get();
  if (!projectId) return 'Save the project first.';
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { file: name } = await getStudio().musicImport({
      projectId,
      name: file.name,
      dataBase64: toBase64(bytes),
    });
    updateEpisode((e) => ({ ...e, musicBed: { ...DEFAULT_BED, ...e.musicBed, file: name } }));
    await refreshTimeline();
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}
