/** Actions on the open project: boot, edits to the Episode document, open/new/save, autosave. */
import type { DraftResult } from '@shared/contract';
import {
  PersonaSchema,
  ShowSettingsSchema,
  type Article,
  type Episode,
  type Persona,
  type ScriptLine,
  type ShowSettings,
} from '@shared/model/episode';
import { errorMessage, getStudio } from '../transport/studio-client';
import { addHost, duplicateHost, removeHost } from '@shared/model/hosts';
import { blankEpisode, carryClipsToNewIds, renameSpeaker, voicingSnapshot } from './episode-helpers';
import { handleJobUpdate, handleVoiceLine, adoptJobList } from './job-actions';
import { clearTimeline, refreshTimeline, refreshTimelineSoon } from './timeline-actions';
import { initialState, showError, studio, type StudioState } from './studio-state';
import { ProjectChangedError } from './project-generation';

const AUTOSAVE_MS = 1000;
const LAST_PROJECT_KEY = 'goosepod.lastProject';
const SETTINGS_DEBOUNCE_MS = 400;

/** Loads app info, settings and jobs, and subscribes to back-end events. Call once at start. */
export async function boot(): Promise<void> {
  const api = getStudio();
  api.on('jobUpdate', handleJobUpdate);
  api.on('voiceLine', handleVoiceLine);
  try {
    const [appInfo, settings, jobs] = await Promise.all([
      api.appInfo({}),
      api.settingsGet({}),
      api.jobList({}),
    ]);
    studio.set({ appInfo, settings, boot: 'ready', episode: blankEpisode(settings) });
    adoptJobList(jobs.jobs);
    // A reload of this window comes back to the project it had open.
    const last = sessionStorage.getItem(LAST_PROJECT_KEY);
    if (last) await openProject(last, { quiet: true });
  } catch (err) {
    studio.set({ boot: 'failed' });
    showError(`Could not reach the studio back end: ${errorMessage(err)}`);
  }
}

/**
 * Replaces the episode through `fn` and marks it dirty (autosave picks it up).
 * `script` says whether the editor must be told: 'none' when the edit came from the editor itself.
 */
export function updateEpisode(fn: (e: Episode) => Episode, script: 'none' | 'edit' | 'reset' = 'none'): void {
  studio.set((s) => ({
    episode: fn(s.episode),
    dirty: true,
    ...(script === 'none' ? {} : { scriptRevision: s.scriptRevision + 1, scriptRevisionKind: script }),
  }));
}

/** The editor re-parsed its text into these lines. */
export function setLinesFromEditor(lines: ScriptLine[]): void {
  const s = studio.get();
  const carried = carryClipsToNewIds(lines, s.episode.clips, s.voicedWith);
  if (carried) studio.set({ voicedWith: carried.voicedWith });
  updateEpisode((e) => ({ ...e, lines, ...(carried ? { clips: carried.clips } : {}) }));
}

export function setTitle(title: string): void {
  updateEpisode((e) => ({ ...e, title }));
}

// ---- settings (show and hosts): edited on the episode, remembered as defaults -------------------

let settingsTimer: ReturnType<typeof setTimeout> | undefined;

function persistSettingsSoon(): void {
  clearTimeout(settingsTimer);
  settingsTimer = setTimeout(() => void persistSettings(), SETTINGS_DEBOUNCE_MS);
}

async function persistSettings(): Promise<void> {
  const { episode } = studio.get();
  const { date: _date, pronunciations: _pronunciations, ...show } = episode.show;
  const showOk = ShowSettingsSchema.omit({ date: true }).safeParse(show).success;
  const personasOk =
    episode.personas.length >= 2 &&
    episode.personas.length <= 4 &&
    episode.personas.every((p) => PersonaSchema.safeParse(p).success);
  if (!showOk || !personasOk) return; // the form shows what is wrong; keep the last good settings
  try {
    const settings = await getStudio().settingsUpdate({ show, personas: episode.personas });
    studio.set({ settings });
  } catch (err) {
    showError(`Settings were not saved: ${errorMessage(err)}`);
  }
}

