/**
 * Voice engines, persona voices, previews, API keys, the cost meter, takes and per-line voice
 * progress. The voice UI (features/voices, features/takes) reads {@link voiceStore} and calls
 * these actions; the episode itself still lives in the studio store.
 */
import { isJobOver, type CallResponse, type EventPayload } from '@shared/contract';
import type { Episode, Persona, Pronunciation, Take, VoiceEngineId } from '@shared/model/episode';
import { errorCode, errorMessage, getStudio } from '../transport/studio-client';
import {
  onLine,
  recordVoiceAction,
  restoreVoiceStates,
  voiceStateAction,
  type VoiceAction,
} from './history-actions';
import { voiceLines } from './job-actions';
import { lineVoiceStates, voiceStateChanged } from './line-voice-state';
import { ensureProject, saveNow, updateEpisode, updatePersona, updateShow } from './project-actions';
import { projectGeneration } from './project-generation';
import { createStore, useStore } from './store';
import { showError, studio } from './studio-state';
import { refreshTimeline } from './timeline-actions';

export type EngineInfo = CallResponse<'voiceEngines'>['engines'][number];
export type TakeView = CallResponse<'takeList'>['takes'][number];
export type VoiceEstimate = CallResponse<'voiceEstimate'>;
export type VoiceOption = { id: string; label: string };

export interface LineProgress {
  jobId: string;
  status: EventPayload<'voiceProgress'>['status'];
  message: string;
}

export interface VoiceState {
  engines: EngineInfo[] | null;
  enginesError: string | null;
  /** `engine|baseURL` → the voices that engine offers. */
  voices: Record<string, VoiceOption[]>;
  /** Persona id whose preview is being voiced right now. */
  previewing: string | null;
  /** Persona id → Blob URL of its last preview. */
  previewUrls: Record<string, string>;
  /** lineId → its latest `voiceProgress` (running, retrying …). */
  lineProgress: Record<string, LineProgress>;
  /** The takes of one line, as the takes panel shows them. */
  takes: { lineId: string; list: TakeView[]; status: 'loading' | 'ready' | 'error'; error?: string } | null;
  /** The take being auditioned (hash). */
  auditioning: string | null;
  /** What voicing the uncached lines would cost now (null until a project exists). */
  estimate: VoiceEstimate | null;
  estimateBusy: boolean;
  /** Refuse "Voice all" above this many US dollars (null: no cap). Kept in this window only. */
  budgetUsd: number | null;
  /** An open "Voice all" confirmation. */
  confirm: { estimate: VoiceEstimate; budgetUsd: number | null } | null;
}

export const voiceStore = createStore<VoiceState>({
  engines: null,
  enginesError: null,
  voices: {},
  previewing: null,
  previewUrls: {},
  lineProgress: {},
  takes: null,
  auditioning: null,
  estimate: null,
  estimateBusy: false,
  budgetUsd: null,
  confirm: null,
});

export function useVoice<S>(selector: (s: VoiceState) => S): S {
  return useStore(voiceStore, selector);
}

// ---- engines and voices ------------------------------------------------------------------------

let enginesLoading: Promise<void> | null = null;

/** Loads the engine list (models, prices, key state); `force` reloads after a key change. */
export function loadEngines(force = false): Promise<void> {
  if (enginesLoading && !force) return enginesLoading;
  enginesLoading = (async () => {
    try {
      const { engines } = await getStudio().voiceEngines({});
      voiceStore.set({ engines, enginesError: null });
    } catch (err) {
      voiceStore.set({ enginesError: errorMessage(err) });
    }
  })();
  return enginesLoading;
}

export function voicesKey(engine: VoiceEngineId, baseURL?: string): string {
  return `${engine}|${engine === 'openai-compatible' ? (baseURL ?? '') : ''}`;
}

const voicesInFlight = new Map<string, Promise<VoiceOption[]>>();

