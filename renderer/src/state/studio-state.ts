/**
 * The studio's one store: the open project (the renderer owns the Episode document), jobs
 * mirrored from the back end, and UI state. Actions that change it live in the `*-actions.ts`
 * modules beside this file; components only read slices and call actions.
 */
import type { CallResponse, JobUpdate, Settings, Timeline, JobResult } from '@shared/contract';
import type { Article, Episode } from '@shared/model/episode';
import { createStore, useStore } from './store';
import { blankEpisode } from './episode-helpers';

export type AppInfo = CallResponse<'appInfo'>;
export type ExportResult = Extract<JobResult, { kind: 'export' }>;

/** What a speech line was voiced with, to tell a current clip from a stale one. */
export interface VoicedWith {
  speaker: string;
  text: string;
  /** JSON of the persona's voice settings at the time. */
  voice: string;
}

export interface Banner {
  message: string;
  code?: string;
  /** Bumps so the same message raised twice is noticed. */
  id: number;
}

export interface StudioState {
  boot: 'loading' | 'ready' | 'failed';
  appInfo: AppInfo | null;
  settings: Settings | null;

  /** Project folder of the open episode; null until it is first saved (first draft or Save). */
  projectId: string | null;
  episode: Episode;
  /** Edits not yet saved. */
  dirty: boolean;
  saving: boolean;
  savedAt: string | null;
  /** Bumps whenever `episode.lines` is replaced from outside the editor (draft, open, rename). */
  scriptRevision: number;
  /** How the revision should reach the editor: a fresh document, or an undoable edit. */
  scriptRevisionKind: 'reset' | 'edit';
  /**
   * Bumps when another episode takes the editor: a project opened, or a new one started (a draft
   * filling this one's empty script is a fresh document too, but the same episode).
   */
  episodeOpened: number;

  /** lineId → what its current clip was voiced with. */
  voicedWith: Record<string, VoicedWith>;
  /** lineId → id of the voice job rendering it right now. */
  rendering: Record<string, string>;
  /** lineId → why its last voicing failed. */
  failedLines: Record<string, string>;

  /** Every job the back end reported, by id, in arrival order. */
  jobs: Record<string, JobUpdate>;
  /** Jobs the producer closed from the job area. */
  dismissedJobs: Record<string, true>;

  /** Article text as shown in the Article panel (pasted, opened or the sample). */
  articleText: string;
  articleTitle: string;
  /** The cleaned article from the back end, while `articleText` still matches it. */
  article: Article | null;
  articleBusy: boolean;

  exportResult: ExportResult | null;
  timeline: Timeline | null;
  timelineStatus: 'empty' | 'loading' | 'ready' | 'error';
  timelineError: string | null;

  banner: Banner | null;
  ui: {
    /** The editor reveals and selects this line when `nonce` changes. */
    selectLine: { lineId: string; nonce: number } | null;
    playingLineId: string | null;
    playing: boolean;
    openDialog: boolean;
    /** Id of the speech line under the editor's cursor (the takes panel shows its takes). */
    cursorLineId: string | null;
  };
}

export function initialState(): StudioState {
  return {
    boot: 'loading',
    appInfo: null,
    settings: null,
    projectId: null,
    episode: blankEpisode(null),
    dirty: false,
    saving: false,
    savedAt: null,
    scriptRevision: 0,
    scriptRevisionKind: 'reset',
    episodeOpened: 0,
    voicedWith: {},
    rendering: {},
    failedLines: {},
    jobs: {},
    dismissedJobs: {},
    articleText: '',
    articleTitle: '',
    article: null,
    articleBusy: false,
    exportResult: null,
    timeline: null,
    timelineStatus: 'empty',
    timelineError: null,
    banner: null,
    ui: { selectLine: null, playingLineId: null, playing: false, openDialog: false, cursorLineId: null },
  };
}

/** The studio store (one per window). */
export const studio = createStore<StudioState>(initialState());

/** Reads a slice of the studio store in a component. */
export function useStudio<S>(selector: (state: StudioState) => S): S {
  return useStore(studio, selector);
}

let bannerSeq = 0;

/** Shows an error in the banner under the top bar. */
export function showError(message: string, code?: string): void {
  studio.set({ banner: { message, code, id: ++bannerSeq } });
}

export function dismissBanner(): void {
  studio.set({ banner: null });
}

/** Patches the `ui` slice. */
export function setUi(patch: Partial<StudioState['ui']>): void {
  studio.set((s) => ({ ui: { ...s.ui, ...patch } }));
}
