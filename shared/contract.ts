/**
 * The one typed list of calls and events between the UI and the back end.
 *
 * Every transport is built from this table: the Electron preload exposes one method per call on
 * `window.studio`, main registers one validated IPC handler per call, the web transport serves
 * `POST /api/<call>`, and the renderer's web client mirrors the preload. Requests and responses are
 * parsed with these schemas on the back-end side; errors cross as {@link StudioError}.
 */
import { z } from 'zod';
import {
  AnalysisSchema,
  ArticleSchema,
  EpisodeSchema,
  LineClipSchema,
  PersonaSchema,
  ScriptLineSchema,
  ShowSettingsSchema,
  TakeSchema,
  VoiceEngineIdSchema,
  VoiceSettingsSchema,
} from './model/episode';

/** Project ids are folder names under the projects root: no separators, no dots, no traversal. */
export const ProjectIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'not a project id');

/** Typed error codes a call can fail with. */
export const ErrorCodeSchema = z.enum([
  'bad-request',
  'empty-input',
  'binary-input',
  'too-large',
  'not-found',
  'corrupt',
  'too-new',
  'io',
  'canceled',
  'engine',
  'internal',
  /** A page or file with no readable article in it. */
  'no-article',
  /** A server could not be reached (DNS, refused connection, reset). */
  'network',
  /** A server did not answer in time, or a stream stalled. */
  'timeout',
  /** A provider refused the API key (HTTP 401/403) or no key is stored. */
  'auth',
  /** A provider kept answering 429 after the retries. */
  'rate-limited',
  /** The estimated cost of a draft is above the episode's budget cap. */
  'over-budget',
  /** A provider answered with something the studio could not use (bad JSON, unknown model …). */
  'provider',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** How errors cross the boundary: a code for programs, a sentence for producers. */
export const StudioErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type StudioErrorShape = z.infer<typeof StudioErrorSchema>;

/** Settings kept in electron-store (conf in plain Node). */
export const SettingsSchema = z.object({
  personas: z.array(PersonaSchema).min(2).max(4),
  show: ShowSettingsSchema.omit({ date: true }),
  recentProjects: z.array(ProjectIdSchema).max(20),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * A presets file (`presetsExport` / `presetsImport`): the hosts and the show defaults, nothing
 * else — no recent projects, no API keys (personas only name a key by `apiKeyRef`). Unknown keys
 * are dropped on import.
 */
export const PresetsFileSchema = z.object({
  format: z.literal('goose-pod-presets'),
  version: z.literal(1),
  personas: SettingsSchema.shape.personas,
  show: SettingsSchema.shape.show,
});
export type PresetsFile = z.infer<typeof PresetsFileSchema>;

/** What the drafter returns: the script plus the page's summary and analysis. */
export const DraftResultSchema = z.object({
  title: z.string(),
  category: z.string(),
  lines: z.array(ScriptLineSchema),
  summary: z.string(),
  analysis: AnalysisSchema,
});
export type DraftResult = z.infer<typeof DraftResultSchema>;

/** A claim in a script line that the article does not support (offsets into the line's text). */
export const GroundingIssueSchema = z.object({
  kind: z.enum(['number', 'percent', 'money', 'date', 'quote']),
  claim: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  /** A sentence for the producer, e.g. 'Percentage “83%” does not appear in the article.' */
  message: z.string(),
});

/** Grounding issues of one line (lines without issues are left out). */
export const LineGroundingSchema = z.object({ lineId: z.string(), issues: z.array(GroundingIssueSchema) });
export type LineGroundingShape = z.infer<typeof LineGroundingSchema>;

/** Tokens and cost of a model draft: estimated before, actual after. */
export const DraftUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** US dollars at the prices the draft was started with. */
  costUsd: z.number().nonnegative(),
  /** Requests sent (retries and repair round-trips included); absent for estimates. */
  requests: z.number().int().nonnegative().optional(),
  /** True when the provider did not report usage and the numbers are estimates. */
  estimated: z.boolean().optional(),
});
export type DraftUsageShape = z.infer<typeof DraftUsageSchema>;

/** An http(s) base URL of an OpenAI-compatible API. */
const BaseUrlSchema = z
  .string()
  .max(500)
  .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, 'the base URL must start with http:// or https://');

/** Provider ids are the keys API keys are stored under: short, no separators. */
const ProviderIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'not a provider id');

/**
 * Which model drafts, and at what prices. The API key never travels from the UI: it is looked up
 * in the back end under `apiKeyRef` (default: `providerId`), where {@link calls.settingsSetApiKey}
 * stored it. Not part of episodes or projects.
 */