/** The voices of an engine (a compatible server's own list at its base URL), cached per window. */
export function loadVoices(engine: VoiceEngineId, baseURL?: string, force = false): Promise<VoiceOption[]> {
  const key = voicesKey(engine, baseURL);
  const known = voiceStore.get().voices[key];
  if (known && !force) return Promise.resolve(known);
  const running = voicesInFlight.get(key);
  if (running && !force) return running;
  const p = (async () => {
    try {
      const settings = engine === 'openai-compatible' && baseURL ? { baseURL } : undefined;
      const { voices } = await getStudio().voiceVoices({ engine, ...(settings ? { settings } : {}) });
      voiceStore.set((s) => ({ voices: { ...s.voices, [key]: voices } }));
      return voices;
    } catch (err) {
      if (engine === 'espeak') return studio.get().appInfo?.voices ?? [];
      showError(`Could not list the voices of ${engine}: ${errorMessage(err)}`, errorCode(err));
      return [];
    } finally {
      voicesInFlight.delete(key);
    }
  })();
  voicesInFlight.set(key, p);
  return p;
}

const VOICE_ID = /^[a-zA-Z0-9_/-]+(\+[a-zA-Z0-9_-]+)?$/;

/** Changes a persona's engine, keeping what fits and picking the engine's first voice. */
export async function setPersonaEngine(persona: Persona, engine: VoiceEngineId): Promise<void> {
  if (persona.voice.engine === engine) return;
  const baseURL = engine === 'openai-compatible' ? persona.voice.baseURL : undefined;
  updatePersona(persona.id, {
    voice: {
      ...persona.voice,
      engine,
      // Models belong to an engine; the engine's default applies until one is picked.
      model: undefined,
    },
  });
  const voices = await loadVoices(engine, baseURL);
  const now = studio.get().episode.personas.find((p) => p.id === persona.id);
  // The producer may have moved on while the list loaded (another server, a voice picked): the
  // list is for what was asked, so it only fills in a voice when nothing changed meanwhile.
  if (!now || now.voice.engine !== engine) return;
  if (now.voice.voice !== persona.voice.voice) return;
  if (engine === 'openai-compatible' && now.voice.baseURL !== baseURL) return;
  if (voices.some((v) => v.id === now.voice.voice)) return;
  const first = voices.find((v) => VOICE_ID.test(v.id));
  if (first) updatePersona(persona.id, { voice: { ...now.voice, voice: first.id } });
}

/** Patches a persona's voice settings. */
export function setPersonaVoice(persona: Persona, patch: Partial<Persona['voice']>): boolean {
  const now = studio.get().episode.personas.find((p) => p.id === persona.id) ?? persona;
  return updatePersona(persona.id, { voice: { ...now.voice, ...patch } });
}

// ---- preview -----------------------------------------------------------------------------------

function wavBlobUrl(base64: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
}

/** Voices the sample sentence with a persona's voice; the card plays the Blob URL. */
export async function previewVoice(persona: Persona): Promise<void> {
  voiceStore.set({ previewing: persona.id });
  try {
    const res = await getStudio().voicePreview({ persona });
    const url = wavBlobUrl(res.wavBase64);
    voiceStore.set((s) => {
      const old = s.previewUrls[persona.id];
      if (old) URL.revokeObjectURL(old);
      return { previewUrls: { ...s.previewUrls, [persona.id]: url } };
    });
  } catch (err) {
    showError(`Could not preview ${persona.name}’s voice: ${errorMessage(err)}`, errorCode(err));
  } finally {
    voiceStore.set({ previewing: null });
  }
}

// ---- API keys ----------------------------------------------------------------------------------

/** Stores (or with "" removes) a cloud engine's key in the back end; the renderer keeps nothing. */
export async function saveApiKey(providerId: 'openai' | 'elevenlabs', apiKey: string): Promise<boolean> {
  try {
    await getStudio().settingsSetApiKey({ providerId, apiKey: apiKey.trim() });
    await loadEngines(true);
    // Account voices (ElevenLabs) depend on the key.
    voiceStore.set((s) => ({
      voices: Object.fromEntries(Object.entries(s.voices).filter(([k]) => !k.startsWith(`${providerId}|`))),
    }));
    return true;
  } catch (err) {
    showError(`The API key was not saved: ${errorMessage(err)}`, errorCode(err));
    return false;
  }
}

// ---- pronunciations ----------------------------------------------------------------------------

export function setPronunciations(pronunciations: Pronunciation[]): void {
  updateShow({ pronunciations });
}

// ---- cost meter and "Voice all" ----------------------------------------------------------------

let estimateSeq = 0;

