/**
 * Drafting with any OpenAI-compatible model through the `openai` client: a cost estimate and a
 * budget cap before anything is sent; a streamed, structured-JSON request whose lines are handed
 * to the editor as they complete; tolerant parsing with one repair round-trip; one retry when the
 * model invents speakers; retries for 429 (honouring Retry-After), 5xx and timeouts; a stall
 * watchdog; cancellation that keeps what arrived; and grounding of the result against the
 * article. Every failure is a {@link DraftError} with a sentence a producer understands.
 */
import OpenAI from 'openai';
import { StudioError, type DraftResult, type ErrorCode } from '../../../shared/contract';
import { groundingForScript, type LineGrounding } from '../../../shared/draft/grounding';
import {
  DRAFT_JSON_SCHEMA,
  LlmDraftSchema,
  LlmLinesSchema,
  normalizeLlmDraft,
  normalizeLlmLines,
  toDraftResult,
  toScriptLines,
  type LlmDraft,
  type LlmLine,
} from '../../../shared/draft/llm-schema';
import { articleGroundingText, type ScriptLine, type SpeechLine } from '../../../shared/model/episode';
import { freshIds, type PartialMode } from '../../../shared/draft/partial';
import type { JobContext } from '../jobs/job-manager';
import {
  buildDraftMessages,
  DEFAULT_MAX_ARTICLE_CHARS,
  estimateOutputTokens,
  estimateTokens,
  repairMessage,
  speakersMessage,
  expectedLineCount,
  type ChatMessage,
  type DraftBrief,
} from './prompt';
import {
  buildRedraftMessages,
  buildRewriteMessages,
  estimateRedraftOutputTokens,
  estimateRewriteOutputTokens,
  LINES_JSON_SCHEMA,
  partialRepairMessage,
  partialSpeakersMessage,
  type PartialBrief,
} from './partial-prompt';
import { parseTolerantJson, StreamingLinesScanner } from './tolerant-json';

/** Where and how to reach the model. The key is looked up by the caller, never stored here. */
export type LlmProvider = {
  /** OpenAI-compatible base URL, e.g. https://api.deepseek.com/v1. */
  baseURL: string;
  model: string;
  /** API key; omit for local servers (Ollama, LM Studio). */
  apiKey?: string;
  /** US dollars per 1M input tokens. */
  inputPricePerM: number;
  /** US dollars per 1M output tokens. */
  outputPricePerM: number;
  /** Ask for `json_schema` structured output (else `json_object`). Default false. */
  supportsJsonSchema?: boolean;
};

/** Input of {@link LlmDrafter.draft} and {@link LlmDrafter.estimate}. */
export type LlmDraftInput = DraftBrief & {
  provider: LlmProvider;
  /** Refuse to start when the estimated cost is above this many US dollars. */
  budgetUsd?: number;
};

/** Tokens and cost of a draft. */
export type DraftUsage = {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
};

/** Actual usage over every request of a draft (retries and repairs included). */
export type DraftUsageReport = DraftUsage & {
  /** Requests sent (1 when nothing went wrong). */
  requests: number;
  /** True when a provider did not report usage and some numbers are estimates. */
  estimated: boolean;
};

/** What a finished draft returns. */
export type LlmDraftOutput = {
  draft: DraftResult;
  usage: DraftUsageReport;
  /** Claims in the script that the article does not support, per line. */
  grounding: LineGrounding[];
  /** Article sentences each speech line relies on, by line id, as the model cited them. */
  sources: Record<string, string[]>;
  /** True when the article was too long and was condensed for the model. */
  condensed: boolean;
};

/** What a rewrite or a redraft returns: the new lines of the region only. */
export type LlmPartialOutput = {
  /** The rewritten line (same id and speaker), or the redrafted lines (fresh ids). */
  lines: ScriptLine[];
  usage: DraftUsageReport;
  /** Claims in the new lines that the article does not support. */
  grounding: LineGrounding[];
  /** Article sentences each new line relies on, by line id. */
  sources: Record<string, string[]>;
  condensed: boolean;
};

/** A draft that failed, with the lines that had arrived (the editor keeps them). */
export class DraftError extends StudioError {
  constructor(
    code: ErrorCode,
    message: string,
    /** Complete lines received before the failure, in script form. */
    readonly partialLines: ScriptLine[] = [],
    /** What the draft had cost when it failed (undefined when nothing was sent). */
    readonly usage?: DraftUsageReport,
  ) {
    super(code, message);
    this.name = 'DraftError';
  }
}