export const LlmChoiceSchema = z
  .object({
    /** A preset id ("deepseek", "ollama", "custom" …). */
    providerId: ProviderIdSchema.optional(),
    baseURL: BaseUrlSchema,
    model: z.string().min(1).max(200),
    /** Id of the stored API key; defaults to `providerId`. Local servers need none. */
    apiKeyRef: ProviderIdSchema.optional(),
    /** US dollars per 1M input tokens. */
    inputPricePerM: z.number().min(0).max(10_000),
    /** US dollars per 1M output tokens. */
    outputPricePerM: z.number().min(0).max(10_000),
    /** Refuse to start a draft whose estimated cost is above this (US dollars). */
    budgetUsd: z.number().positive().max(100_000).optional(),
    /** Ask for `json_schema` structured output; defaults to the preset's setting. */
    supportsJsonSchema: z.boolean().optional(),
  })
  .strict();
export type LlmChoice = z.infer<typeof LlmChoiceSchema>;

/**
 * Which part of a script to regenerate: `rewrite-line` replaces the speech line `lineId` (same
 * speaker, same id) following `instruction`; `redraft-from` replaces the lines from `lineId` to
 * the end of the dialogue (a sign-off chapter below stays; see shared/draft/partial.ts).
 */
export const PartialDraftSchema = z
  .object({
    mode: z.enum(['rewrite-line', 'redraft-from']),
    /** The script as the editor has it now. */
    lines: z.array(ScriptLineSchema).max(20_000),
    /** The line under the cursor. */
    lineId: z.string().min(1).max(64),
    /** What the producer wants ("shorter", "more sceptical"); required to rewrite a line. */
    instruction: z.string().trim().max(500).optional(),
  })
  .strict();
export type PartialDraft = z.infer<typeof PartialDraftSchema>;

/** What every draft call is drafted from: the article, the show, its hosts and the length. */
const DraftBriefShape = {
  article: ArticleSchema,
  show: ShowSettingsSchema,
  personas: z.array(PersonaSchema).min(2).max(4),
  targetMinutes: z.number().min(1).max(120).optional(),
};

/** A provider preset as the provider picker shows it, with the state of its stored key. */
export const ProviderPresetSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** "" for the custom provider. */
  baseURL: z.string(),
  defaultModel: z.string(),
  inputPricePerM: z.number(),
  outputPricePerM: z.number(),
  supportsJsonSchema: z.boolean(),
  needsApiKey: z.boolean(),
  /** Runs on this computer (Ollama, LM Studio). */
  local: z.boolean(),
  /** Whether an API key is stored for this provider. */
  hasKey: z.boolean(),
  /** The stored key masked ("sk-…abcd"); never the key itself. */
  maskedKey: z.string().optional(),
});
export type ProviderPresetShape = z.infer<typeof ProviderPresetSchema>;

/** A region of the mixed episode: one voiced line. */
export const TimelineRegionSchema = z.object({
  lineId: z.string(),
  speaker: z.string(),
  color: z.string(),
  start: z.number(),
  end: z.number(),
});
export type TimelineRegion = z.infer<typeof TimelineRegionSchema>;

/** The mixed episode as the timeline needs it: precomputed peaks, regions and a media URL. */
export const TimelineSchema = z.object({
  durationSec: z.number(),
  /** Peak magnitudes 0..1, `peaksPerSecond` values per second of audio. */
  peaks: z.array(z.number()),
  peaksPerSecond: z.number(),
  regions: z.array(TimelineRegionSchema),
  /** URL the page plays the mix from (HTTP in the web transport, a custom protocol in Electron). */
  mediaUrl: z.string(),
  /** Speech lines that have no clip yet (not in the mix). */
  missing: z.array(z.string()),
  /** Loudness of the mix (null = silence) and lines far from the median line loudness. */
  loudness: z
    .object({
      integratedLufs: z.number().nullable(),
      truePeakDbtp: z.number().nullable(),
      medianLineLufs: z.number().nullable(),
      /** Lines more than 6 LU louder (+) or quieter (−) than the median line. */
      outliers: z.array(z.object({ lineId: z.string(), lufs: z.number(), deltaLu: z.number() })),
    })
    .optional(),
  /** The music bed's file, over the whole episode; `bedSpans` says where it is heard. */
  bed: z.object({ file: z.string(), start: z.number(), end: z.number() }).optional(),
  /** Where the bed's music is heard (seconds): its intro and outro parts, or the whole episode for a looped bed. */
  bedSpans: z.array(z.object({ start: z.number(), end: z.number() })).optional(),
  /**
   * Peaks per second of every level `timelinePeaks` serves, coarse to fine; the first is
   * `peaks` itself. Each divides the next, so a coarse peak is the maximum of its fine ones.
   */
  peakLevels: z.array(z.number()).optional(),
  /** Which mix the peaks belong to; `timelinePeaks` answers for this mix only. */
  mixVersion: z.number().int().optional(),
});
export type Timeline = z.infer<typeof TimelineSchema>;