/** Asks the back end what voicing every uncached line would cost (needs a project). */
export async function refreshEstimate(): Promise<VoiceEstimate | null> {
  const { projectId, episode } = studio.get();
  if (!projectId || !episode.lines.some((l) => l.kind === 'speech')) {
    voiceStore.set({ estimate: null, estimateBusy: false });
    return null;
  }
  const mine = ++estimateSeq;
  voiceStore.set({ estimateBusy: true });
  try {
    const estimate = await getStudio().voiceEstimate({ projectId, episode, ...budgetPart() });
    if (mine === estimateSeq) voiceStore.set({ estimate, estimateBusy: false });
    return estimate;
  } catch {
    // Unknown speakers and the like are the editor's to show; the meter just goes blank.
    if (mine === estimateSeq) voiceStore.set({ estimate: null, estimateBusy: false });
    return null;
  }
}

let estimateTimer: ReturnType<typeof setTimeout> | undefined;
export function refreshEstimateSoon(delayMs = 700): void {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(() => void refreshEstimate(), delayMs);
}

const BUDGET_KEY = 'goosepod.voiceBudgetUsd';

export function setBudget(budgetUsd: number | null): void {
  voiceStore.set({ budgetUsd });
  if (budgetUsd === null) sessionStorage.removeItem(BUDGET_KEY);
  else sessionStorage.setItem(BUDGET_KEY, String(budgetUsd));
  refreshEstimateSoon(0);
}

if (typeof sessionStorage !== 'undefined') {
  const saved = Number(sessionStorage.getItem(BUDGET_KEY) ?? NaN);
  if (Number.isFinite(saved) && saved >= 0) voiceStore.set({ budgetUsd: saved });
}

function budgetPart(): { budgetUsd?: number } {
  const b = voiceStore.get().budgetUsd;
  return b === null ? {} : { budgetUsd: b };
}

/**
 * "Voice all": estimates first; a paid run (or one over the budget) asks for confirmation in
 * the dialog ({@link answerVoiceAll}); free runs start at once.
 */
export async function voiceAll(): Promise<void> {
  if (!studio.get().episode.lines.some((l) => l.kind === 'speech')) return voiceLines();
  try {
    await ensureProject();
  } catch (err) {
    showError(`Could not create the project: ${errorMessage(err)}`, errorCode(err));
    return;
  }
  const estimate = await refreshEstimate();
  if (estimate && (estimate.totalUsd > 0 || !estimate.withinBudget)) {
    voiceStore.set({ confirm: { estimate, budgetUsd: voiceStore.get().budgetUsd } });
    return;
  }
  await voiceLines(undefined, budgetPart());
}

/** The producer's answer to the "Voice all" confirmation. */
export async function answerVoiceAll(go: boolean): Promise<void> {
  const pending = voiceStore.get().confirm;
  voiceStore.set({ confirm: null });
  if (go && pending?.estimate.withinBudget) await voiceLines(undefined, budgetPart());
}

/** US dollars as the meter shows them ($0 / $0.0042 / $1.25). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** What the episode's takes have cost so far (every take, including ones no longer current). */
export function episodeVoiceCost(takes: Episode['takes']): number {
  let total = 0;
  for (const list of Object.values(takes ?? {})) for (const t of list) total += t.costUsd;
  return Math.round(total * 1e6) / 1e6;
}

// ---- per-line progress ---------------------------------------------------------------------------

/**
 * A line's state inside a voice job. Only this marks and unmarks lines for progress: `running`
 * and `retrying` (re)mark the line as rendering by that job; `failed` and `canceled` clear the
 * mark only when it is that job's. Clips and takes arrive with `voiceLine` (job-actions).
 */
export function handleVoiceProgress(ev: EventPayload<'voiceProgress'>): void {
  const job = studio.get().jobs[ev.jobId];
  // A batch export re-voices personalised copies of lines: not the editor's lines.
  if (job && job.kind !== 'voice') return;
  const over = job && isJobOver(job.status);
  if (ev.status === 'running' || ev.status === 'retrying') {
    if (over) return;
    if (studio.get().rendering[ev.lineId] !== ev.jobId)
      studio.set((s) => ({ rendering: { ...s.rendering, [ev.lineId]: ev.jobId } }));
  } else {
    studio.set((s) => {
      const rendering = { ...s.rendering };
      if (rendering[ev.lineId] === ev.jobId) delete rendering[ev.lineId];
      const failedLines = { ...s.failedLines };
      if (ev.status === 'failed') failedLines[ev.lineId] = ev.message;
      return { rendering, failedLines };
    });
  }
  voiceStore.set((s) => ({
    lineProgress: {
      ...s.lineProgress,
      [ev.lineId]: { jobId: ev.jobId, status: ev.status, message: ev.message },
    },
  }));
}

