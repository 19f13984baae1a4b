/**
 * Regenerating part of the script: "rewrite this line" (a model, an instruction, one line back
 * for the same speaker and id) and "redraft from here" (the lines from the cursor to the sign-off,
 * offline or with a model, streamed). The producer opens a small prompt at the line, sees the
 * estimated cost, confirms; the result goes into the editor as one undoable edit through
 * {@link PartialEditor}, which the script editor installs. Business rules (which lines a redraft
 * replaces) live in shared/draft/partial.ts; the back end does the drafting.
 */
import { isJobOver, type CallResponse, type DraftUsageShape, type PartialDraft } from '@shared/contract';
import { redraftRegion, rewriteTarget, type PartialMode } from '@shared/draft/partial';
import type { ScriptLine } from '@shared/model/episode';
import { errorMessage, getStudio } from '../transport/studio-client';
import { currentArticle } from './article-actions';
import { EarlyEvents } from './early-events';
import { configProblem, draftStore, llmChoiceOf, OFFLINE } from './draft-actions';
import { onProjectReset, projectGeneration } from './project-generation';
import { createStore, useStore } from './store';
import { studio } from './studio-state';

const ESTIMATE_DELAY_MS = 300;

/** What the script editor does for partial redrafts (installed by the editor controller). */
export interface PartialEditor {
  /** Id of the script line (any kind) under the cursor, or null on a blank line. */
  cursorLineId(): string | null;
  /** Pixels from the top of the editor to just below the line, or null when it is not shown. */
  anchorBelow(lineId: string): number | null;
  /**
   * Replaces the words of speech line `lineId` with `text` as one undoable edit (the speaker and
   * the line's id stay). False when the line is gone or its words are no longer `expected`.
   */
  replaceLineText(lineId: string, expected: string, text: string): boolean;
  /**
   * Starts replacing the lines between `afterLineId` (null: the top) and `untilLineId` (null: the
   * end). Every `write` replaces what the previous one wrote; all writes form one undo step.
   * Null when an anchor line is gone.
   */
  beginRegion(afterLineId: string | null, untilLineId: string | null): RegionWriter | null;
}

/** Writes a region of the editor again and again as one undo step (see {@link PartialEditor}). */
export interface RegionWriter {
  /** Replaces the region with `lines`; false when an anchor line has disappeared. */
  write(lines: readonly ScriptLine[]): boolean;
  /** Closes the undo step; returns the ids the editor gave the region's lines, in order. */
  end(): string[];
}

let editor: PartialEditor | null = null;

/** Lets the script editor provide {@link PartialEditor}; returns the uninstaller. */
export function installPartialEditor(impl: PartialEditor): () => void {
  editor = impl;
  return () => {
    if (editor === impl) editor = null;
  };
}

export type PartialEstimate = CallResponse<'draftEstimate'>;

/** The prompt at a line, from opening to the result. */
export interface PartialPromptState {
  /** Which opening of the prompt this is: updates (estimate, position) keep it, a new prompt does not. */
  openId: number;
  mode: PartialMode;
  /** The line the prompt is about (the rewritten line, or where the redraft starts). */
  lineId: string;
  /** "Maya's line", "from line 12: 9 lines, the sign-off stays". */
  subject: string;
  /** Rewriting needs a model; set when the offline drafter is chosen (the prompt explains). */
  needsModel: boolean;
  /** Drafting with a model (else the offline drafter). */
  useModel: boolean;
  instruction: string;
  estimate: PartialEstimate | null;
  /** What {@link estimate} was made for ({@link estimateKey}): the producer confirms only a current one. */
  estimatedFor: string | null;
  estimateError: string | null;
  /** The producer confirmed while the estimate was on its way: it starts once the estimate is in. */
  confirmQueued: boolean;
  /** Pixels from the editor's top where the prompt sits. */
  top: number;
  phase: 'ask' | 'running' | 'done' | 'failed' | 'canceled';
  jobId: string | null;
  /** Complete new lines that arrived (redraft). */
  arrived: number;
  error: string | null;
  usage?: DraftUsageShape;
  /** Claims in the new lines that the article does not support. */
  flagged: number;
}

