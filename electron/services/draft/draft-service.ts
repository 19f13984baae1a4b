/**
 * Drafting as the contract offers it: the offline drafter or a model, cost estimates and the
 * budget cap, provider presets with the state of their keys, "test connection", and API keys
 * kept in the back end. Keys are looked up here by provider id and handed to the drafter only.
 */
import OpenAI from 'openai';
import {
  StudioError,
  type DraftUsageShape,
  type JobResult,
  type LlmChoice,
  type PartialDraft,
  type ProviderPresetShape,
} from '../../../shared/contract';
import { redraftOffline, redraftRegion } from '../../../shared/draft/partial';
import { groundingForScript } from '../../../shared/draft/grounding';
import { draftOffline } from '../../../shared/draft/offline-drafter';
import { articleGroundingText, type ScriptLine } from '../../../shared/model/episode';
import type { JobContext } from '../jobs/job-manager';
import { overBudgetMessage, type LlmDrafter, type LlmProvider } from './llm-drafter';
import type { PartialBrief } from './partial-prompt';
import { condenseArticle, type DraftBrief } from './prompt';
import { findPreset, PROVIDER_PRESETS } from './providers';
import { maskKey, type SecretStore } from './secret-store';

/** What {@link DraftService} is built from. */
export type DraftServiceDeps = {
  drafter: LlmDrafter;
  /** Where API keys are kept (safeStorage in the app). */
  secrets: SecretStore;
  /** fetch for "test connection" (global fetch by default). */
  fetch?: typeof fetch;
  /** Time limit of "test connection" (default 15 s). */
  testTimeoutMs?: number;
};

/** Everything a draft needs, as the contract's `draftStart` request carries it. */
export type DraftRequest = DraftBrief & { llm?: LlmChoice };

/** A rewrite or redraft: the brief, the script as it is, the chosen line and the instruction. */
export type PartialRequest = PartialBrief & { llm?: LlmChoice };

/** The contract's drafting calls, minus the job plumbing. */
export class DraftService {
  constructor(private readonly deps: DraftServiceDeps) {}

  /** The presets with whether a key is stored for each (masked, never the key). */
  async presets(): Promise<ProviderPresetShape[]> {
    return Promise.all(
      PROVIDER_PRESETS.map(async (p) => {
        const key = await this.deps.secrets.get(p.id);
        return { ...p, hasKey: !!key, ...(key ? { maskedKey: maskKey(key) } : {}) };
      }),
    );
  }

  /** Stores a provider's key ("" removes it) and returns only its masked form. */
  async setApiKey(
    providerId: string,
    apiKey: string,
  ): Promise<{ providerId: string; hasKey: boolean; maskedKey?: string }> {
    const key = apiKey.trim();
    if (/\s/.test(key))
      throw new StudioError('bad-request', 'An API key has no spaces or line breaks in it.');
    await this.deps.secrets.set(providerId, key);
    return key ? { providerId, hasKey: true, maskedKey: maskKey(key) } : { providerId, hasKey: false };
  }