/** Options of {@link LlmDrafter}. */
export type LlmDrafterOptions = {
  /** fetch handed to the OpenAI client (global fetch by default). */
  fetch?: typeof fetch;
  /**
   * Longest silence allowed while waiting for the first byte or between stream chunks, in ms
   * (default 60 s). The client's own timeout covers headers only, so a stalled stream needs this.
   */
  idleTimeoutMs?: number;
  /** Retries for 429, 5xx, timeouts and dropped connections (default 2). */
  maxRetries?: number;
  /** First backoff for 5xx and timeouts, doubled on each retry (default 1000 ms). */
  retryBaseMs?: number;
  /** Longest Retry-After the drafter waits for; a longer one fails at once (default 120 s). */
  maxRetryAfterMs?: number;
  /** Article characters sent before condensing (default {@link DEFAULT_MAX_ARTICLE_CHARS}). */
  maxArticleChars?: number;
  /** Upper bound of `max_tokens` (default 8192, which every preset accepts). */
  maxOutputTokens?: number;
  /** Waits `ms` unless `signal` aborts first (injectable for tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
};

type Format = 'json_schema' | 'json_object' | 'none';

/** Request parameters that a provider may refuse, and how each is toned down on HTTP 400. */
type Knobs = {
  format: Format;
  streamOptions: boolean;
  maxTokensParam: 'max_tokens' | 'max_completion_tokens' | 'none';
};

/** What one exchange with the model expects back, and the words for its failures. */
type ReplySpec<T> = {
  /** The JSON Schema sent as `response_format` to providers that support it. */
  responseFormat: { name: string; schema: object };
  /** Checks a parsed reply: its value and dialogue lines, or why it cannot be used. */
  validate(value: unknown): { ok: true; value: T; lines: LlmLine[] } | { ok: false; problem: string };
  /** The follow-up asking for a fixed reply. */
  repair(problem: string): ChatMessage;
  /** Speakers allowed in the reply. */
  hosts: string[];
  /** The follow-up after lines for speakers not in `hosts`. */
  speakersMessage(unknown: string[]): ChatMessage;
  /** Producer's words when speakers are still wrong after the follow-up. */
  unknownSpeakers(unknown: string[]): string;
  /** Producer's words when the reply is still unusable after the repair. */
  unusable(problem: string): string;
  /** About how many lines the reply has (for progress). */
  expectedLines: number;
  /** Expected reply tokens (for `max_tokens` and follow-up budget checks). */
  outputTokens: number;
  /** Streamed lines as the script lines the editor shows (and a failure keeps). */
  toScript(lines: readonly LlmLine[]): ScriptLine[];
  /** Progress label ("Drafting", "Redrafting"). */
  label: string;
};

/** What the requests of one exchange share: usage so far, the best lines, request knobs. */
type ConverseState = {
  usage: DraftUsageReport;
  best: ScriptLine[];
  knobs: Knobs;
  maxTokens: number;
  responseFormat: { name: string; schema: object };
};

/** "the JSON does not have the expected shape (lines.0.speaker: Required)". */
function shapeProblem(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `the JSON does not have the expected shape (${issue?.path.map(String).join('.') || 'root'}: ${issue?.message ?? 'invalid'})`;
}

/** Gives script lines (and their sources) the ids `idAt(0)`, `idAt(1)`, … in order. */
function renumber(
  script: { lines: ScriptLine[]; sources: Record<string, string[]> },
  idAt: (i: number) => string,
): { lines: ScriptLine[]; sources: Record<string, string[]> } {
  const sources: Record<string, string[]> = {};
  const lines = script.lines.map((l, i) => {
    const id = idAt(i);
    if (script.sources[l.id]) sources[id] = script.sources[l.id];
    return { ...l, id };
  });
  return { lines, sources };
}

/** Thrown by the watchdog when no chunk arrived for `idleTimeoutMs`. */
class StallError extends Error {
  constructor(readonly linesSeen: number) {
    super('stalled');
  }
}

/** One streamed reply. */
type Reply = { text: string; finishReason?: string; lines: readonly LlmLine[] };

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Host of a base URL, for messages ("api.deepseek.com"). */
function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

function isLocal(baseURL: string): boolean {
  return /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$/.test(hostOf(baseURL));
}

/** Milliseconds a 429 asks to wait: `retry-after-ms`, `retry-after` seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** "60 seconds", "0.3 seconds". */
function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} seconds` : `${(ms / 1000).toFixed(1)} seconds`;
}

/** "$0.0123" for small amounts, "$1.23" otherwise. */
export function formatUsd(usd: number): string {
  return usd < 0.1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/**
 * Why a draft, rewrite or redraft estimated at `estimate` may not start under `budgetUsd`, in the
 * producer's words, or null when it fits (or there is no budget). The one wording of the refusal
 * for the service's early check and the drafter's own.
 */
export function overBudgetMessage(
  estimate: { costUsd: number; inputTokens: number; outputTokens: number },
  budgetUsd: number | undefined,
  what: 'draft' | PartialMode,
): string | null {
  if (budgetUsd === undefined || estimate.costUsd <= budgetUsd) return null;
  const doing =
    what === 'draft'
      ? 'This draft'
      : what === 'rewrite-line'
        ? 'Rewriting this line'
        : 'Redrafting from here';
  const fix =
    what === 'draft'
      ? 'Raise the budget, shorten the episode or pick a cheaper model.'
      : 'Raise the budget or pick a cheaper model.';
  return `${doing} would cost about ${formatUsd(estimate.costUsd)} (${estimate.inputTokens.toLocaleString('en-US')} tokens in, about ${estimate.outputTokens.toLocaleString('en-US')} out), more than the episode's budget of ${formatUsd(budgetUsd)}. ${fix}`;
}