/** Stops voicing one line of a running job (the rest go on). */
export async function cancelLine(lineId: string): Promise<void> {
  const jobId = studio.get().rendering[lineId];
  if (!jobId) return;
  try {
    await getStudio().voiceCancelLine({ jobId, lineId });
  } catch (err) {
    showError(`Could not cancel the line: ${errorMessage(err)}`, errorCode(err));
  }
}

// ---- takes -------------------------------------------------------------------------------------

let takesSeq = 0;

/** Lists a line's takes for the takes panel (null clears the panel). */
export async function loadTakes(lineId: string | null): Promise<void> {
  const mine = ++takesSeq;
  const { projectId, episode } = studio.get();
  if (!lineId || !projectId) {
    voiceStore.set({ takes: null });
    return;
  }
  const prev = voiceStore.get().takes;
  voiceStore.set({
    takes: { lineId, list: prev?.lineId === lineId ? prev.list : [], status: 'loading' },
  });
  try {
    const { takes } = await getStudio().takeList({ projectId, episode, lineId });
    if (mine === takesSeq) voiceStore.set({ takes: { lineId, list: takes, status: 'ready' } });
  } catch (err) {
    if (mine === takesSeq)
      voiceStore.set({ takes: { lineId, list: [], status: 'error', error: errorMessage(err) } });
  }
}

type TakeState = CallResponse<'takePin'>;

function applyTakeState(st: TakeState): void {
  updateEpisode((e) => {
    const clips = { ...e.clips };
    if (st.clip) clips[st.lineId] = st.clip;
    else delete clips[st.lineId];
    const pinned = { ...e.pinned };
    if (st.pinned) pinned[st.lineId] = st.pinned;
    else delete pinned[st.lineId];
    return { ...e, clips, takes: { ...e.takes, [st.lineId]: st.takes }, pinned };
  });
  if (!st.clip) {
    studio.set((s) => {
      const voicedWith = { ...s.voicedWith };
      delete voicedWith[st.lineId];
      return { voicedWith };
    });
  }
}

async function afterTakeChange(lineId: string): Promise<void> {
  await saveNow();
  await Promise.all([refreshTimeline(), loadTakes(lineId), refreshEstimate()]);
}

/** The take's number as the takes panel shows it (#1 is the oldest). */
function takeNumber(lineId: string, hash: string): number {
  const shown = voiceStore.get().takes;
  const list = shown?.lineId === lineId ? shown.list : (studio.get().episode.takes?.[lineId] ?? []);
  return list.findIndex((t) => t.hash === hash) + 1;
}