  /**
   * Lists the models at a base URL (GET /models) — the "test connection" action. Uses the key
   * given (not yet saved) or the one stored for `providerId`.
   */
  async testProvider(req: {
    baseURL: string;
    model?: string;
    apiKey?: string;
    providerId?: string;
  }): Promise<{ models: string[]; modelAvailable?: boolean }> {
    const apiKey =
      req.apiKey?.trim() || (req.providerId ? await this.deps.secrets.get(req.providerId) : undefined);
    const host = hostOf(req.baseURL);
    const client = new OpenAI({
      apiKey: apiKey || 'not-needed',
      baseURL: req.baseURL.replace(/\/+$/, ''),
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.deps.testTimeoutMs ?? 15_000,
      logLevel: 'off',
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    });
    const models: string[] = [];
    try {
      for await (const m of client.models.list()) {
        models.push(m.id);
        if (models.length >= 2_000) break;
      }
    } catch (err) {
      if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
        throw new StudioError(
          'auth',
          apiKey
            ? `${host} refused the API key (HTTP ${err.status}). Check that it is complete and still valid.`
            : `${host} needs an API key (HTTP ${err.status}).`,
        );
      }
      if (err instanceof OpenAI.NotFoundError) {
        throw new StudioError(
          'not-found',
          `${host} has no model list at that address (HTTP 404). Check the base URL — it usually ends in /v1.`,
        );
      }
      if (err instanceof OpenAI.APIConnectionTimeoutError) {
        throw new StudioError(
          'timeout',
          `${host} did not answer within ${Math.round((this.deps.testTimeoutMs ?? 15_000) / 1000)} seconds.`,
        );
      }
      if (err instanceof OpenAI.APIConnectionError) {
        throw new StudioError(
          'network',
          /^(?:localhost|127\.|\[::1\])/.test(host)
            ? `Nothing answers at ${host}. Is the local model server (Ollama, LM Studio) running?`
            : `Could not reach ${host}. Check the base URL and your connection.`,
        );
      }
      if (err instanceof OpenAI.APIError) {
        throw new StudioError(
          'provider',
          `${host} answered HTTP ${err.status ?? '?'} to the model list request.`,
        );
      }
      throw err;
    }
    models.sort((a, b) => a.localeCompare(b));
    return req.model ? { models, modelAvailable: models.includes(req.model) } : { models };
  }

  /**
   * Estimated tokens and cost of a model draft — or, with `partial`, of rewriting a line or
   * redrafting from a line — and whether it fits the budget.
   */
  estimate(
    req: DraftRequest & { llm: LlmChoice; partial?: PartialDraft },
  ): DraftUsageShape & { withinBudget: boolean; condensed: boolean } {
    const { partial, ...brief } = req;
    const provider = this.pricesOnly(req.llm);
    const estimate = partial
      ? this.deps.drafter.estimatePartial({ ...brief, ...partial, provider }, partial.mode)
      : this.deps.drafter.estimate({ ...brief, provider });
    return {
      ...estimate,
      withinBudget: req.llm.budgetUsd === undefined || estimate.costUsd <= req.llm.budgetUsd,
      condensed: condenseArticle(req.article.text, this.deps.drafter.maxArticleChars).condensed,
    };
  }

  /**
   * Checks a model draft can start — a key is stored where one is needed, the estimate fits the
   * budget — and returns the provider with its key. Called before the job starts, so the
   * producer gets the refusal at once.
   */
  async prepare(req: DraftRequest & { llm: LlmChoice }): Promise<LlmProvider> {
    const provider = await this.withKey(req.llm);
    const over = overBudgetMessage(
      this.deps.drafter.estimate({ ...req, provider }),
      req.llm.budgetUsd,
      'draft',
    );
    if (over) throw new StudioError('over-budget', over);
    return provider;
  }

  /**
   * As {@link prepare}, for rewriting a line or redrafting from one: the line must exist (and, to
   * rewrite, be a host's speech line), a key must be stored where needed, and the estimate must
   * fit the budget — all checked before the job starts.
   */
  async preparePartial(
    req: PartialRequest & { llm: LlmChoice },
    mode: PartialDraft['mode'],
  ): Promise<LlmProvider> {
    const provider = await this.withKey(req.llm);
    const estimate = this.deps.drafter.estimatePartial({ ...req, provider }, mode);
    const over = overBudgetMessage(estimate, req.llm.budgetUsd, mode);
    if (over) throw new StudioError('over-budget', over);
    return provider;
  }

  /** Rewrites one line with a model (see `LlmDrafter.rewriteLine`). */
  async rewriteLine(
    ctx: JobContext,
    req: PartialRequest & { llm: LlmChoice },
    provider: LlmProvider,
  ): Promise<JobResult> {
    const out = await this.deps.drafter.rewriteLine(ctx, { ...req, provider, budgetUsd: req.llm.budgetUsd });
    return {
      kind: 'draft-partial',
      mode: 'rewrite-line',
      lines: out.lines,
      fromLineId: req.lineId,
      untilLineId: req.lines[req.lines.findIndex((l) => l.id === req.lineId) + 1]?.id ?? null,
      drafter: 'llm',
      usage: out.usage,
      grounding: out.grounding,
      sources: out.sources,
    };
  }

  /**
   * Redraft from a line with a model (new lines stream to `onLines`), or offline when `provider`
   * is undefined (article sentences the kept lines do not use; instructions are not followed).
   */
  async redraftFrom(
    ctx: JobContext,
    req: PartialRequest & { llm?: LlmChoice },
    provider: LlmProvider | undefined,
    onLines: (lines: ScriptLine[]) => void,
  ): Promise<JobResult> {
    const region = redraftRegion(req.lines, req.lineId);
    const around = {
      mode: 'redraft-from' as const,
      fromLineId: req.lines[region.start].id,
      untilLineId: req.lines[region.end]?.id ?? null,
    };
    if (!provider || !req.llm) {
      ctx.progress(10, 'Redrafting with the offline drafter');
      const { lines } = redraftOffline({ ...req, fromLineId: req.lineId });
      const grounding = groundingForScript(lines, articleGroundingText(req.article));
      return { kind: 'draft-partial', ...around, lines, drafter: 'offline', grounding };
    }
    const out = await this.deps.drafter.redraftFrom(
      ctx,
      { ...req, provider, budgetUsd: req.llm.budgetUsd },
      onLines,
    );
    return {
      kind: 'draft-partial',
      ...around,
      lines: out.lines,
      drafter: 'llm',
      usage: out.usage,
      grounding: out.grounding,
      sources: out.sources,
    };
  }

  /** The provider of a choice with its stored key; refuses when a preset needs a key and has none. */
  private async withKey(llm: LlmChoice): Promise<LlmProvider> {
    const keyId = llm.apiKeyRef ?? llm.providerId;
    const apiKey = keyId ? await this.deps.secrets.get(keyId) : undefined;
    const preset = llm.providerId ? findPreset(llm.providerId) : undefined;
    if (!apiKey && preset?.needsApiKey) {
      throw new StudioError(
        'auth',
        `No API key is stored for ${preset.label}. Add it in the provider settings first.`,
      );
    }
    return { ...this.pricesOnly(llm), ...(apiKey ? { apiKey } : {}) };
  }

  /** Drafts with the offline drafter (instant, extractive), with grounding. */
  offline(ctx: JobContext, req: DraftBrief): JobResult {
    ctx.progress(10, 'Drafting with the offline drafter');
    const draft = draftOffline(req);
    const grounding = groundingForScript(draft.lines, articleGroundingText(req.article));
    return { kind: 'draft', draft, drafter: 'offline', grounding };
  }

  /** Drafts with a model; `onLines` gets each snapshot of complete lines as they stream in. */
  async withModel(
    ctx: JobContext,
    req: DraftRequest & { llm: LlmChoice },
    provider: LlmProvider,
    onLines: (lines: ScriptLine[]) => void,
  ): Promise<JobResult> {
    const out = await this.deps.drafter.draft(
      ctx,
      { ...req, provider, budgetUsd: req.llm.budgetUsd },
      onLines,
    );
    return {
      kind: 'draft',
      draft: out.draft,
      drafter: 'llm',
      usage: out.usage,
      grounding: out.grounding,
      sources: out.sources,
      condensed: out.condensed,
    };
  }

  private pricesOnly(llm: LlmChoice): LlmProvider {
    const preset = llm.providerId ? findPreset(llm.providerId) : undefined;
    return {
      baseURL: llm.baseURL,
      model: llm.model,
      inputPricePerM: llm.inputPricePerM,
      outputPricePerM: llm.outputPricePerM,
      supportsJsonSchema: llm.supportsJsonSchema ?? preset?.supportsJsonSchema ?? false,
    };
  }
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