/** Drafts scripts with OpenAI-compatible models. */
export class LlmDrafter {
  private readonly idleTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  /** Article characters sent before condensing. */
  readonly maxArticleChars: number;
  private readonly maxOutputTokens: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly options: LlmDrafterOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.maxArticleChars = options.maxArticleChars ?? DEFAULT_MAX_ARTICLE_CHARS;
    this.maxOutputTokens = options.maxOutputTokens ?? 8_192;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Estimated tokens and cost of a draft before it is sent. Input: the real prompt (after
   * condensing) at one token per 4 characters (one per CJK character). Output: the target
   * length's dialogue, the sources each line cites and the summary and analysis, counted the
   * same way. Repairs and retries are not included; the actual usage is reported afterwards.
   */
  estimate(input: LlmDraftInput): DraftUsage {
    const { messages } = buildDraftMessages(input, this.maxArticleChars);
    const inputTokens = messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
    const outputTokens = estimateOutputTokens(input);
    return { inputTokens, outputTokens, costUsd: this.cost(input.provider, inputTokens, outputTokens) };
  }

  /**
   * Drafts a script. Lines are passed to `onLines` as they complete while the reply streams in:
   * each call carries every complete line so far (a snapshot; a retry or repair starts a new
   * one), so the editor can simply show the latest.
   *
   * @throws DraftError with `partialLines`: `over-budget` (estimate above `budgetUsd`, nothing
   *   sent), `auth` (401/403), `not-found` (unknown model or URL), `rate-limited` (429 after
   *   retries), `timeout` (no answer, or a stall mid-stream), `network`, `provider` (5xx after
   *   retries, unusable JSON after the repair round-trip, unknown speakers after the retry,
   *   other refusals), `canceled` (ctx.signal)
   */
  async draft(
    ctx: JobContext,
    input: LlmDraftInput,
    onLines: (lines: ScriptLine[]) => void,
  ): Promise<LlmDraftOutput> {
    const { provider } = input;
    const estimate = this.estimate(input);
    const over = overBudgetMessage(estimate, input.budgetUsd, 'draft');
    if (over) throw new DraftError('over-budget', over);
    const { messages, condensed } = buildDraftMessages(input, this.maxArticleChars);
    const out = await this.converse<LlmDraft>(
      ctx,
      input,
      messages,
      {
        responseFormat: { name: 'podcast_draft', schema: DRAFT_JSON_SCHEMA },
        validate: (value) => {
          const checked = LlmDraftSchema.safeParse(normalizeLlmDraft(value));
          return checked.success
            ? { ok: true, value: checked.data, lines: checked.data.lines }
            : { ok: false, problem: shapeProblem(checked.error) };
        },
        repair: repairMessage,
        hosts: input.personas.map((p) => p.name),
        speakersMessage: (unknown) => speakersMessage(unknown, input.personas),
        unknownSpeakers: (unknown) =>
          `${provider.model} kept writing lines for speakers who are not hosts of the show (${unknown.join(', ')}). Rename them in the editor, or try again.`,
        unusable: (problem) =>
          `${provider.model} did not return a usable script, even after being asked to fix its reply (${problem}). Try again or pick another model.`,
        expectedLines: expectedLineCount(input),
        outputTokens: estimate.outputTokens,
        toScript: (lines) => toScriptLines(lines).lines,
        label: 'Drafting',
      },
      onLines,
    );
    const result = toDraftResult({ ...out.value, lines: out.lines });
    const grounding = groundingForScript(result.draft.lines, articleGroundingText(input.article));
    ctx.progress(100, 'Draft ready');
    return {
      draft: result.draft,
      usage: out.usage,
      grounding,
      sources: result.sources,
      condensed,
    };
  }

