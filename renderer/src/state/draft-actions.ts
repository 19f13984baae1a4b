/**
 * Drafting: the drafter choice (offline or an OpenAI-compatible model), API keys (sent to the
 * back end, never kept here), cost estimates, streaming lines into the editor, and what a draft
 * left behind (usage, sources per line). The non-secret choice is remembered in localStorage.
 */
import {
  isJobOver,
  type CallResponse,
  type DraftUsageShape,
  type LlmChoice,
  type ProviderPresetShape,
} from '@shared/contract';
import { splitSentences } from '@shared/draft/sentences';
import type { Article, ScriptLine } from '@shared/model/episode';
import { errorMessage, getStudio } from '../transport/studio-client';
import { currentArticle } from './article-actions';
import { EarlyEvents } from './early-events';
import { registerJob } from './job-actions';
import { updateEpisode } from './project-actions';
import { onProjectReset, projectGeneration } from './project-generation';
import { createStore, useStore } from './store';
import { showError, studio, type StudioState } from './studio-state';

const CHOICE_KEY = 'goosepod.drafter';
const ESTIMATE_DELAY_MS = 400;
export const OFFLINE = 'offline';

/** What a provider is set to (per provider, so switching back keeps edits). No key here. */
export interface ProviderConfig {
  baseURL: string;
  model: string;
  inputPricePerM: number;
  outputPricePerM: number;
}

/** The remembered (non-secret) drafter choice. */
export interface DrafterChoice {
  /** `offline` or a preset id. */
  providerId: string;
  configs: Record<string, ProviderConfig>;
  /** Budget cap in US dollars; undefined = none. */
  budgetUsd?: number;
}

export type Estimate = CallResponse<'draftEstimate'>;

export interface DraftUiState {
  presets: ProviderPresetShape[];
  choice: DrafterChoice;
  /** Models listed by the last "Test connection", for the model datalist. */
  models: string[];
  test: { status: 'idle' | 'busy' | 'ok' | 'error'; message: string };
  keyBusy: boolean;
  keyError: string | null;
  estimate: Estimate | null;
  estimateError: string | null;
  estimateBusy: boolean;
  /** The model draft streaming now: its job and how many complete lines arrived. */
  streaming: { jobId: string; lines: number } | null;
  /** What the last finished draft of this window reported. */
  last: {
    jobId: string;
    drafter: 'offline' | 'llm';
    status: 'done' | 'canceled' | 'failed';
    usage?: DraftUsageShape;
    sources?: Record<string, string[]>;
    condensed?: boolean;
    /** Lines kept from a stream that did not finish. */
    keptLines?: number;
  } | null;
  urlBusy: boolean;
  urlError: string | null;
}

function loadChoice(): DrafterChoice {
  try {
    const raw = localStorage.getItem(CHOICE_KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<DrafterChoice>;
      if (typeof parsed.providerId === 'string' && parsed.configs && typeof parsed.configs === 'object') {
        return {
          providerId: parsed.providerId,
          configs: parsed.configs,
          budgetUsd: typeof parsed.budgetUsd === 'number' ? parsed.budgetUsd : undefined,
        };
      }
    }
  } catch {
    // a broken entry falls back to the offline drafter
  }
  return { providerId: OFFLINE, configs: {} };
}

function saveChoice(choice: DrafterChoice): void {
  // Only the provider id, base URLs, models, prices and budget: never a key.
  const { providerId, configs, budgetUsd } = choice;
  try {
    localStorage.setItem(CHOICE_KEY, JSON.stringify({ providerId, configs, budgetUsd }));
  } catch {
    // storage full or disabled: the choice lasts for this session only
  }
}

export const draftStore = createStore<DraftUiState>({
  presets: [],
  choice: loadChoice(),
  models: [],
  test: { status: 'idle', message: '' },
  keyBusy: false,
  keyError: null,
  estimate: null,
  estimateError: null,
  estimateBusy: false,
  streaming: null,
  last: null,
  urlBusy: false,
  urlError: null,
});

export function useDraft<S>(selector: (s: DraftUiState) => S): S {
  return useStore(draftStore, selector);
}

// ---- provider choice -------------------------------------------------------------------------

export function presetOf(s: DraftUiState): ProviderPresetShape | undefined {
  return s.presets.find((p) => p.id === s.choice.providerId);
}

/** Preset defaults as a config, one object per preset (store selectors must return stable values). */
const defaults = new WeakMap<ProviderPresetShape, ProviderConfig>();