/** A window of one level of the peak pyramid of the last mix (for a zoomed-in timeline). */
export const TimelinePeaksSchema = z.object({
  /** Peaks per second of this level. */
  level: z.number(),
  /** Index of the first peak (peak `i` covers `[i/level, (i+1)/level)` seconds). */
  from: z.number().int(),
  /** Peak magnitudes 0..1 (cut at the end of the mix). */
  peaks: z.array(z.number()),
  /** Peaks of this level in the whole mix. */
  total: z.number().int(),
  mixVersion: z.number().int(),
});
export type TimelinePeaks = z.infer<typeof TimelinePeaksSchema>;

/**
 * What an export can write: `mp3` (tagged, with chapters and cover), `transcript` (plain text in
 * the seed's style), `json` (the episode with its timeline), `srt` and `vtt` (timed subtitles),
 * `podcast-json` (Podcasting 2.0 JSON transcript) and `show-notes` (Markdown and HTML: two files
 * with this format).
 */
export const ExportFormatSchema = z.enum([
  'mp3',
  'transcript',
  'json',
  'srt',
  'vtt',
  'podcast-json',
  'show-notes',
]);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportedFileSchema = z.object({
  format: ExportFormatSchema,
  name: z.string(),
  bytes: z.number(),
  /** Where the UI can fetch the file (download link in the browser, preview in Electron). */
  url: z.string(),
});

/** CBR bit rates an export offers, in kbps (the mix is 22.05 kHz, where LAME tops out at 160). */
export const ExportBitrateSchema = z.union([
  z.literal(32),
  z.literal(48),
  z.literal(64),
  z.literal(96),
  z.literal(128),
  z.literal(160),
]);

/** Export request fields for the MP3's encoding and destination (all optional; additive). */
export const ExportOutputFields = {
  /** `cbr` (default; `bitrateKbps`) or `vbr` (`vbrQuality`, a Xing header for exact duration and seeking). */
  mp3Mode: z.enum(['cbr', 'vbr']).optional(),
  /** 1 (default) or 2: the mono mix in both channels (dual-mono). Default bit rate 64 / 128 kbps. */
  channels: z.union([z.literal(1), z.literal(2)]).optional(),
  /** LAME VBR quality, 0 (best, largest) … 9 (smallest); default 6. */
  vbrQuality: z.number().int().min(0).max(9).optional(),
  /**
   * A granted export folder (`exportFolderGrant`): the export goes into a new dated folder inside
   * it instead of the project's `exports/`. Never a path: the back end resolves the id.
   */
  folderId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
};

/** Loudness of a mix before and after mastering (null = silence). */
export const ExportLoudnessSchema = z.object({
  before: z.object({ integratedLufs: z.number().nullable(), truePeakDbtp: z.number().nullable() }),
  after: z.object({ integratedLufs: z.number().nullable(), truePeakDbtp: z.number().nullable() }),
  gainDb: z.number(),
  target: z.object({ integratedLufs: z.number(), truePeakDbtp: z.number() }),
});

/** One listener of a per-listener batch export: its folder and files, or why it failed. */
export const BatchListenerResultSchema = z.object({
  listener: z.string(),
  /** Absolute folder of this listener's files. */
  folder: z.string(),
  files: z.array(ExportedFileSchema),
  durationSec: z.number(),
  /** Lines sent to the voice engine for this listener (the ones naming them). */
  linesVoiced: z.number().int().nonnegative(),
  /** Lines that came from the clip cache. */
  linesFromCache: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  loudness: ExportLoudnessSchema.optional(),
  /** Why this listener's export failed (the other listeners go on). */
  error: StudioErrorSchema.optional(),
});
export type BatchListenerResult = z.infer<typeof BatchListenerResultSchema>;