  /**
   * Estimated tokens and cost of rewriting a line or redrafting from a line: the real prompt
   * (kept lines, neighbours, persona, article) counted as in {@link estimate}; the reply sized
   * to the line (rewrite) or to the target length less the kept lines (redraft).
   *
   * @throws StudioError when the line cannot be rewritten or redrafted from (see partial.ts)
   */
  estimatePartial(input: LlmDraftInput & PartialBrief, mode: PartialMode): DraftUsage {
    let messages: ChatMessage[];
    let outputTokens: number;
    if (mode === 'rewrite-line') {
      const built = buildRewriteMessages(input, this.maxArticleChars);
      messages = built.messages;
      outputTokens = estimateRewriteOutputTokens(built.lineText);
    } else {
      const built = buildRedraftMessages(input, this.maxArticleChars);
      messages = built.messages;
      outputTokens = estimateRedraftOutputTokens(built.length);
    }
    const inputTokens = messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
    return { inputTokens, outputTokens, costUsd: this.cost(input.provider, inputTokens, outputTokens) };
  }

  /**
   * Rewrites one speech line following the producer's instruction: one line back, for the same
   * speaker, keeping the line's id; grounded against the article like any drafted line.
   *
   * @throws DraftError as {@link draft} does (`provider` when the model keeps giving the line to
   *   another speaker or keeps replying with something other than one line)
   */
  async rewriteLine(ctx: JobContext, input: LlmDraftInput & PartialBrief): Promise<LlmPartialOutput> {
    const { provider } = input;
    this.refusePartialOverBudget(input, 'rewrite-line');
    const built = buildRewriteMessages(input, this.maxArticleChars);
    const target = input.lines.find((l) => l.id === input.lineId) as SpeechLine;
    const out = await this.converse<LlmLine>(ctx, input, built.messages, {
      responseFormat: { name: 'rewritten_line', schema: LINES_JSON_SCHEMA },
      validate: (value) => {
        const checked = LlmLinesSchema.safeParse(normalizeLlmLines(value));
        if (!checked.success) return { ok: false, problem: shapeProblem(checked.error) };
        const lines = checked.data.lines;
        if (lines.length !== 1)
          return { ok: false, problem: `it has ${lines.length} lines where exactly one was asked for` };
        return { ok: true, value: lines[0], lines };
      },
      repair: (problem) => partialRepairMessage(problem, 'rewrite-line'),
      hosts: [built.speaker],
      speakersMessage: (unknown) => partialSpeakersMessage(unknown, [built.speaker]),
      unknownSpeakers: (unknown) =>
        `${provider.model} kept giving the line to ${unknown.join(', ')} instead of ${built.speaker}. The line is unchanged; try again or pick another model.`,
      unusable: (problem) =>
        `${provider.model} did not return a usable line, even after being asked to fix its reply (${problem}). The line is unchanged; try again or pick another model.`,
      expectedLines: 1,
      outputTokens: estimateRewriteOutputTokens(built.lineText),
      toScript: () => [],
      label: 'Rewriting the line',
    });
    const line: SpeechLine = {
      kind: 'speech',
      id: target.id,
      speaker: target.speaker,
      text: out.lines[0].text.replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    };
    const sources = out.lines[0].sources.map((x) => x.replace(/\s+/g, ' ').trim()).filter((x) => x !== '');
    ctx.progress(100, 'Line rewritten');
    return {
      lines: [line],
      usage: out.usage,
      grounding: groundingForScript([line], articleGroundingText(input.article)),
      sources: sources.length > 0 ? { [line.id]: sources } : {},
      condensed: built.condensed,
    };
  }