export const partialStore = createStore<{ prompt: PartialPromptState | null }>({ prompt: null });

export function usePartial<S>(selector: (s: PartialPromptState | null) => S): S {
  return useStore(partialStore, (s) => selector(s.prompt));
}

function patch(p: Partial<PartialPromptState>): void {
  partialStore.set((s) => (s.prompt ? { prompt: { ...s.prompt, ...p } } : s));
}

export function closePartialPrompt(): void {
  const p = partialStore.get().prompt;
  if (p?.phase === 'running') return; // stop it first; the prompt shows the job
  clearTimeout(estimateTimer);
  partialStore.set({ prompt: null });
}

function usingModel(): boolean {
  return draftStore.get().choice.providerId !== OFFLINE;
}

/**
 * Opens the prompt for `mode` at `lineId` (default: the line under the cursor). Explains, in
 * the prompt, when rewriting needs a model and the offline drafter is chosen.
 */
export function openPartialPrompt(mode: PartialMode, lineId?: string): string | null {
  const running = partialStore.get().prompt;
  if (running?.phase === 'running') return 'A rewrite or redraft is running; stop it or wait for it first.';
  const id = lineId ?? editor?.cursorLineId() ?? null;
  const { episode } = studio.get();
  if (!id) {
    return mode === 'rewrite-line'
      ? 'Put the cursor on a speech line (“Name: words”) to rewrite it.'
      : 'Put the cursor on the line to redraft from.';
  }
  let subject: string;
  try {
    if (mode === 'rewrite-line') {
      const { line } = rewriteTarget(episode.lines, id, episode.personas);
      subject = `${line.speaker}’s line`;
    } else {
      const region = redraftRegion(episode.lines, id);
      const count = region.end - region.start;
      subject = `${count} line${count === 1 ? '' : 's'} from here to ${
        region.signOff === 'kept' ? 'the sign-off (which stays)' : 'the end'
      }`;
    }
  } catch (err) {
    return errorMessage(err);
  }
  const useModel = usingModel();
  partialStore.set({
    prompt: {
      openId: ++openings,
      mode,
      lineId: id,
      subject,
      needsModel: mode === 'rewrite-line' && !useModel,
      useModel,
      instruction: '',
      estimate: null,
      estimatedFor: null,
      estimateError: null,
      confirmQueued: false,
      top: editor?.anchorBelow(id) ?? 8,
      phase: 'ask',
      jobId: null,
      arrived: 0,
      error: null,
      flagged: 0,
    },
  });
  scheduleEstimate(0);
  return null;
}

/** Keeps the prompt under its line while the editor scrolls. */
export function repositionPartialPrompt(): void {
  const p = partialStore.get().prompt;
  if (!p || !editor) return;
  const top = editor.anchorBelow(p.lineId);
  if (top !== null && top !== p.top) patch({ top });
}

export function setPartialInstruction(instruction: string): void {
  // Editing again takes back a confirm that was waiting for the estimate.
  patch({ instruction, confirmQueued: false });
  scheduleEstimate(ESTIMATE_DELAY_MS);
}

// ---- estimate --------------------------------------------------------------------------------

let estimateTimer: ReturnType<typeof setTimeout> | undefined;
let estimateSeq = 0;
let openings = 0;

/** What an estimate depends on besides the script: the instruction and the model with its prices. */
function estimateKey(p: PartialPromptState): string {
  return JSON.stringify([p.instruction.trim(), llmChoiceOf(draftStore.get()) ?? null]);
}

/**
 * True while the cost shown is not yet the cost of what confirming would run (the instruction or
 * the model changed and the new estimate has not arrived): confirming waits for it.
 */
export function estimatePending(p: PartialPromptState): boolean {
  // Without a usable model there is nothing to estimate: partialProblem says what is missing.
  if (!p.useModel || p.needsModel || p.phase !== 'ask' || !llmChoiceOf(draftStore.get())) return false;
  // A failed estimate counts as current for its key (it says why); a newer key waits again.
  return p.estimatedFor !== estimateKey(p);
}

