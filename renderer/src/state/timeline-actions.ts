/** Fetches the mixed episode's peaks and regions for the timeline. */
import { errorMessage, getStudio } from '../transport/studio-client';
import { studio } from './studio-state';

let seq = 0;

export function clearTimeline(): void {
  seq++;
  studio.set({ timeline: null, timelineStatus: 'empty', timelineError: null });
}

/** Re-mixes the voiced lines; the latest request wins. */
export async function refreshTimeline(): Promise<void> {
  const { projectId, episode } = studio.get();
  if (!projectId || Object.keys(episode.clips).length === 0) {
    clearTimeline();
    return;
  }
  const mine = ++seq;
  studio.set({ timelineStatus: 'loading', timelineError: null });
  try {
    const timeline = await getStudio().timelineGet({ projectId, episode });
    if (mine !== seq) return;
    studio.set({ timeline, timelineStatus: timeline.regions.length ? 'ready' : 'empty' });
  } catch (err) {
    if (mine !== seq) return;
    studio.set({ timelineStatus: 'error', timelineError: errorMessage(err) });
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Re-mixes a moment after the last of a burst of changes (host colour drags, renames). */
export function refreshTimelineSoon(delayMs = 800): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (studio.get().timeline) void refreshTimeline();
  }, delayMs);
}