  /**
   * Redrafts from a line to the end of the dialogue (see `redraftRegion`): the model continues
   * after the kept lines; the new lines stream to `onLines` (snapshots of the region only) with
   * provisional ids no script line has (the editor then gives them the replaced lines' ids). The
   * kept lines are never part of what is returned or streamed.
   *
   * @throws DraftError as {@link draft} does; `partialLines` are the new lines that arrived
   */
  async redraftFrom(
    ctx: JobContext,
    input: LlmDraftInput & PartialBrief,
    onLines: (lines: ScriptLine[]) => void,
  ): Promise<LlmPartialOutput> {
    const { provider } = input;
    this.refusePartialOverBudget(input, 'redraft-from');
    const built = buildRedraftMessages(input, this.maxArticleChars);
    // One id source for the whole job, so a line keeps its id from snapshot to snapshot.
    const fresh = freshIds(input.lines);
    const ids: string[] = [];
    const idAt = (i: number) => (ids[i] ??= fresh());
    const toScript = (lines: readonly LlmLine[]) => renumber(toScriptLines(lines), idAt);
    const out = await this.converse<LlmLine[]>(
      ctx,
      input,
      built.messages,
      {
        responseFormat: { name: 'script_continuation', schema: LINES_JSON_SCHEMA },
        validate: (value) => {
          const checked = LlmLinesSchema.safeParse(normalizeLlmLines(value));
          return checked.success
            ? { ok: true, value: checked.data.lines, lines: checked.data.lines }
            : { ok: false, problem: shapeProblem(checked.error) };
        },
        repair: (problem) => partialRepairMessage(problem, 'redraft-from'),
        hosts: input.personas.map((p) => p.name),
        speakersMessage: (unknown) =>
          partialSpeakersMessage(
            unknown,
            input.personas.map((p) => p.name),
          ),
        unknownSpeakers: (unknown) =>
          `${provider.model} kept writing lines for speakers who are not hosts of the show (${unknown.join(', ')}). The lines above are unchanged; rename the speakers in the editor, or try again.`,
        unusable: (problem) =>
          `${provider.model} did not return usable lines, even after being asked to fix its reply (${problem}). The lines above are unchanged; try again or pick another model.`,
        expectedLines: built.length.lines,
        outputTokens: estimateRedraftOutputTokens(built.length),
        toScript: (lines) => toScript(lines).lines,
        label: 'Redrafting',
      },
      onLines,
    );
    const { lines, sources } = toScript(out.lines);
    ctx.progress(100, 'Redraft ready');
    return {
      lines,
      usage: out.usage,
      grounding: groundingForScript(lines, articleGroundingText(input.article)),
      sources,
      condensed: built.condensed,
    };
  }

  /** Refuses a rewrite or redraft whose estimate is above the budget, before anything is sent. */
  private refusePartialOverBudget(input: LlmDraftInput & PartialBrief, mode: PartialMode): void {
    if (input.budgetUsd === undefined) return;
    const over = overBudgetMessage(this.estimatePartial(input, mode), input.budgetUsd, mode);
    if (over) throw new DraftError('over-budget', over);
  }