function takeLabel(verb: string, lineId: string, hash: string): VoiceAction['describe'] {
  const n = takeNumber(lineId, hash);
  return (number) => onLine(`${verb} take${n > 0 ? ` #${n}` : ''}`, lineId, number);
}

/**
 * Makes a take the line's clip; pinned (default) it stays through "Voice all". Undoable: undo
 * puts back the clip and pin the line had.
 */
export async function pinTake(lineId: string, hash: string, pin = true): Promise<void> {
  const { projectId, episode } = studio.get();
  if (!projectId) return;
  const before = lineVoiceStates(studio.get(), [lineId]);
  const describe = takeLabel(pin ? 'pin' : 'unpin', lineId, hash);
  const generation = projectGeneration();
  try {
    const state = await getStudio().takePin({ projectId, episode, lineId, hash, pin });
    // Pinned in the project it was asked for; the episode open now is another one's.
    if (generation !== projectGeneration()) return;
    applyTakeState(state);
    const after = lineVoiceStates(studio.get(), [lineId]);
    if (voiceStateChanged(before.get(lineId)!, after.get(lineId)!))
      recordVoiceAction(voiceStateAction(describe, before, after));
    await afterTakeChange(lineId);
  } catch (err) {
    showError(`Could not pin the take: ${errorMessage(err)}`, errorCode(err));
  }
}

/**
 * Deletes a take. Undoable: its audio waits in the project's trash, and undo brings the take
 * back at its place, current and pinned again if it was.
 */
export async function deleteTake(lineId: string, hash: string): Promise<void> {
  const { projectId, episode } = studio.get();
  if (!projectId) return;
  if (voiceStore.get().auditioning === hash) stopAudition();
  const list = episode.takes?.[lineId] ?? [];
  const shown = voiceStore.get().takes?.list.find((t) => t.hash === hash);
  // A clip voiced before takes existed is listed by the back end only: keep what it showed.
  const take = list.find((t) => t.hash === hash) ?? (shown ? stripTakeView(shown) : undefined);
  const index = Math.max(
    0,
    list.findIndex((t) => t.hash === hash),
  );
  const before = lineVoiceStates(studio.get(), [lineId]);
  const was = before.get(lineId)!;
  const describe = takeLabel('delete', lineId, hash);
  const generation = projectGeneration();
  try {
    const state = await getStudio().takeDelete({ projectId, episode, lineId, hash });
    if (generation !== projectGeneration()) {
      // Another project opened meanwhile: this project's saved episode still lists the take, so
      // its audio comes back out of the trash (which is emptied when the project next opens).
      if (take) {
        void getStudio()
          .takeRestore({ projectId, episode, lineId, take, index, current: false, pin: false })
          .catch(() => undefined);
      }
      return;
    }
    applyTakeState(state);
    const after = lineVoiceStates(studio.get(), [lineId]);
    if (take) {
      recordVoiceAction({
        describe,
        async undo(guard) {
          guard();
          const restored = await getStudio().takeRestore({
            projectId,
            episode: studio.get().episode,
            lineId,
            take,
            index,
            current: was.clip?.hash === hash,
            pin: was.pinned === hash,
          });
          // The open project may have changed while the take came back: apply it only to its own.
          guard();
          applyTakeState(restored);
          await restoreVoiceStates(before, guard);
        },
        async redo(guard) {
          guard();
          const deleted = await getStudio().takeDelete({
            projectId,
            episode: studio.get().episode,
            lineId,
            hash,
          });
          guard();
          applyTakeState(deleted);
          await restoreVoiceStates(after, guard);
        },
      });
    }
    await afterTakeChange(lineId);
  } catch (err) {
    showError(`Could not delete the take: ${errorMessage(err)}`, errorCode(err));
  }
}

function stripTakeView(t: TakeView): Take {
  const { current: _c, pinned: _p, available: _a, url: _u, ...take } = t;
  return take;
}

/** A new take of one line even when its clip is cached (unpins it). */
export function newTake(lineId: string): Promise<void> {
  return voiceLines([lineId], { regenerate: true });
}

let audition: HTMLAudioElement | null = null;

/** Plays one take (A/B: starting another stops the first); again stops it. */
export function auditionTake(take: TakeView): void {
  const playing = voiceStore.get().auditioning;
  stopAudition();
  if (playing === take.hash || !take.url) return;
  const el = new Audio(take.url);
  audition = el;
  el.onended = () => {
    if (audition === el) stopAudition();
  };
  voiceStore.set({ auditioning: take.hash });
  el.play().catch((err: unknown) => {
    if (audition === el) stopAudition();
    showError(`Could not play the take: ${errorMessage(err)}`);
  });
}

export function stopAudition(): void {
  audition?.pause();
  audition = null;
  if (voiceStore.get().auditioning) voiceStore.set({ auditioning: null });
}

/** The list price of a voice's engine and model per million characters (0 until engines load). */
export function usdPerMillionChars(voice: Persona['voice']): number {
  const engine = voiceStore.get().engines?.find((e) => e.id === voice.engine);
  const model = voice.model ?? engine?.defaultModel;
  return engine?.models.find((m) => m.id === model)?.usdPerMillionChars ?? 0;
}

// A finished job (also one another window started) leaves no line marked as rendering by it.
studio.subscribe((s, prev) => {
  if (s.jobs === prev.jobs) return;
  const over = new Set(
    Object.values(s.jobs)
      .filter((j) => j.kind === 'voice' && isJobOver(j.status))
      .map((j) => j.jobId),
  );
  if (!Object.values(s.rendering).some((jobId) => over.has(jobId))) return;
  studio.set((cur) => ({
    rendering: Object.fromEntries(Object.entries(cur.rendering).filter(([, jobId]) => !over.has(jobId))),
  }));
});