/** Changes show settings of the open episode (the date stays with the episode only). */
export function updateShow(patch: Partial<ShowSettings>): void {
  updateEpisode((e) => ({ ...e, show: { ...e.show, ...patch } }));
  if (!('date' in patch) || Object.keys(patch).length > 1) persistSettingsSoon();
}

/** Why a persona field value is not acceptable, or null when it is. */
export function personaFieldError(
  personas: readonly Persona[],
  id: string,
  patch: Partial<Persona>,
): string | null {
  const current = personas.find((p) => p.id === id);
  if (!current) return 'unknown host';
  const parsed = PersonaSchema.safeParse({ ...current, ...patch });
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'invalid';
  if (patch.name !== undefined) {
    const key = patch.name.trim().toLowerCase();
    if (personas.some((p) => p.id !== id && p.name.trim().toLowerCase() === key))
      return 'another host has this name';
  }
  return null;
}

/** Adds, duplicates or removes a host (2 to 4; the rules live in shared/model/hosts.ts). */
export function changeHosts(op: 'add' | 'duplicate' | 'remove', id?: string): boolean {
  const { personas } = studio.get().episode;
  const next =
    op === 'add'
      ? addHost(personas)
      : op === 'duplicate'
        ? duplicateHost(personas, id ?? '')
        : removeHost(personas, id ?? '');
  if (!Array.isArray(next)) {
    showError(next.error);
    return false;
  }
  updateEpisode((e) => ({ ...e, personas: next }), 'edit');
  persistSettingsSoon();
  return true;
}

/** Changes a host; a rename also relabels that host's lines in the script. */
export function updatePersona(id: string, patch: Partial<Persona>): boolean {
  const { episode } = studio.get();
  const error = personaFieldError(episode.personas, id, patch);
  if (error) {
    showError(`Host not changed: ${error}.`);
    return false;
  }
  const before = episode.personas.find((p) => p.id === id)!;
  const renamed = patch.name !== undefined && patch.name !== before.name;
  const personas = episode.personas.map((p) =>
    p.id === id ? { ...p, ...patch, voice: { ...p.voice, ...patch.voice } } : p,
  );
  if (renamed) {
    // Keep clips of the renamed host's lines current: the label changed, not the voice or words.
    studio.set((s) => {
      const voicedWith = { ...s.voicedWith };
      for (const [lineId, v] of Object.entries(voicedWith)) {
        if (v.speaker === before.name) voicedWith[lineId] = { ...v, speaker: patch.name! };
      }
      return { voicedWith };
    });
  }
  updateEpisode(
    (e) => ({ ...e, personas, lines: renamed ? renameSpeaker(e.lines, before.name, patch.name!) : e.lines }),
    renamed ? 'edit' : 'none',
  );
  persistSettingsSoon();
  // Region labels and colours come from the mix; redraw them.
  if (renamed || (patch.color !== undefined && patch.color !== before.color)) refreshTimelineSoon();
  return true;
}

// ---- projects ------------------------------------------------------------------------------

let creating: Promise<string> | null = null;