  /**
   * One exchange with the model up to a usable reply: streams (with retries), parses tolerantly,
   * validates with `spec`, asks once for a repair of unusable JSON and once again when speakers
   * are not among `spec.hosts`. Every follow-up request is checked against the budget first.
   */
  private async converse<T>(
    ctx: JobContext,
    input: LlmDraftInput,
    messages: ChatMessage[],
    spec: ReplySpec<T>,
    onLines?: (lines: ScriptLine[]) => void,
  ): Promise<{ value: T; lines: LlmLine[]; usage: DraftUsageReport }> {
    const { provider } = input;
    const client = new OpenAI({
      apiKey: provider.apiKey || 'not-needed',
      baseURL: provider.baseURL.replace(/\/+$/, ''),
      // Never forward OpenAI organisation/project ids from the environment to other vendors.
      organization: null,
      project: null,
      maxRetries: 0,
      // The client's own logging could print request details; the studio reports errors itself.
      logLevel: 'off',
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    const state: ConverseState = {
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, requests: 0, estimated: false },
      best: [] as ScriptLine[],
      knobs: {
        format: provider.supportsJsonSchema ? 'json_schema' : 'json_object',
        streamOptions: true,
        maxTokensParam: 'max_tokens',
      },
      maxTokens: Math.min(this.maxOutputTokens, Math.max(4_096, Math.ceil(spec.outputTokens * 1.6))),
      responseFormat: spec.responseFormat,
    };
    const fail = (code: ErrorCode, message: string) =>
      new DraftError(code, message, state.best, { ...state.usage });
    const emit = (lines: readonly LlmLine[]) => {
      // The partial result is always the latest snapshot: the one the editor is showing.
      const script = spec.toScript(lines);
      state.best = script;
      onLines?.(script);
      const done = lines.length / spec.expectedLines;
      ctx.progress(
        10 + Math.min(80, Math.round(done * 80)),
        `${spec.label}: ${lines.length} line${lines.length === 1 ? '' : 's'} so far`,
      );
    };

    ctx.progress(5, `Asking ${provider.model} at ${hostOf(provider.baseURL)}`);
    let conversation: ChatMessage[] = messages;
    let repaired = false;
    let speakerRetry = false;
    for (;;) {
      const reply = await this.requestWithRetries(client, conversation, input, state, emit, fail, ctx);
      const parsed = parseTolerantJson(reply.text);
      let problem: string | undefined;
      let valid: { value: T; lines: LlmLine[] } | undefined;
      if (!parsed.ok) {
        problem =
          reply.finishReason === 'length' && parsed.reason === 'truncated'
            ? 'it was cut off at the output limit before the JSON was complete; write it more concisely'
            : parsed.detail;
      } else {
        const checked = spec.validate(parsed.value);
        if (checked.ok) valid = checked;
        else problem = checked.problem;
      }
      if (!valid) {
        if (repaired) throw fail('provider', spec.unusable(problem ?? 'invalid'));
        repaired = true;
        this.checkBudgetFor(
          input,
          state.usage.costUsd,
          [...messages, { role: 'assistant', content: reply.text }],
          spec.outputTokens,
          fail,
        );
        ctx.progress(50, 'The reply was not valid JSON; asking the model to fix it');
        conversation = [
          ...messages,
          { role: 'assistant', content: reply.text },
          spec.repair(problem ?? 'invalid'),
        ];
        continue;
      }
      const { lines, unknown } = matchSpeakers(valid.lines, spec.hosts);
      if (unknown.length > 0) {
        if (speakerRetry) throw fail('provider', spec.unknownSpeakers(unknown));
        speakerRetry = true;
        this.checkBudgetFor(
          input,
          state.usage.costUsd,
          [...messages, { role: 'assistant', content: reply.text }],
          spec.outputTokens,
          fail,
        );
        ctx.progress(50, `Unknown speakers (${unknown.join(', ')}); asking again with the host list`);
        conversation = [
          ...messages,
          { role: 'assistant', content: reply.text },
          spec.speakersMessage(unknown),
        ];
        continue;
      }
      return { value: valid.value, lines, usage: { ...state.usage } };
    }
  }

  private cost(p: LlmProvider, inputTokens: number, outputTokens: number): number {
    return (inputTokens * p.inputPricePerM + outputTokens * p.outputPricePerM) / 1_000_000;
  }

  /** Refuses a follow-up request (repair, speaker retry) that would go over the budget. */
  private checkBudgetFor(
    input: LlmDraftInput,
    spent: number,
    conversation: ChatMessage[],
    outputTokens: number,
    fail: (code: ErrorCode, message: string) => DraftError,
  ): void {
    if (input.budgetUsd === undefined) return;
    const inTokens = conversation.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
    const next = this.cost(input.provider, inTokens, outputTokens);
    if (spent + next > input.budgetUsd) {
      throw fail(
        'over-budget',
        `The reply needs another request to be usable, which would bring the cost to about ${formatUsd(spent + next)}, over the budget of ${formatUsd(input.budgetUsd)}. Raise the budget and try again.`,
      );
    }
  }

  /** One streamed request with the retry policy around it. */
  private async requestWithRetries(
    client: OpenAI,
    conversation: ChatMessage[],
    input: LlmDraftInput,
    state: ConverseState,
    emit: (lines: readonly LlmLine[]) => void,
    fail: (code: ErrorCode, message: string) => DraftError,
    ctx: JobContext,
  ): Promise<Reply> {
    const { provider } = input;
    const host = hostOf(provider.baseURL);
    let attempt = 0;
    for (;;) {
      try {
        return await this.streamOnce(client, conversation, input, state, emit, ctx);
      } catch (err) {
        if (ctx.signal.aborted) throw fail('canceled', 'Canceled; the lines that arrived are kept.');
        if (err instanceof StallError && err.linesSeen > 0) {
          throw fail(
            'timeout',
            `${provider.model} stopped sending mid-way: nothing arrived for ${seconds(this.idleTimeoutMs)} after ${err.linesSeen} line${err.linesSeen === 1 ? '' : 's'}. Those lines are kept; draft again to get the rest.`,
          );
        }
        if (err instanceof OpenAI.BadRequestError) {
          const text = String(err.message);
          if (this.degrade(state.knobs, text)) continue;
          throw fail(
            'provider',
            `${host} refused the request (HTTP 400): ${scrub(text, provider.apiKey).slice(0, 300)}`,
          );
        }
        if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
          throw fail(
            'auth',
            provider.apiKey
              ? `${host} refused the API key (HTTP ${err.status}). Check the key in the provider settings; it may be wrong, expired or without credit.`
              : `${host} needs an API key (HTTP ${err.status}). Add one in the provider settings.`,
          );
        }
        if (err instanceof OpenAI.NotFoundError) {
          throw fail(
            'not-found',
            `${host} does not know the model “${provider.model}” (HTTP 404). Check the model name — “Test connection” lists the models it offers — and the base URL.`,
          );
        }
        const retry = this.retryPlan(err, attempt, host, provider);
        if (!retry.retry || attempt >= this.maxRetries) throw fail(retry.code, retry.message);
        attempt++;
        ctx.progress(
          8,
          `${retry.progress} Retrying in ${Math.ceil(retry.waitMs / 1000)} s (${attempt}/${this.maxRetries}).`,
        );
        try {
          await this.sleep(retry.waitMs, ctx.signal);
        } catch {
          throw fail('canceled', 'Canceled; the lines that arrived are kept.');
        }
      }
    }
  }