// The Drafter panel changed while the prompt is open (another drafter, model, price or budget, or
// the presets arrived): the prompt follows it and estimates again.
draftStore.subscribe((s, previous) => {
  const p = partialStore.get().prompt;
  if (p?.phase !== 'ask' || (s.choice === previous.choice && s.presets === previous.presets)) return;
  const useModel = usingModel();
  if (useModel !== p.useModel) {
    patch({
      useModel,
      needsModel: p.mode === 'rewrite-line' && !useModel,
      estimate: null,
      estimatedFor: null,
      estimateError: null,
      confirmQueued: false,
    });
  }
  if (useModel && p.estimatedFor !== estimateKey(p)) scheduleEstimate(ESTIMATE_DELAY_MS);
});

function scheduleEstimate(delay: number): void {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(() => void refreshEstimate(), delay);
}

function partialOf(p: PartialPromptState): PartialDraft {
  const instruction = p.instruction.trim();
  return {
    mode: p.mode,
    lines: studio.get().episode.lines,
    lineId: p.lineId,
    ...(instruction ? { instruction } : {}),
  };
}

/** True when an estimate asked for as `seq` for prompt `p` is still the one the prompt wants. */
function current(seq: number, p: PartialPromptState): boolean {
  return seq === estimateSeq && partialStore.get().prompt?.openId === p.openId;
}

async function refreshEstimate(): Promise<void> {
  const p = partialStore.get().prompt;
  const llm = llmChoiceOf(draftStore.get());
  if (!p || p.phase !== 'ask' || !p.useModel || !llm) return;
  const seq = ++estimateSeq;
  const key = estimateKey(p);
  const { episode } = studio.get();
  try {
    const estimate = await getStudio().draftEstimate({
      article: episode.article,
      show: episode.show,
      personas: episode.personas,
      llm,
      partial: partialOf(p),
    });
    if (current(seq, p)) patch({ estimate, estimatedFor: key, estimateError: null });
  } catch (err) {
    if (current(seq, p)) patch({ estimate: null, estimatedFor: key, estimateError: errorMessage(err) });
  }
  // A confirm that waited for this estimate goes ahead now (or says why it cannot).
  const now = partialStore.get().prompt;
  if (now?.confirmQueued && now.openId === p.openId && !estimatePending(now)) {
    patch({ confirmQueued: false });
    void confirmPartial();
  }
}

// ---- running ---------------------------------------------------------------------------------

/** The job in flight, with how its lines reach the editor. */
let active: {
  jobId: string;
  mode: PartialMode;
  /**
   * The episode it was started in ({@link projectGeneration}): line ids repeat across projects,
   * so anchors alone could find a place in another one.
   */
  generation: number;
  /** The lines the redraft replaces, as they were: put back when it fails. */
  original?: ScriptLine[];
  /** The line rewritten and its words when the rewrite was asked for. */
  target?: { lineId: string; text: string };
  writer?: RegionWriter | null;
  /** Region anchors: the last kept line above and the first kept line below. */
  anchors?: { after: string | null; until: string | null };
  lost: boolean;
} | null = null;
/**
 * Snapshots that arrived while a start call was in flight, before its job id was known. Only
 * kept then (a late event of an ended job is dropped), the newest few, and cleared when the
 * start call returns.
 */
const early = new EarlyEvents<ScriptLine[]>(4);
let starting = false;
/** Stop was pressed before the start call answered. */
let stopAsked = false;

/** Why the prompt cannot run now, or null. */
export function partialProblem(p: PartialPromptState): string | null {
  if (p.needsModel) return 'Rewriting a line needs a model.';
  if (p.mode === 'rewrite-line' && !p.instruction.trim()) return 'Say how the line should change.';
  if (p.useModel) {
    const problem = configProblem(draftStore.get());
    if (problem) return problem;
    if (!llmChoiceOf(draftStore.get())) return 'Choose a model under Drafter (or the offline drafter).';
    // (An estimate for an older instruction or model says nothing about this one.)
    if (p.estimate && !p.estimate.withinBudget && !estimatePending(p))
      return 'The estimated cost is above the budget cap: raise the budget or pick a cheaper model.';
  }
  return null;
}