/** Result payloads of finished jobs, by kind. */
export const JobResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('draft'),
    draft: DraftResultSchema,
    /** Which drafter wrote it. */
    drafter: z.enum(['offline', 'llm']).optional(),
    /** Actual tokens and cost (model drafts only). */
    usage: DraftUsageSchema.optional(),
    /** Claims the article does not support, per line. */
    grounding: z.array(LineGroundingSchema).optional(),
    /** Article sentences each speech line relies on, by line id (model drafts only). */
    sources: z.record(z.string(), z.array(z.string())).optional(),
    /** True when a very long article was condensed for the model. */
    condensed: z.boolean().optional(),
  }),
  /** A rewritten line or a redrafted tail (`draftRewriteLine`, `draftRedraftFrom`; job kind draft). */
  z.object({
    kind: z.literal('draft-partial'),
    mode: PartialDraftSchema.shape.mode,
    /**
     * The new lines replacing the region: for `rewrite-line` one speech line with the id and
     * speaker of the line rewritten; for `redraft-from` the new lines with provisional ids no
     * line of the script has. Put into the editor, they take the ids of the lines they replace,
     * in order and kind for kind, and fresh ids beyond (docs/script-format.md, "Line identity").
     */
    lines: z.array(ScriptLineSchema),
    /** First line replaced. */
    fromLineId: z.string(),
    /** First line kept after the region (the sign-off heading), or null when it ran to the end. */
    untilLineId: z.string().nullable(),
    drafter: z.enum(['offline', 'llm']),
    /** Actual tokens and cost (model only). */
    usage: DraftUsageSchema.optional(),
    /** Claims in the new lines the article does not support. */
    grounding: z.array(LineGroundingSchema),
    /** Article sentences each new line relies on, by line id (model only). */
    sources: z.record(z.string(), z.array(z.string())).optional(),
  }),
  z.object({
    kind: z.literal('voice'),
    clips: z.record(z.string(), LineClipSchema),
    /** Line ids that were actually sent to the engine (the rest came from the clip cache). */
    synthesized: z.array(z.string()),
    cached: z.array(z.string()),
    /** Lines that failed, each with why (`code` as in {@link ErrorCodeSchema}: auth, rate-limited …). */
    failed: z.array(z.object({ lineId: z.string(), message: z.string(), code: ErrorCodeSchema.optional() })),
    /** Lines canceled one by one (`voiceCancelLine`) while the rest went on. */
    canceled: z.array(z.string()).optional(),
    /** lineId → the take this job made or found (append to `episode.takes`; see `withVoicedClip`). */
    takes: z.record(z.string(), TakeSchema).optional(),
    /** What this job's engine requests cost (US dollars). */
    costUsd: z.number().nonnegative().optional(),
  }),
  z.object({
    kind: z.literal('export'),
    folder: z.string(),
    files: z.array(ExportedFileSchema),
    durationSec: z.number(),
    /** Loudness of the mix before and after mastering (null = silence), when the MP3 was mastered. */
    loudness: ExportLoudnessSchema.optional(),
  }),
  /** A per-listener batch (`exportBatch`, job kind export): one entry per listener, in order. */
  z.object({
    kind: z.literal('export-batch'),
    /** Folder holding one sub-folder per listener. */
    folder: z.string(),
    listeners: z.array(BatchListenerResultSchema),
  }),
]);
export type JobResult = z.infer<typeof JobResultSchema>;

export const JobKindSchema = z.enum(['draft', 'voice', 'export']);
export type JobKind = z.infer<typeof JobKindSchema>;
export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** True once a job has ended (done, failed or canceled): it never changes again. */
export function isJobOver(status: string | undefined): boolean {
  return status === 'done' || status === 'failed' || status === 'canceled';
}

/** A long job's state, sent as an event on every change. */
export const JobUpdateSchema = z.object({
  jobId: z.string(),
  kind: JobKindSchema,
  status: JobStatusSchema,
  /** 0..100 */
  percent: z.number(),
  message: z.string(),
  result: JobResultSchema.optional(),
  error: StudioErrorSchema.optional(),
});
export type JobUpdate = z.infer<typeof JobUpdateSchema>;

const JobStartedSchema = z.object({ jobId: z.string() });

/** A line's takes, current clip and pin after a take call: replace all three in the episode. */
const TakeStateSchema = z.object({
  lineId: z.string(),
  takes: z.array(TakeSchema),
  clip: LineClipSchema.nullable(),
  pinned: z.string().nullable(),
});
const LineRefSchema = z.object({
  projectId: ProjectIdSchema,
  episode: EpisodeSchema,
  lineId: z.string().max(64),
});
const EmptySchema = z.object({}).strict();
const ProjectRefSchema = z.object({ projectId: ProjectIdSchema });
const ProjectEpisodeSchema = z.object({ projectId: ProjectIdSchema, episode: EpisodeSchema });
const OpenedProjectSchema = z.object({ projectId: ProjectIdSchema, episode: EpisodeSchema });

/** A folder the producer granted for exports: an opaque id and the path to show (never sent back). */
export const ExportFolderSchema = z.object({ folderId: z.string(), displayPath: z.string() });
export type ExportFolder = z.infer<typeof ExportFolderSchema>;

/**
 * One folder name inside the folder browser's root: no separators, no NUL, and no leading dot
 * (so no `.`/`..` and no hidden folder such as `.ssh`).
 */
export const FolderNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/, 'a folder name cannot contain / or \\')
  .refine((n) => !n.startsWith('.'), 'export folders cannot be hidden (names starting with a dot)');

/** A folder inside the browser's root as the names leading to it (empty: the root itself). */
const FolderSegmentsSchema = z.array(FolderNameSchema).max(64);