  /** Tones down a parameter the provider refused; false when there is nothing left to drop. */
  private degrade(knobs: Knobs, message: string): boolean {
    const m = message.toLowerCase();
    if (/response_format|json_schema|json_object|structured/.test(m) && knobs.format !== 'none') {
      knobs.format = knobs.format === 'json_schema' ? 'json_object' : 'none';
      return true;
    }
    if (m.includes('stream_options') && knobs.streamOptions) {
      knobs.streamOptions = false;
      return true;
    }
    if (m.includes('max_tokens') && knobs.maxTokensParam === 'max_tokens') {
      knobs.maxTokensParam = 'max_completion_tokens';
      return true;
    }
    if (m.includes('max_completion_tokens') && knobs.maxTokensParam === 'max_completion_tokens') {
      knobs.maxTokensParam = 'none';
      return true;
    }
    return false;
  }

  /** Whether and when to retry a failure, and the words for it when retries run out. */
  private retryPlan(
    err: unknown,
    attempt: number,
    host: string,
    provider: LlmProvider,
  ): { retry: boolean; waitMs: number; code: ErrorCode; message: string; progress: string } {
    const backoff = this.retryBaseMs * 2 ** attempt;
    const tries = `(tried ${attempt + 1} time${attempt === 0 ? '' : 's'})`;
    if (err instanceof OpenAI.RateLimitError) {
      const asked = retryAfterMs(err.headers as Headers | undefined);
      const waitMs = asked ?? backoff;
      if (waitMs > this.maxRetryAfterMs) {
        return {
          retry: false,
          waitMs,
          code: 'rate-limited',
          message: `${host} is rate-limiting requests and asks to wait ${Math.ceil(waitMs / 60_000)} minute(s). Try again later or pick another provider.`,
          progress: '',
        };
      }
      return {
        retry: true,
        waitMs,
        code: 'rate-limited',
        message: `${host} is rate-limiting requests (HTTP 429) ${tries}. Wait a minute and try again, or pick another model.`,
        progress: `${host} is busy (HTTP 429).`,
      };
    }
    if (err instanceof OpenAI.InternalServerError) {
      return {
        retry: true,
        waitMs: backoff,
        code: 'provider',
        message: `${host} had a server error (HTTP ${err.status}) ${tries}. Try again later or pick another provider.`,
        progress: `${host} had a server error (HTTP ${err.status}).`,
      };
    }
    if (err instanceof StallError || err instanceof OpenAI.APIConnectionTimeoutError) {
      return {
        retry: true,
        waitMs: backoff,
        code: 'timeout',
        message: `${provider.model} at ${host} did not answer within ${seconds(this.idleTimeoutMs)} ${tries}. Try again later or pick a faster model.`,
        progress: `${host} did not answer in time.`,
      };
    }
    if (err instanceof OpenAI.APIConnectionError || err instanceof TypeError || isSocketError(err)) {
      return {
        retry: true,
        waitMs: backoff,
        code: 'network',
        message: isLocal(provider.baseURL)
          ? `Could not reach the local model server at ${host} ${tries}. Is Ollama or LM Studio running with its server started?`
          : `Could not reach ${host}, or the connection dropped ${tries}. Check your internet connection and the base URL.`,
        progress: `The connection to ${host} failed.`,
      };
    }
    if (err instanceof OpenAI.APIError) {
      return {
        retry: false,
        waitMs: 0,
        code: 'provider',
        message: `${host} answered with an error${err.status ? ` (HTTP ${err.status})` : ''}: ${scrub(String(err.message), provider.apiKey).slice(0, 300)}`,
        progress: '',
      };
    }
    return {
      retry: false,
      waitMs: 0,
      code: 'internal',
      message: `Drafting failed: ${scrub(err instanceof Error ? err.message : String(err), provider.apiKey)}`,
      progress: '',
    };
  }

