/**
 * Owns the wavesurfer player for the mixed episode: built from the back end's precomputed peaks
 * (the page never decodes audio), one region per voiced line in its host's colour, a time ruler,
 * and the link to the editor (region click selects the line; playback highlights it). Zoomed in,
 * it swaps in finer peaks fetched window by window (peak-levels.ts) without touching the media
 * element or the regions, so the playhead and regions stay where they are.
 */
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import MinimapPlugin from 'wavesurfer.js/dist/plugins/minimap.esm.js';
import type { Timeline, TimelineRegion } from '@shared/contract';
import { effectivePauses } from '@shared/audio/pauses';
import { installPlayLine, installPlayPause } from '../../commands';
import { createStore } from '../../state/store';
import { setUi, studio } from '../../state/studio-state';
import { refreshTimelineSoon } from '../../state/timeline-actions';
import { getStudio } from '../../transport/studio-client';
import { LevelPeaks, pickLevel } from './peak-levels';

/** Playback position, kept apart from the studio store so 60 updates a second stay local. */
export const playhead = createStore({ time: 0, duration: 0 });

/** Zoom in pixels per second and its range (whole episode in view … single words). */
export const zoomState = createStore({ pxPerSec: 12, min: 0.2, max: 1000 });

/** Longest pause a region drag can set, seconds (the model's limit). */
const MAX_PAUSE_SEC = 10;

/** Episodes longer than this get a minimap above the waveform. */
const MINIMAP_FROM_SEC = 90;

/**
 * The pause after `lineId` once its region's right edge moved from `oldEnd` to `newEnd`:
 * the current pause plus the drag, clamped to 0..10 s and rounded to milliseconds.
 */
export function pauseAfterDrag(currentPauseSec: number, oldEnd: number, newEnd: number): number {
  const next = currentPauseSec + (newEnd - oldEnd);
  return Math.round(Math.min(MAX_PAUSE_SEC, Math.max(0, next)) * 1000) / 1000;
}

let selectNonce = 0;