/** What the back-end folder browser shows: where it is and the sub-folders there. */
export const FolderListingSchema = z.object({
  /** The path shown to the producer (inside the root, `~` for the home folder). */
  displayPath: z.string(),
  segments: z.array(z.string()),
  folders: z.array(z.object({ name: z.string() })),
});
export type FolderListing = z.infer<typeof FolderListingSchema>;

/** Defines one call. `doc` is shown in generated docs and hover help. */
function call<Req extends z.ZodType, Res extends z.ZodType>(doc: string, request: Req, response: Res) {
  return { doc, request, response };
}

/** Every call the UI can make. Method names on `window.studio` are these keys. */
export const calls = {
  appInfo: call(
    'Version, transport and the defaults a first run needs.',
    EmptySchema,
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'web']),
      engines: z.array(z.string()),
      /** espeak-ng voice ids with a human label, for the persona voice picker. */
      voices: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  settingsGet: call(
    'Read the saved settings (personas, show, recent projects).',
    EmptySchema,
    SettingsSchema,
  ),
  settingsUpdate: call(
    'Change some settings and return all of them.',
    SettingsSchema.partial().strict(),
    SettingsSchema,
  ),
  presetsExport: call(
    'The saved hosts and show defaults as a presets JSON file (no API keys, no recent projects).',
    EmptySchema,
    z.object({ json: z.string() }),
  ),
  presetsImport: call(
    'Replace the saved hosts and show defaults with a presets JSON file; nothing is saved if it is malformed.',
    z.object({ json: z.string().max(1_000_000) }).strict(),
    SettingsSchema,
  ),
  articleFromText: call(
    'Clean pasted article text; rejects empty or binary-looking input with a clear message.',
    z.object({ text: z.string().max(5_000_000), title: z.string().max(500).optional() }).strict(),
    ArticleSchema,
  ),
  articleFromFile: call(
    'Decode and clean an opened .txt, .md or .html/.htm file (bytes as base64); web pages go through Readability.',
    z.object({ name: z.string().max(260), dataBase64: z.string().max(14_000_000) }).strict(),
    ArticleSchema,
  ),
  articleSample: call('The sample article shipped with the studio.', EmptySchema, ArticleSchema),
  articleFromUrl: call(
    'Fetch a web page in the back end (http/https, 15 s, 5 MB) and read its article; keeps `source` and `url`.',
    z.object({ url: z.string().min(1).max(2000) }).strict(),
    ArticleSchema,
  ),
  draftStart: call(
    'Draft a two-host script from an article (job: kind draft).',
    z
      .object({
        ...DraftBriefShape,
        /** Draft with this model instead of the offline drafter (lines stream as `draftLines`). */
        llm: LlmChoiceSchema.optional(),
      })
      .strict(),
    JobStartedSchema,
  ),
  draftEstimate: call(
    'Estimated tokens and cost of drafting with a model (chars/4 heuristic), or of a partial redraft (`partial`), and whether it fits the budget.',
    z
      .object({
        ...DraftBriefShape,
        llm: LlmChoiceSchema,
        /** Estimate rewriting a line or redrafting from a line instead of a whole draft. */
        partial: PartialDraftSchema.optional(),
      })
      .strict(),
    DraftUsageSchema.extend({
      /** False when `llm.budgetUsd` is set and the estimate is above it. */
      withinBudget: z.boolean(),
      /** True when the article is long enough to be condensed for the model. */
      condensed: z.boolean(),
    }),
  ),
  draftRewriteLine: call(
    'Rewrite one speech line with an instruction, keeping its speaker and id (needs a model; job: kind draft, result draft-partial).',
    z
      .object({
        ...DraftBriefShape,
        lines: PartialDraftSchema.shape.lines,
        lineId: PartialDraftSchema.shape.lineId,
        instruction: z.string().trim().min(1, 'say how the line should change').max(500),
        llm: LlmChoiceSchema,
      })
      .strict(),
    JobStartedSchema,
  ),
  draftRedraftFrom: call(
    'Redraft from a line to the end of the dialogue, keeping the lines above and the sign-off (offline, or a model whose lines stream as `draftPartialLines`; job: kind draft, result draft-partial).',
    z
      .object({
        ...DraftBriefShape,
        lines: PartialDraftSchema.shape.lines,
        lineId: PartialDraftSchema.shape.lineId,
        instruction: PartialDraftSchema.shape.instruction,
        llm: LlmChoiceSchema.optional(),
      })
      .strict(),
    JobStartedSchema,
  ),
  providerPresets: call(
    'The provider presets (OpenAI, DeepSeek, Qwen, Kimi, GLM, MiniMax, OpenRouter, Ollama, LM Studio, custom) with their key state.',
    EmptySchema,
    z.object({ presets: z.array(ProviderPresetSchema) }),
  ),
  providerTest: call(
    'Test a connection: lists the models at `baseURL` (GET /models) with the given key or the stored one.',
    z
      .object({
        baseURL: BaseUrlSchema,
        model: z.string().max(200).optional(),
        /** A key being tried before it is saved; else the stored key of `providerId` is used. */
        apiKey: z.string().max(500).optional(),
        providerId: ProviderIdSchema.optional(),
      })
      .strict(),
    z.object({
      models: z.array(z.string()),
      /** Whether `model` is among them (absent when no model was given). */
      modelAvailable: z.boolean().optional(),
    }),
  ),
  settingsSetApiKey: call(
    'Store (or, with "", remove) the API key of a provider in the back end; returns it masked only.',
    z.object({ providerId: ProviderIdSchema, apiKey: z.string().max(500) }).strict(),
    z.object({ providerId: z.string(), hasKey: z.boolean(), maskedKey: z.string().optional() }),
  ),
  projectNew: call(
    'Create a project folder for an episode and save it there.',
    z.object({ episode: EpisodeSchema }).strict(),
    OpenedProjectSchema,
  ),
  projectOpen: call('Open a saved project.', ProjectRefSchema.strict(), OpenedProjectSchema),
  projectSave: call(
    'Save the episode atomically into its project folder.',
    ProjectEpisodeSchema.strict(),
    z.object({ savedAt: z.string() }),
  ),
  projectList: call(
    'Projects in the projects folder, newest first.',
    EmptySchema,
    z.object({
      projects: z.array(z.object({ projectId: ProjectIdSchema, title: z.string(), updatedAt: z.string() })),
    }),
  ),
  voiceSynthesize: call(
    'Voice speech lines (all, or the listed ones) from the clip cache or the engine (job: kind voice).',
    z
      .object({
        projectId: ProjectIdSchema,
        episode: EpisodeSchema,
        lineIds: z.array(z.string().max(64)).max(20_000).optional(),
        /** Make a new take of the listed lines even when their clip is cached (unpins them). */
        regenerate: z.boolean().optional(),
        /** Refuse (`over-budget`) when the estimate (`voiceEstimate`) is above this, in US dollars. */
        budgetUsd: z.number().nonnegative().max(100_000).optional(),
      })
      .strict(),
    JobStartedSchema,
  ),
  voiceEstimate: call(
    'Characters × engine price of voicing the lines (all, or the listed ones); cached lines cost nothing.',
    z
      .object({
        projectId: ProjectIdSchema,
        episode: EpisodeSchema,
        lineIds: z.array(z.string().max(64)).max(20_000).optional(),
        regenerate: z.boolean().optional(),
        budgetUsd: z.number().nonnegative().max(100_000).optional(),
      })
      .strict(),
    z.object({
      lines: z.array(
        z.object({
          lineId: z.string(),
          engine: VoiceEngineIdSchema,
          model: z.string(),
          /** Characters sent (0 when cached). */
          chars: z.number().int().nonnegative(),
          costUsd: z.number().nonnegative(),
          cached: z.boolean(),
        }),
      ),
      totalChars: z.number().int().nonnegative(),
      totalUsd: z.number().nonnegative(),
      /** Lines that would be sent to an engine. */
      uncachedLines: z.number().int().nonnegative(),
      /** False when `budgetUsd` is given and the estimate is above it. */
      withinBudget: z.boolean(),
    }),
  ),
  voiceCancelLine: call(
    'Cancel one line of a running voice job; the other lines go on.',
    z.object({ jobId: z.string().max(64), lineId: z.string().max(64) }).strict(),
    z.object({ canceled: z.boolean() }),
  ),
  voiceEngines: call(
    'The voice engines available, their models, prices and concurrency, and whether a key is stored.',
    EmptySchema,
    z.object({
      engines: z.array(
        z.object({
          id: VoiceEngineIdSchema,
          label: z.string(),
          models: z.array(z.object({ id: z.string(), usdPerMillionChars: z.number() })),
          defaultModel: z.string().optional(),
          /** Longest text per request (longer lines are split at sentences). */
          maxChars: z.number().optional(),
          concurrency: z.number(),
          /** Runs on this computer or a server the producer runs (no per-character cost). */
          local: z.boolean(),
          needsApiKey: z.boolean(),
          /** Id the key is stored under (`settingsSetApiKey({ providerId })`). */
          apiKeyId: z.string().optional(),
          hasKey: z.boolean(),
          maskedKey: z.string().optional(),
        }),
      ),
    }),
  ),
  voiceVoices: call(
    'The voices an engine offers (OpenAI built-ins, ElevenLabs account voices, a compatible server’s list).',
    z
      .object({
        engine: VoiceEngineIdSchema,
        /** For compatible servers and alternative keys: base URL, apiKeyRef. */
        settings: VoiceSettingsSchema.partial().optional(),
      })
      .strict(),
    z.object({ voices: z.array(z.object({ id: z.string(), label: z.string() })) }),
  ),
  voicePreview: call(
    'Voice a sample sentence with a persona’s voice (not cached); returns a 22050 Hz WAV as base64.',
    z.object({ persona: PersonaSchema, text: z.string().max(1000).optional() }).strict(),
    z.object({ wavBase64: z.string(), durationSec: z.number(), costUsd: z.number() }),
  ),
  takeList: call(
    'Every take of a line (oldest first) with a playable URL, which is current and which is pinned.',
    LineRefSchema.strict(),
    z.object({
      takes: z.array(
        TakeSchema.extend({
          current: z.boolean(),
          pinned: z.boolean(),
          /** The take’s audio file is in the project. */
          available: z.boolean(),
          url: z.string().optional(),
        }),
      ),
    }),
  ),
  takePin: call(
    'Make a take the line’s clip; pinned (default) keeps it through "voice all" until regenerated or unpinned.',
    LineRefSchema.extend({
      hash: z.string().regex(/^[0-9a-f]{16,64}$/),
      /** false: make it current without pinning (also how to unpin). */
      pin: z.boolean().optional(),
    }).strict(),
    TakeStateSchema,
  ),
  takeDelete: call(
    'Delete a take; its file moves to the project’s trash (unless another line uses it) so `takeRestore` can undo it. The newest remaining take becomes current.',
    LineRefSchema.extend({ hash: z.string().regex(/^[0-9a-f]{16,64}$/) }).strict(),
    /** `fileDeleted`: the file left clips/ for the trash (false when another line still uses it). */
    TakeStateSchema.extend({ fileDeleted: z.boolean() }),
  ),
  takeRestore: call(
    'Undo a take deletion: the audio comes back from the project’s trash (no engine request) and the take rejoins the line’s list.',
    LineRefSchema.extend({
      /** The deleted take as it was in `episode.takes`. */
      take: TakeSchema,
      /** Its place in the line’s takes (default: last). */
      index: z.number().int().min(0).max(100).optional(),
      /** Make it the line’s clip again (it was current when deleted). */
      current: z.boolean().optional(),
      /** Pin it again (it was pinned when deleted); implies `current`. */
      pin: z.boolean().optional(),
    }).strict(),
    TakeStateSchema,
  ),
  takeTrashPurge: call(
    'Empty a project’s trash of deleted takes (when its undo history ends); they can no longer be restored.',
    z.object({ projectId: ProjectIdSchema }).strict(),
    z.object({ removed: z.number().int().nonnegative() }),
  ),
  timelineGet: call(
    'Mix the voiced lines and return peaks, regions and a media URL for playback.',
    ProjectEpisodeSchema.strict(),
    TimelineSchema,
  ),
  timelinePeaks: call(
    'A window of finer waveform peaks of the last mix (for zooming in); never the whole episode at once.',
    z
      .object({
        projectId: ProjectIdSchema,
        /** Peaks per second: one of the timeline's `peakLevels`. */
        level: z.number().int().positive(),
        from: z.number().int().min(0),
        /** At most 16,384 peaks per window. */
        count: z.number().int().min(1).max(16384),
      })
      .strict(),
    TimelinePeaksSchema,
  ),
  musicImport: call(
    "Store a music bed (WAV or MP3, checked by decoding) in the project's music/ folder; returns its file name.",
    z
      .object({
        projectId: ProjectIdSchema,
        name: z.string().min(1).max(200),
        /** The file's bytes, base64 (at most 200 MB decoded). */
        dataBase64: z.string().max(280_000_000),
      })
      .strict(),
    z.object({ file: z.string() }),
  ),
  exportStart: call(
    "Export the episode into a new dated folder in the project's exports folder, or in a granted folder (`folderId`) (job: kind export).",
    z
      .object({
        projectId: ProjectIdSchema,
        episode: EpisodeSchema,
        formats: z.array(ExportFormatSchema).min(1),
        bitrateKbps: ExportBitrateSchema.optional(),
        /** Loudness target: podcast −16 LUFS (default), mono −19, streaming −14 (all −1 dBTP), or none. */
        loudness: z.enum(['podcast', 'mono', 'streaming', 'none']).optional(),
        ...ExportOutputFields,
      })
      .strict(),
    JobStartedSchema,
  ),
  exportBatch: call(
    'One export per listener (name lines re-voiced, the rest from the clip cache) as one job (kind export, result export-batch).',
    z
      .object({
        projectId: ProjectIdSchema,
        episode: EpisodeSchema,
        listeners: z.array(z.string().trim().min(1).max(200)).min(1).max(1000),
        formats: z.array(ExportFormatSchema).min(1),
        bitrateKbps: ExportBitrateSchema.optional(),
        loudness: z.enum(['podcast', 'mono', 'streaming', 'none']).optional(),
        ...ExportOutputFields,
      })
      .strict(),
    JobStartedSchema,
  ),
  jobCancel: call(
    'Cancel a queued or running job.',
    z.object({ jobId: z.string().max(64) }).strict(),
    z.object({ canceled: z.boolean() }),
  ),
  jobList: call(
    'Every job this back end knows, for mirroring after a reload.',
    EmptySchema,
    z.object({ jobs: z.array(JobUpdateSchema) }),
  ),
  exportFolders: call(
    'Granted export folders (most recently used first) and how a new one can be chosen: a native dialog (Electron) or the back-end folder browser (web).',
    EmptySchema,
    z.object({ folders: z.array(ExportFolderSchema), native: z.boolean(), browser: z.boolean() }),
  ),
  exportFolderBrowse: call(
    "List the sub-folders of a folder inside the folder browser's root (web transport).",
    z.object({ segments: FolderSegmentsSchema }).strict(),
    FolderListingSchema,
  ),
  exportFolderCreate: call(
    "Create a sub-folder inside the folder browser's root and list it.",
    z.object({ segments: FolderSegmentsSchema, name: FolderNameSchema }).strict(),
    FolderListingSchema,
  ),
  exportFolderGrant: call(
    'Grant a folder for exports: the browser folder at `segments`, or without them the native folder dialog (null when canceled).',
    z.object({ segments: FolderSegmentsSchema.optional() }).strict(),
    z.object({ folder: ExportFolderSchema.nullable() }),
  ),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<N extends CallName> = z.input<Calls[N]['request']>;