  /** Sends one streaming request and reads it, with the stall watchdog running throughout. */
  private async streamOnce(
    client: OpenAI,
    conversation: ChatMessage[],
    input: LlmDraftInput,
    state: ConverseState,
    emit: (lines: readonly LlmLine[]) => void,
    ctx: JobContext,
  ): Promise<Reply> {
    const { provider } = input;
    const { knobs } = state;
    const controller = new AbortController();
    const onCancel = () => controller.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    const scanner = new StreamingLinesScanner();
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort(new Error('stalled'));
      }, this.idleTimeoutMs);
    };
    let text = '';
    let finishReason: string | undefined;
    let reported: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    state.usage.requests++;
    const body: Record<string, unknown> = {
      model: provider.model,
      messages: conversation,
      stream: true,
    };
    if (knobs.streamOptions) body.stream_options = { include_usage: true };
    if (knobs.maxTokensParam !== 'none') body[knobs.maxTokensParam] = state.maxTokens;
    if (knobs.format === 'json_schema') {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: state.responseFormat.name, strict: true, schema: state.responseFormat.schema },
      };
    } else if (knobs.format === 'json_object') {
      body.response_format = { type: 'json_object' };
    }
    try {
      arm();
      const stream = (await client.chat.completions.create(
        body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
        { signal: controller.signal, maxRetries: 0 },
      )) as AsyncIterable<OpenAI.Chat.ChatCompletionChunk>;
      for await (const chunk of stream) {
        arm();
        if (chunk.usage) reported = chunk.usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const delta = choice?.delta?.content;
        if (typeof delta === 'string' && delta !== '') {
          text += delta;
          if (scanner.push(delta).length > 0) emit(scanner.lines);
        }
      }
      // The client ends the iteration quietly when its signal aborts; tell why it ended.
      if (controller.signal.aborted) throw controller.signal.reason ?? new Error('aborted');
      return { text, finishReason, lines: scanner.lines };
    } catch (err) {
      if (stalled && !ctx.signal.aborted) throw new StallError(scanner.lines.length);
      throw err;
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onCancel);
      const promptTokens =
        reported?.prompt_tokens ?? conversation.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
      const completionTokens = reported?.completion_tokens ?? estimateTokens(text);
      if (!reported && (text !== '' || stalled)) state.usage.estimated = true;
      // A request that failed before any reply (401, 429, 5xx) is not billed.
      if (reported || text !== '') {
        state.usage.inputTokens += promptTokens;
        state.usage.outputTokens += completionTokens;
        state.usage.costUsd += this.cost(provider, promptTokens, completionTokens);
      }
    }
  }
}

/** Errors undici raises when a socket closes mid-body ("terminated", ECONNRESET). */
function isSocketError(err: unknown): boolean {
  const e = err as { message?: string; cause?: { code?: string } } | undefined;
  return /terminated|socket|ECONNRESET|other side closed/i.test(
    `${e?.message ?? ''} ${e?.cause?.code ?? ''}`,
  );
}

/** Replaces any occurrence of the API key in a provider message. */
function scrub(message: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 6 ? message.split(apiKey).join('[key]') : message;
}

/**
 * Maps the model's speaker names onto the hosts: exact, then ignoring case, spaces and a
 * trailing colon. Returns the lines with canonical names and the names that matched no host.
 */
export function matchSpeakers(
  lines: readonly LlmLine[],
  hosts: readonly string[],
): { lines: LlmLine[]; unknown: string[] } {
  const fold = (s: string) => s.toLowerCase().replace(/[\s:]+/g, '');
  const byFold = new Map(hosts.map((h) => [fold(h), h]));
  const unknown = new Set<string>();
  const out = lines.map((l) => {
    const name = hosts.includes(l.speaker) ? l.speaker : byFold.get(fold(l.speaker));
    if (!name) unknown.add(l.speaker);
    return name ? { ...l, speaker: name } : l;
  });
  return { lines: out, unknown: [...unknown] };
}