/** Starts the rewrite or redraft the prompt describes. */
export async function confirmPartial(): Promise<void> {
  const asked = partialStore.get().prompt;
  if (!asked || asked.phase === 'running') return;
  const problem = partialProblem(asked);
  if (problem) {
    patch({ error: problem });
    return;
  }
  if (estimatePending(asked)) {
    // The cost of what would run is on its way: start once it is in (and within the budget).
    patch({ confirmQueued: true, error: null });
    return;
  }
  const article = await currentArticle();
  // The prompt closes when another project opens: its line belongs to the old one. Updates to
  // the same prompt meanwhile (a new estimate, its position) do not stop it.
  const p = partialStore.get().prompt;
  if (!article || p?.openId !== asked.openId || p.phase === 'running') return;
  // The instruction or the model may have changed meanwhile: run only what the prompt shows.
  const changed = partialProblem(p);
  if (changed) return patch({ error: changed });
  if (estimatePending(p)) return patch({ confirmQueued: true, error: null });
  const { episode } = studio.get();
  const generation = projectGeneration();
  const llm = p.useModel ? llmChoiceOf(draftStore.get()) : undefined;
  const brief = {
    article,
    show: episode.show,
    personas: episode.personas,
    lines: episode.lines,
    lineId: p.lineId,
  };
  patch({ phase: 'running', error: null, arrived: 0, usage: undefined, flagged: 0 });
  starting = true;
  stopAsked = false;
  early.clear();
  try {
    if (p.mode === 'rewrite-line') {
      const target = episode.lines.find((l) => l.id === p.lineId);
      if (!llm || target?.kind !== 'speech') throw new Error('The line or the model settings changed.');
      const { jobId } = await getStudio().draftRewriteLine({
        ...brief,
        instruction: p.instruction.trim(),
        llm,
      });
      active = {
        jobId,
        mode: p.mode,
        generation,
        target: { lineId: target.id, text: target.text },
        lost: false,
      };
    } else {
      const region = redraftRegion(episode.lines, p.lineId);
      const instruction = p.instruction.trim();
      const { jobId } = await getStudio().draftRedraftFrom({
        ...brief,
        ...(instruction ? { instruction } : {}),
        ...(llm ? { llm } : {}),
      });
      active = {
        jobId,
        mode: p.mode,
        generation,
        original: episode.lines.slice(region.start, region.end),
        anchors: {
          after: region.head.at(-1)?.id ?? null,
          until: episode.lines[region.end]?.id ?? null,
        },
        lost: false,
      };
    }
    if (generation !== projectGeneration()) {
      // Another project opened while the job was being started: it has no place in this one.
      const jobId = active.jobId;
      active = null;
      void getStudio()
        .jobCancel({ jobId })
        .catch(() => undefined);
      return;
    }
    patch({ jobId: active.jobId });
    const pending = early.take(active.jobId);
    early.clear();
    starting = false;
    if (pending) handlePartialLines({ jobId: active.jobId, lines: pending });
    if (stopAsked) void stopPartial();
    settle();
  } catch (err) {
    active = null;
    if (generation === projectGeneration()) patch({ phase: 'failed', error: errorMessage(err) });
  } finally {
    starting = false;
    early.clear();
  }
}

/** Streamed new lines of a redraft: they replace the region in the editor (one undo step). */
export function handlePartialLines(ev: { jobId: string; lines: ScriptLine[] }): void {
  if (!active || active.jobId !== ev.jobId) {
    if (!active && starting) early.keep(ev.jobId, () => ev.lines);
    return;
  }
  if (ev.lines.length === 0 || active.lost) return;
  writeRegion(active, ev.lines);
  patch({ arrived: ev.lines.length });
}