/** The open project's id, creating the project folder first if the episode has none yet. */
export async function ensureProject(): Promise<string> {
  const existing = studio.get().projectId;
  if (existing) return existing;
  if (creating) return creating;
  creating = (async () => {
    const sent = studio.get().episode;
    const opened = studio.get().episodeOpened;
    const { projectId, episode } = await getStudio().projectNew({ episode: sent });
    // Another episode took the editor meanwhile: the folder is the old one's (it keeps it).
    if (studio.get().episodeOpened !== opened) throw new ProjectChangedError();
    studio.set((s) => ({
      projectId,
      // The back end may normalise the document; take its copy unless the producer edited since.
      ...(s.episode === sent ? { episode, dirty: false, savedAt: new Date().toISOString() } : {}),
    }));
    return projectId;
  })();
  try {
    return await creating;
  } finally {
    creating = null;
  }
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
let saveChain: Promise<void> = Promise.resolve();

/** Saves now (creating the project if needed); resolves when this save finished. */
export function saveNow(): Promise<void> {
  clearTimeout(saveTimer);
  saveChain = saveChain.then(doSave, doSave);
  return saveChain;
}

async function doSave(): Promise<void> {
  try {
    const projectId = await ensureProject();
    const s = studio.get();
    if (!s.dirty) return;
    const sent: Episode = { ...s.episode, updatedAt: new Date().toISOString() };
    studio.set({ saving: true });
    const { savedAt } = await getStudio().projectSave({ projectId, episode: sent });
    studio.set((cur) => ({
      saving: false,
      savedAt,
      ...(cur.episode === s.episode ? { episode: sent, dirty: false } : {}),
    }));
  } catch (err) {
    studio.set({ saving: false });
    showError(`Could not save the project: ${errorMessage(err)}`);
  }
}

// Autosave: a second after the last edit of a project that already has a folder.
studio.subscribe((s, prev) => {
  if (s.projectId !== prev.projectId) {
    if (s.projectId) sessionStorage.setItem(LAST_PROJECT_KEY, s.projectId);
    else sessionStorage.removeItem(LAST_PROJECT_KEY);
  }
  if (s.episode !== prev.episode && s.dirty && s.projectId) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
  }
});

/** Sets up a new, empty episode (the current one is saved first). */
export async function newProject(): Promise<void> {
  const s = studio.get();
  if (s.projectId && s.dirty) await saveNow();
  const base = initialState();
  studio.set({
    projectId: null,
    episode: blankEpisode(studio.get().settings),
    dirty: false,
    savedAt: null,
    scriptRevision: studio.get().scriptRevision + 1,
    scriptRevisionKind: 'reset',
    episodeOpened: studio.get().episodeOpened + 1,
    voicedWith: {},
    rendering: {},
    failedLines: {},
    articleText: '',
    articleTitle: '',
    article: null,
    exportResult: null,
    ui: base.ui,
  });
  clearTimeline();
}

export async function listProjects() {
  return (await getStudio().projectList({})).projects;
}

/** Opens a saved project, replacing the open one (which is saved first). */
export async function openProject(projectId: string, opts: { quiet?: boolean } = {}): Promise<void> {
  const s = studio.get();
  if (s.projectId && s.dirty) await saveNow();
  try {
    const opened = await getStudio().projectOpen({ projectId });
    // Clips saved with the project are taken as current for the lines as saved.
    const voicedWith = Object.fromEntries(
      [...voicingSnapshot(opened.episode)].filter(([id]) => opened.episode.clips[id]),
    );
    studio.set((cur) => ({
      projectId: opened.projectId,
      episode: opened.episode,
      dirty: false,
      savedAt: opened.episode.updatedAt,
      scriptRevision: cur.scriptRevision + 1,
      scriptRevisionKind: 'reset',
      episodeOpened: cur.episodeOpened + 1,
      voicedWith,
      rendering: {},
      failedLines: {},
      articleText: opened.episode.article.text,
      articleTitle: opened.episode.article.title,
      article: opened.episode.article,
      exportResult: null,
      ui: { ...cur.ui, selectLine: null, playingLineId: null, playing: false, openDialog: false },
    }));
    void refreshTimeline();
  } catch (err) {
    if (opts.quiet) sessionStorage.removeItem(LAST_PROJECT_KEY);
    else showError(`Could not open “${projectId}”: ${errorMessage(err)}`);
  }
}

/** Puts a finished draft into the episode and creates or saves the project. */
export async function applyDraft(draft: DraftResult, article: Article): Promise<void> {
  const hadLines = studio.get().episode.lines.length > 0;
  studio.set({ voicedWith: {}, failedLines: {}, rendering: {}, exportResult: null });
  updateEpisode(
    (e) => ({
      ...e,
      title: draft.title || e.title,
      category: draft.category,
      lines: draft.lines,
      summary: draft.summary,
      analysis: draft.analysis,
      article,
      clips: {},
    }),
    // A redraft stays undoable in the editor (Ctrl+Z brings the previous script back).
    hadLines ? 'edit' : 'reset',
  );
  clearTimeline();
  await saveNow();
}

export type { StudioState };