export type CallResponse<N extends CallName> = z.output<Calls[N]['response']>;

/** The renderer commands the application menu can run (names in renderer/src/commands.ts). */
export const MenuCommandSchema = z.enum(['newProject', 'openProject', 'save', 'undo', 'redo']);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;

/** Every event the back end pushes to the UI. */
export const events = {
  /** A job changed state or progress. */
  jobUpdate: JobUpdateSchema,
  /** One line finished voicing inside a voice job (so its gutter mark updates at once). */
  /**
   * Lines of a model draft as they stream in. Each event carries every complete line so far (a
   * snapshot: show the latest; a retry or repair round-trip starts a new one).
   */
  draftLines: z.object({ jobId: z.string(), lines: z.array(ScriptLineSchema) }),
  /**
   * New lines of a model redraft (`draftRedraftFrom`) as they stream in: every complete new line
   * so far (a snapshot of the region only; the kept lines are never in it).
   */
  draftPartialLines: z.object({ jobId: z.string(), lines: z.array(ScriptLineSchema) }),
  voiceLine: z.object({
    jobId: z.string(),
    lineId: z.string(),
    clip: LineClipSchema.optional(),
    error: z.string().optional(),
    /** The take behind `clip` when it is new to the line (append it: `withVoicedClip`). */
    take: TakeSchema.optional(),
  }),
  /** A line's state inside a voice job: running, retrying (with why and when), failed, canceled. */
  voiceProgress: z.object({
    jobId: z.string(),
    lineId: z.string(),
    status: z.enum(['running', 'retrying', 'failed', 'canceled']),
    message: z.string(),
  }),
  /**
   * The producer chose an item of the application menu (Electron only): the renderer runs the
   * registered command of that name, so Edit > Undo walks the episode history like Ctrl+Z.
   */
  menuCommand: z.object({ command: MenuCommandSchema }).strict(),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

/** Names of all calls, in a stable order (the preload builds one method for each). */
export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** The API object the preload exposes as `window.studio` (and the web client mirrors). */
export type StudioApi = {
  [N in CallName]: (request: CallRequest<N>) => Promise<CallResponse<N>>;
} & {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
};

/** The back end as transports see it: one async function per call, plus an event source. */
export type StudioBackend = {
  [N in CallName]: (request: z.output<Calls[N]['request']>) => Promise<CallResponse<N>>;
};

/** Error carrying a typed code across transports. */
export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** Reduces anything thrown to the wire shape; unknown errors never leak stack traces. */
export function toErrorShape(err: unknown): StudioErrorShape {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    return {
      code: 'bad-request',
      message: `Invalid request: ${first?.path.join('.') || 'payload'}: ${first?.message ?? 'invalid'}`,
    };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** The IPC channel name of a call (one per call; never a generic channel). */
export function ipcChannel(name: CallName | EventName): string {
  return `studio:${name}`;
}