function writeRegion(run: NonNullable<typeof active>, lines: readonly ScriptLine[]): boolean {
  if (!run.anchors || run.lost || run.generation !== projectGeneration()) return false;
  if (run.writer === undefined)
    run.writer = editor?.beginRegion(run.anchors.after, run.anchors.until) ?? null;
  if (!run.writer || !run.writer.write(lines)) {
    run.lost = true;
    return false;
  }
  return true;
}

/** Subscribes to streamed redraft lines; returns the unsubscribe function. */
export function subscribePartialLines(): () => void {
  return getStudio().on('draftPartialLines', handlePartialLines);
}

export async function stopPartial(): Promise<void> {
  if (!active) {
    // Stop pressed while the start call is on its way: stop the job as soon as its id is known.
    if (starting) stopAsked = true;
    return;
  }
  try {
    await getStudio().jobCancel({ jobId: active.jobId });
  } catch (err) {
    patch({ error: `Could not stop it: ${errorMessage(err)}` });
  }
}

/** Folds the finished job into the editor and the prompt, once. */
function settle(): void {
  if (!active) return;
  const job = studio.get().jobs[active.jobId];
  if (!job || !isJobOver(job.status)) return;
  const run = active;
  active = null;
  early.clear();
  if (run.generation !== projectGeneration()) return;
  const result = job.result?.kind === 'draft-partial' ? job.result : undefined;
  let error = job.status === 'failed' ? (job.error?.message ?? 'It failed.') : null;
  if (job.status === 'failed' && run.writer && run.original) {
    // Lines of a reply that was then rejected must not stand in for the producer's: put the old
    // ones back inside the same undo step (so Ctrl+Z has nothing half-done to walk through).
    error = run.writer.write(run.original)
      ? `${error} The lines from here on were put back as they were.`
      : `${error} The lines around the redraft changed, so the streamed lines could not be taken out; Ctrl+Z brings the old ones back.`;
  }
  let ids: string[] = [];
  if (job.status === 'done' && result) {
    if (run.mode === 'rewrite-line' && run.target) {
      const line = result.lines[0];
      const applied =
        line?.kind === 'speech' && editor?.replaceLineText(run.target.lineId, run.target.text, line.text);
      if (!applied) {
        error = `The line changed while it was being rewritten, so the rewrite was not applied. It said: “${line?.kind === 'speech' ? line.text : ''}”`;
      } else ids = [run.target.lineId];
    } else if (result.lines.length > 0 && !writeRegion(run, result.lines)) {
      error = 'The lines around the redraft changed while it ran, so the rest of it was not applied.';
    }
  }
  if (run.writer) ids = run.writer.end();
  // Sources follow the lines to the ids the editor gave them (by position).
  if (result?.sources && ids.length > 0) {
    const sources: Record<string, string[]> = {};
    result.lines.forEach((l, i) => {
      const cited = result.sources?.[l.id];
      if (cited && ids[i]) sources[ids[i]] = cited;
    });
    draftStore.set((s) => ({
      last: s.last
        ? { ...s.last, sources: { ...s.last.sources, ...sources } }
        : { jobId: run.jobId, drafter: result.drafter, status: 'done', sources },
    }));
  }
  patch({
    phase: error && job.status !== 'canceled' ? 'failed' : (job.status as 'done' | 'canceled'),
    error,
    usage: result?.usage,
    flagged: result?.grounding.reduce((n, g) => n + g.issues.length, 0) ?? 0,
  });
}

studio.subscribe((s, p) => {
  if (active && s.jobs[active.jobId] !== p.jobs[active.jobId]) settle();
});

// Another episode replaced this one: a running rewrite or redraft stops, its late lines are
// dropped (nothing is buffered once no start call is in flight), and the prompt closes.
onProjectReset(() => {
  clearTimeout(estimateTimer);
  early.clear();
  const run = active;
  active = null;
  if (run) {
    void getStudio()
      .jobCancel({ jobId: run.jobId })
      .catch(() => undefined);
  }
  partialStore.set({ prompt: null });
});