function rgba(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return `rgba(128, 128, 128, ${alpha})`;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** Region of the sorted list that contains `t`, by binary search. */
function regionAt(regions: readonly TimelineRegion[], t: number): TimelineRegion | undefined {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid]!;
    if (t < r.start) hi = mid - 1;
    else if (t >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}

const BED_REGION_ID = '__music-bed__';

function bedContent(file: string): HTMLElement {
  const el = document.createElement('div');
  el.textContent = `♪ ${file}`;
  Object.assign(el.style, {
    font: '600 9px/14px system-ui, sans-serif',
    color: '#f0c060',
    padding: '0 4px',
    whiteSpace: 'nowrap',
    pointerEvents: 'none',
  } satisfies Partial<CSSStyleDeclaration>);
  return el;
}

function regionContent(region: TimelineRegion, text: string | undefined): HTMLElement {
  const el = document.createElement('div');
  el.textContent = region.speaker;
  el.title = text ? `${region.speaker}: ${text}` : region.speaker;
  Object.assign(el.style, {
    font: '600 10px/1.2 system-ui, sans-serif',
    color: region.color,
    padding: '2px 4px',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    maxWidth: '100%',
    boxSizing: 'border-box',
    textShadow: '0 1px 1px rgba(0,0,0,.8)',
    pointerEvents: 'none',
  } satisfies Partial<CSSStyleDeclaration>);
  return el;
}

export interface TimelineController {
  setZoom(pxPerSec: number): void;
  /** Multiplies the zoom (wheel, +/- keys), keeping it in range. */
  zoomBy(factor: number): void;
  dispose(): void;
}

/** What the timeline asks of the studio when the producer drags a region's end. */
export interface TimelineHooks {
  onPauseDrag(lineId: string, pauseAfterSec: number): void;
}

export function createTimelineController(
  container: HTMLElement,
  initialZoom: number,
  hooks?: TimelineHooks,
): TimelineController {
  let ws: WaveSurfer | null = null;
  let regions: TimelineRegion[] = [];
  let zoom = initialZoom;
  let lastLineId: string | null = null;
  let shown: Timeline | null = null;
  /** The finer level on screen (null: the timeline's own coarse peaks). */
  let fine: LevelPeaks | null = null;
  /**
   * Fine levels seen so far, kept across timelines: a new timeline of the same length reuses
   * their buffers, and of the same mix their windows too (timelines do not say where a change
   * starts, so another mix means every window is asked for again).
   */
  const levelCache = new Map<number, LevelPeaks>();
  /**
   * What the renderer draws: one stable buffer-like whose channel is the level on screen, so a
   * level swap is a pointer change and the next zoom or redraw draws it (once), with no copy.
   */
  let onScreen: Float32Array | number[] = [0];
  let durationOnScreen = 1;
  const view = {
    numberOfChannels: 1,
    get duration() {
      return durationOnScreen;
    },
    get length() {
      return onScreen.length;
    },
    get sampleRate() {
      return onScreen.length / durationOnScreen;
    },
    getChannelData: () => onScreen,
  } as unknown as AudioBuffer;

  /** Marks what is drawn, so a test can tell the finer windows arrived and were written in. */
  function markPeaks(level: number): void {
    container.dataset.peakLevel = String(level);
    container.dataset.peaksLoaded = String(fine?.loadedTiles ?? 0);
    container.dataset.peaksSum = (fine?.appliedSum ?? 0).toFixed(3);
  }

  /**
   * Points the view at the level `zoom` needs (no drawing: the caller's zoom or redraw draws it).
   * Returns the level.
   */
  function selectLevel(): number | null {
    const t = shown;
    const levels = t?.peakLevels;
    if (!ws || !t || !levels || levels.length < 2 || t.mixVersion === undefined) return null;
    const level = pickLevel(zoom, levels);
    if (level === levels[0]) fine = null;
    else if (!fine || fine.level !== level) {
      const cached = levelCache.get(level)?.reuseFor(t.peaks, t.peaksPerSecond, t.durationSec, t.mixVersion);
      fine = cached ?? new LevelPeaks(level, t.peaks, t.peaksPerSecond, t.durationSec, t.mixVersion);
      levelCache.set(level, fine);
    }
    // Coarse: wavesurfer's own copy of the timeline's peaks (no new array).
    onScreen = fine?.data ?? ws.getDecodedData()?.getChannelData(0) ?? t.peaks;
    markPeaks(level);
    return level;
  }

  /** Asks for the windows of the level on screen around the view. */
  function fetchWindows(): void {
    const t = shown;
    const target = fine;
    const { projectId } = studio.get();
    if (!ws || !t || !target || !projectId || !(ws.getDuration() > 0)) return;
    const level = target.level;
    const generation = target.generation;
    const viewSec = (container.clientWidth || 800) / zoom;
    const startSec = ws.getScroll() / zoom;
    // The view plus half a view either side, so scrolling a little never shows coarse peaks.
    const a = Math.floor((startSec - viewSec / 2) * level);
    const b = Math.ceil((startSec + viewSec * 1.5) * level);
    for (const [from, count] of target.claim(a, b)) {
      getStudio()
        .timelinePeaks({ projectId, level, from, count })
        .then((r) => {
          const outcome = target.receive(generation, from, count, r);
          // The back end mixed again since this timeline: fetch the timeline of that mix (its
          // windows are asked for again then) rather than leave stretched coarse peaks on screen.
          if (outcome === 'outdated' && shown === t) refreshTimelineSoon(0);
          if (outcome === 'applied' && fine === target && ws) {
            markPeaks(level);
            ws.getRenderer().reRender();
          }
        })
        .catch(() => {
          if (target.generation === generation) target.release(from, count);
        });
    }
  }

  function destroy(): void {
    ws?.destroy();
    ws = null;
    shown = null;
    fine = null;
    regions = [];
    lastLineId = null;
    playhead.set({ time: 0, duration: 0 });
    setUi({ playing: false, playingLineId: null });
  }

  function clampZoom(px: number): number {
    const { min, max } = zoomState.get();
    return Math.min(max, Math.max(min, px));
  }

  function applyZoom(px: number): void {
    zoom = clampZoom(px);
    zoomState.set({ pxPerSec: zoom });
    if (!ws || !(ws.getDuration() > 0)) return;
    // Swap the level first, so this one zoom draws the peaks it needs (one draw per step).
    selectLevel();
    ws.zoom(zoom);
    fetchWindows();
  }

  function build(t: Timeline): void {
    const scroll = ws?.getScroll() ?? 0;
    destroy();
    // Out to the whole episode in the visible width; in to single words.
    const width = Math.max(200, container.clientWidth || 800);
    zoomState.set({ min: Math.min(2, Math.max(0.02, width / Math.max(1, t.durationSec))) });
    zoom = clampZoom(zoom);
    zoomState.set({ pxPerSec: zoom });
    regions = [...t.regions].sort((a, b) => a.start - b.start);
    markPeaks(t.peaksPerSecond);
    const regionsPlugin = RegionsPlugin.create();
    const ruler = TimelinePlugin.create({
      height: 16,
      timeInterval: t.durationSec > 600 ? 10 : t.durationSec > 120 ? 5 : 1,
      primaryLabelInterval: t.durationSec > 600 ? 6 : t.durationSec > 120 ? 6 : 5,
      style: { fontSize: '10px', color: '#8b949e' },
    });
    const player = WaveSurfer.create({
      container,
      url: t.mediaUrl,
      peaks: [t.peaks],
      duration: t.durationSec,
      // One scale for every level (a coarse peak is the largest of its fine ones), so swapping
      // levels never changes the waveform's height.
      maxPeak: t.peaks.reduce((m, x) => (x > m ? x : m), 1e-3),
      height: 88,
      waveColor: '#4a5363',
      progressColor: '#8fa6c4',
      cursorColor: '#58a6ff',
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: true,
      minPxPerSec: zoom,
      autoScroll: true,
      autoCenter: true,
      dragToSeek: true,
      plugins: [
        regionsPlugin,
        ruler,
        ...(t.durationSec > MINIMAP_FROM_SEC
          ? [
              MinimapPlugin.create({
                height: 22,
                waveColor: '#3a4352',
                progressColor: '#6f86a6',
                cursorColor: '#58a6ff',
                overlayColor: 'rgba(88, 166, 255, 0.18)',
                insertPosition: 'beforebegin',
              }),
            ]
          : []),
      ],
    });
    ws = player;
    shown = t;
    const textById = new Map(
      studio.get().episode.lines.flatMap((l) => (l.kind === 'speech' ? [[l.id, l.text] as const] : [])),
    );

    regionsPlugin.on('region-created', (region) => {
      if (region.id.startsWith(BED_REGION_ID)) {
        region.element?.setAttribute('data-testid', 'bed-band');
        // A thin band along the bottom: its own track under the speech regions.
        Object.assign(region.element?.style ?? {}, { top: '74px', height: '14px', zIndex: '1' });
        return;
      }
      region.element?.setAttribute('data-testid', 'timeline-region');
      region.element?.setAttribute('data-line-id', region.id);
    });
    // Dragging a region's right edge sets the pause after its line.
    regionsPlugin.on('region-updated', (region) => {
      const r = regions.find((x) => x.lineId === region.id);
      if (!r || !hooks) return;
      const episode = studio.get().episode;
      const current =
        effectivePauses(episode.lines, episode.pauseSec, episode.lineAudio).get(r.lineId) ?? episode.pauseSec;
      const next = pauseAfterDrag(current, r.end, region.end);
      region.setOptions({ start: r.start, end: r.end });
      if (next !== current) hooks.onPauseDrag(r.lineId, next);
    });
    // Regions need the duration known: added earlier they clamp to zero length (markers).
    player.once('ready', () => {
      for (const r of regions) {
        regionsPlugin.addRegion({
          id: r.lineId,
          start: r.start,
          end: r.end,
          color: rgba(r.color, 0.2),
          content: regionContent(r, textById.get(r.lineId)),
          drag: false,
          resize: true,
          resizeStart: false,
        });
      }
      if (t.bed) {
        // One band where the music is heard: the intro and the outro (older back ends: all of it).
        const spans = t.bedSpans ?? [{ start: t.bed.start, end: t.bed.end }];
        spans.forEach((span, i) =>
          regionsPlugin.addRegion({
            id: `${BED_REGION_ID}${i}`,
            start: span.start,
            end: span.end,
            color: 'rgba(210, 153, 34, 0.35)',
            content: bedContent(t.bed!.file),
            drag: false,
            resize: false,
          }),
        );
      }
      // From here on the renderer draws the view (the level on screen), not wavesurfer's copy.
      durationOnScreen = t.durationSec;
      if (selectLevel() !== null) void player.getRenderer().render(view);
      if (scroll > 0) player.setScroll(scroll);
      fetchWindows();
    });
    player.on('scroll', () => fetchWindows());
    regionsPlugin.on('region-clicked', (region, e) => {
      if (region.id.startsWith(BED_REGION_ID)) return;
      e.stopPropagation();
      setUi({ selectLine: { lineId: region.id, nonce: ++selectNonce }, playingLineId: region.id });
      void player.play(region.start);
    });

    player.on('ready', (duration) => playhead.set({ duration }));
    player.on('timeupdate', (time) => {
      playhead.set({ time });
      const lineId = regionAt(regions, time)?.lineId ?? null;
      if (lineId !== lastLineId) {
        lastLineId = lineId;
        setUi({ playingLineId: lineId });
      }
    });
    player.on('play', () => setUi({ playing: true }));
    player.on('pause', () => setUi({ playing: false }));
    player.on('finish', () => setUi({ playing: false }));
    player.on('error', (err) => {
      studio.set({ timelineStatus: 'error', timelineError: `Playback failed: ${String(err)}` });
    });
  }

  const uninstall = installPlayPause(() => {
    if (ws) void ws.playPause();
  });
  // The editor's "play line" command: seek to the line's region and play on from there.
  const uninstallPlayLine = installPlayLine((lineId) => {
    const region = regions.find((r) => r.lineId === lineId);
    if (!ws || !region) return false;
    setUi({ playingLineId: lineId });
    void ws.play(region.start);
    return true;
  });

  const current = studio.get().timeline;
  if (current) build(current);
  const unsubscribe = studio.subscribe((s, p) => {
    if (s.timeline === p.timeline) return;
    if (s.timeline) build(s.timeline);
    else destroy();
  });

  // Ctrl/⌘ + wheel zooms around the pointer's time; a plain wheel scrolls as usual.
  const onWheel = (e: WheelEvent): void => {
    if (!(e.ctrlKey || e.metaKey) || !ws) return;
    e.preventDefault();
    applyZoom(zoom * Math.pow(1.0015, -e.deltaY));
  };
  container.addEventListener('wheel', onWheel, { passive: false });

  return {
    setZoom(pxPerSec) {
      applyZoom(pxPerSec);
    },
    zoomBy(factor) {
      applyZoom(zoom * factor);
    },
    dispose() {
      container.removeEventListener('wheel', onWheel);
      unsubscribe();
      uninstall();
      uninstallPlayLine();
      destroy();
      levelCache.clear();
    },
  };
}