/** The config of the chosen provider (its preset's defaults until edited). */
export function configOf(s: DraftUiState): ProviderConfig | undefined {
  const preset = presetOf(s);
  if (!preset) return undefined;
  const stored = s.choice.configs[preset.id];
  if (stored) return stored;
  let config = defaults.get(preset);
  if (!config) {
    config = {
      baseURL: preset.baseURL,
      model: preset.defaultModel,
      inputPricePerM: preset.inputPricePerM,
      outputPricePerM: preset.outputPricePerM,
    };
    defaults.set(preset, config);
  }
  return config;
}

/** The `llm` of a draft request, or undefined for the offline drafter (or an unusable config). */
export function llmChoiceOf(s: DraftUiState): LlmChoice | undefined {
  const preset = presetOf(s);
  const config = configOf(s);
  if (!preset || !config) return undefined;
  if (!/^https?:\/\/[^\s/?#]+\S*$/i.test(config.baseURL.trim()) || !config.model.trim()) return undefined;
  return {
    providerId: preset.id,
    baseURL: config.baseURL.trim(),
    model: config.model.trim(),
    inputPricePerM: config.inputPricePerM,
    outputPricePerM: config.outputPricePerM,
    ...(s.choice.budgetUsd !== undefined && s.choice.budgetUsd > 0 ? { budgetUsd: s.choice.budgetUsd } : {}),
  };
}

/** Why a model draft cannot start with the current config, or null. */
export function configProblem(s: DraftUiState): string | null {
  const preset = presetOf(s);
  const config = configOf(s);
  if (!preset || !config) return null;
  if (!/^https?:\/\/[^\s/?#]+\S*$/i.test(config.baseURL.trim()))
    return 'Enter the provider’s base URL (http:// or https://, usually ending in /v1).';
  if (!config.model.trim()) return 'Enter a model name (Test connection lists them).';
  if (preset.needsApiKey && !preset.hasKey) return `Save an API key for ${preset.label} first.`;
  return null;
}

function setChoice(fn: (c: DrafterChoice) => DrafterChoice): void {
  const choice = fn(draftStore.get().choice);
  draftStore.set({ choice, estimate: null, estimateError: null });
  saveChoice(choice);
  scheduleEstimate();
}

export function chooseProvider(providerId: string): void {
  draftStore.set({ models: [], test: { status: 'idle', message: '' }, keyError: null });
  setChoice((c) => ({ ...c, providerId }));
}

export function updateConfig(patch: Partial<ProviderConfig>): void {
  const current = configOf(draftStore.get());
  if (!current) return;
  setChoice((c) => ({ ...c, configs: { ...c.configs, [c.providerId]: { ...current, ...patch } } }));
}

export function setBudget(budgetUsd: number | undefined): void {
  setChoice((c) => ({ ...c, budgetUsd }));
}

export async function loadPresets(): Promise<void> {
  try {
    const { presets } = await getStudio().providerPresets({});
    draftStore.set({ presets });
    scheduleEstimate();
  } catch (err) {
    showError(`Could not load the model providers: ${errorMessage(err)}`);
  }
}

/** Sends a key to the back end (which stores it encrypted) and keeps only its masked form. */
export async function saveApiKey(apiKey: string): Promise<boolean> {
  const preset = presetOf(draftStore.get());
  if (!preset) return false;
  draftStore.set({ keyBusy: true, keyError: null });
  try {
    const res = await getStudio().settingsSetApiKey({ providerId: preset.id, apiKey });
    draftStore.set((s) => ({
      presets: s.presets.map((p) =>
        p.id === res.providerId ? { ...p, hasKey: res.hasKey, maskedKey: res.maskedKey } : p,
      ),
    }));
    scheduleEstimate();
    return true;
  } catch (err) {
    draftStore.set({ keyError: errorMessage(err) });
    return false;
  } finally {
    draftStore.set({ keyBusy: false });
  }
}

/** "Test connection": lists the provider's models (with the stored key). */
export async function testConnection(): Promise<void> {
  const s = draftStore.get();
  const preset = presetOf(s);
  const config = configOf(s);
  if (!preset || !config) return;
  draftStore.set({ test: { status: 'busy', message: 'Connecting…' } });
  try {
    const model = config.model.trim();
    const res = await getStudio().providerTest({
      baseURL: config.baseURL.trim(),
      providerId: preset.id,
      ...(model ? { model } : {}),
    });
    const count = `${res.models.length} model${res.models.length === 1 ? '' : 's'}`;
    const message =
      res.modelAvailable === false
        ? `Connected: ${count}, but not “${model}”. Pick one from the list.`
        : `Connected: ${count} available.`;
    draftStore.set({
      models: res.models,
      test: { status: res.modelAvailable === false ? 'error' : 'ok', message },
    });
  } catch (err) {
    draftStore.set({ models: [], test: { status: 'error', message: errorMessage(err) } });
  }
}

// ---- estimate --------------------------------------------------------------------------------

let estimateTimer: ReturnType<typeof setTimeout> | undefined;
let estimateSeq = 0;

/** The article as the panel shows it (for estimates: no cleaning round-trip, no banner). */
function panelArticle(s: StudioState): Article | null {
  if (s.article && s.article.text === s.articleText) return s.article;
  if (!s.articleText.trim()) return null;
  return { title: s.articleTitle, text: s.articleText };
}

export function scheduleEstimate(): void {
  clearTimeout(estimateTimer);
  // A reply still on its way is for what was asked before this change: it must not land.
  estimateSeq++;
  estimateTimer = setTimeout(() => void refreshEstimate(), ESTIMATE_DELAY_MS);
}

async function refreshEstimate(): Promise<void> {
  const seq = ++estimateSeq;
  const llm = llmChoiceOf(draftStore.get());
  const s = studio.get();
  const article = panelArticle(s);
  if (!llm || !article || s.boot !== 'ready') {
    draftStore.set({ estimate: null, estimateError: null, estimateBusy: false });
    return;
  }
  draftStore.set({ estimateBusy: true });
  try {
    const estimate = await getStudio().draftEstimate({
      article,
      show: s.episode.show,
      personas: s.episode.personas,
      llm,
    });
    if (seq === estimateSeq) draftStore.set({ estimate, estimateError: null, estimateBusy: false });
  } catch (err) {
    if (seq === estimateSeq)
      draftStore.set({ estimate: null, estimateError: errorMessage(err), estimateBusy: false });
  }
}

// The estimate follows the article, the show and the hosts.
studio.subscribe((s, p) => {
  if (
    s.articleText !== p.articleText ||
    s.articleTitle !== p.articleTitle ||
    s.episode.show !== p.episode.show ||
    s.episode.personas !== p.episode.personas ||
    s.boot !== p.boot
  ) {
    if (draftStore.get().choice.providerId !== OFFLINE) scheduleEstimate();
  }
});

// ---- drafting and streaming -------------------------------------------------------------------

/** Jobs this window started, with the article they draft from and the episode they draft for. */
const mine = new Map<string, { article: Article; generation: number }>();
/** Snapshots that arrived while a start call was in flight, before its job id was known. */
const early = new EarlyEvents<ScriptLine[]>(4);
/** Start calls in flight. */
let starting = 0;

function isTerminal(jobId: string): boolean {
  return isJobOver(studio.get().jobs[jobId]?.status);
}

/** A `draftLines` snapshot: the editor shows every complete line so far. */
export function handleDraftLines(ev: { jobId: string; lines: ScriptLine[] }): void {
  const job = mine.get(ev.jobId);
  if (!job) {
    if (starting > 0) early.keep(ev.jobId, () => ev.lines);
    return;
  }
  const { article } = job;
  if (isTerminal(ev.jobId) || ev.lines.length === 0) return; // a retry starts again from zero
  if (job.generation !== projectGeneration()) return; // another episode is open now
  const first = draftStore.get().streaming?.jobId !== ev.jobId;
  draftStore.set({ streaming: { jobId: ev.jobId, lines: ev.lines.length } });
  if (first) studio.set({ voicedWith: {}, failedLines: {}, rendering: {}, exportResult: null });
  const lines = ev.lines;
  // An undoable edit each time: Ctrl+Z walks back to the script before the draft.
  updateEpisode((e) => ({ ...e, lines, article, ...(first ? { clips: {} } : {}) }), 'edit');
}

/** Subscribes to streamed lines; returns the unsubscribe function. */
export function subscribeDraftLines(): () => void {
  return getStudio().on('draftLines', handleDraftLines);
}

/** Drafts with the chosen drafter (offline, or the model with streaming). */
export async function startDraft(): Promise<void> {
  const ds = draftStore.get();
  const useModel = ds.choice.providerId !== OFFLINE;
  const llm = useModel ? llmChoiceOf(ds) : undefined;
  if (useModel) {
    const problem = configProblem(ds) ?? (llm ? null : 'The model settings are incomplete.');
    if (problem) {
      showError(problem);
      return;
    }
    if (ds.estimate && !ds.estimate.withinBudget) {
      showError('The estimated cost is above the budget cap: raise the budget or pick a cheaper model.');
      return;
    }
  }
  const generation = projectGeneration();
  const article = await currentArticle();
  if (!article || generation !== projectGeneration()) return;
  const { episode } = studio.get();
  starting++;
  try {
    const { jobId } = await getStudio().draftStart({
      article,
      show: episode.show,
      personas: episode.personas,
      ...(llm ? { llm } : {}),
    });
    const pending = early.take(jobId);
    // Started for an episode that is no longer open: registerJob cancels it.
    registerJob(jobId, { kind: 'draft', article }, generation);
    if (generation !== projectGeneration()) return;
    mine.set(jobId, { article, generation });
    draftStore.set({ streaming: null, last: null });
    if (pending) handleDraftLines({ jobId, lines: pending });
    settleDraft(jobId);
  } catch (err) {
    showError(`Could not start the draft: ${errorMessage(err)}`, (err as { code?: string }).code);
  } finally {
    if (--starting === 0) early.clear();
  }
}

/** Records what a finished draft job of this window reported (the episode is updated elsewhere). */
function settleDraft(jobId: string): void {
  const job = studio.get().jobs[jobId];
  const started = mine.get(jobId);
  if (!job || !started || !isTerminal(jobId)) return;
  mine.delete(jobId);
  if (started.generation !== projectGeneration()) return;
  const streamed = draftStore.get().streaming;
  const kept = streamed?.jobId === jobId ? streamed.lines : undefined;
  const result = job.result?.kind === 'draft' ? job.result : undefined;
  draftStore.set({
    streaming: null,
    last: {
      jobId,
      drafter: result?.drafter ?? (kept !== undefined ? 'llm' : 'offline'),
      status: job.status as 'done' | 'canceled' | 'failed',
      usage: result?.usage,
      sources: result?.sources,
      condensed: result?.condensed,
      keptLines: job.status === 'done' ? undefined : kept,
    },
  });
}

studio.subscribe((s, p) => {
  if (s.jobs === p.jobs) return;
  for (const jobId of mine.keys()) if (s.jobs[jobId] !== p.jobs[jobId]) settleDraft(jobId);
});

// Another episode replaced this one: job-actions cancels its draft; nothing of it is shown here.
onProjectReset(() => {
  for (const [jobId, { generation }] of mine) if (generation !== projectGeneration()) mine.delete(jobId);
  draftStore.set({ streaming: null, last: null });
});

// ---- articles from the web -------------------------------------------------------------------

/** Fetches a web page in the back end; on failure the panel's text is left as it was. */
export async function loadUrl(url: string): Promise<void> {
  const trimmed = url.trim();
  if (!trimmed) return;
  draftStore.set({ urlBusy: true, urlError: null });
  studio.set({ articleBusy: true });
  try {
    const article = await getStudio().articleFromUrl({ url: trimmed });
    studio.set({ article, articleText: article.text, articleTitle: article.title, banner: null });
  } catch (err) {
    draftStore.set({ urlError: errorMessage(err) });
  } finally {
    draftStore.set({ urlBusy: false });
    studio.set({ articleBusy: false });
  }
}

export function clearUrlError(): void {
  draftStore.set({ urlError: null });
}

// ---- sources of a line --------------------------------------------------------------------------

const norm = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The article sentences a line relies on: the model's own citations when the draft has them,
 * else the article sentences the line contains (or that contain one of the line's sentences).
 */
export function sourcesOfLine(
  line: ScriptLine,
  articleText: string,
  sources: Record<string, string[]> | undefined,
): string[] {
  const cited = sources?.[line.id];
  if (cited && cited.length > 0) return cited;
  if (line.kind !== 'speech' || !articleText.trim()) return [];
  const text = norm(line.text);
  const own = splitSentences(line.text)
    .map(norm)
    .filter((s) => s.length >= 30);
  const found: string[] = [];
  for (const sentence of splitSentences(articleText)) {
    const n = norm(sentence);
    if (n.length < 20) continue;
    if (text.includes(n) || own.some((s) => n.includes(s))) found.push(sentence);
    if (found.length >= 5) break;
  }
  return found;
}
