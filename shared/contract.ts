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

/** What the drafter returns: the script plus the page's summary and analysis. */
export const DraftResultSchema = z.object({
  title: z.string(),
  category: z.string(),
  lines: z.array(ScriptLineSchema),
  summary: z.string(),
  analysis: AnalysisSchema,
});
export type DraftResult = z.infer<typeof DraftResultSchema>;

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
});
export type Timeline = z.infer<typeof TimelineSchema>;

export const ExportFormatSchema = z.enum(['mp3', 'transcript', 'json']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportedFileSchema = z.object({
  format: ExportFormatSchema,
  name: z.string(),
  bytes: z.number(),
  /** Where the UI can fetch the file (download link in the browser, preview in Electron). */
  url: z.string(),
});

/** Result payloads of finished jobs, by kind. */
export const JobResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('draft'), draft: DraftResultSchema }),
  z.object({
    kind: z.literal('voice'),
    clips: z.record(z.string(), LineClipSchema),
    /** Line ids that were actually sent to the engine (the rest came from the clip cache). */
    synthesized: z.array(z.string()),
    cached: z.array(z.string()),
    failed: z.array(z.object({ lineId: z.string(), message: z.string() })),
  }),
  z.object({
    kind: z.literal('export'),
    folder: z.string(),
    files: z.array(ExportedFileSchema),
    durationSec: z.number(),
  }),
]);
export type JobResult = z.infer<typeof JobResultSchema>;

export const JobKindSchema = z.enum(['draft', 'voice', 'export']);
export type JobKind = z.infer<typeof JobKindSchema>;
export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

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
const EmptySchema = z.object({}).strict();
const ProjectRefSchema = z.object({ projectId: ProjectIdSchema });
const ProjectEpisodeSchema = z.object({ projectId: ProjectIdSchema, episode: EpisodeSchema });
const OpenedProjectSchema = z.object({ projectId: ProjectIdSchema, episode: EpisodeSchema });

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
  articleFromText: call(
    'Clean pasted article text; rejects empty or binary-looking input with a clear message.',
    z.object({ text: z.string().max(5_000_000), title: z.string().max(500).optional() }).strict(),
    ArticleSchema,
  ),
  articleFromFile: call(
    'Decode and clean an opened .txt or .md file (bytes as base64).',
    z.object({ name: z.string().max(260), dataBase64: z.string().max(14_000_000) }).strict(),
    ArticleSchema,
  ),
  articleSample: call('The sample article shipped with the studio.', EmptySchema, ArticleSchema),
  draftStart: call(
    'Draft a two-host script from an article (job: kind draft).',
    z
      .object({
        article: ArticleSchema,
        show: ShowSettingsSchema,
        personas: z.array(PersonaSchema).min(2).max(4),
        targetMinutes: z.number().min(1).max(120).optional(),
      })
      .strict(),
    JobStartedSchema,
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
      })
      .strict(),
    JobStartedSchema,
  ),
  timelineGet: call(
    'Mix the voiced lines and return peaks, regions and a media URL for playback.',
    ProjectEpisodeSchema.strict(),
    TimelineSchema,
  ),
  exportStart: call(
    "Export the episode into the project's exports folder (job: kind export).",
    z
      .object({
        projectId: ProjectIdSchema,
        episode: EpisodeSchema,
        formats: z.array(ExportFormatSchema).min(1),
        bitrateKbps: z.union([z.literal(48), z.literal(64), z.literal(96), z.literal(128)]).optional(),
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
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<N extends CallName> = z.input<Calls[N]['request']>;
export type CallResponse<N extends CallName> = z.output<Calls[N]['response']>;

/** Every event the back end pushes to the UI. */
export const events = {
  /** A job changed state or progress. */
  jobUpdate: JobUpdateSchema,
  /** One line finished voicing inside a voice job (so its gutter mark updates at once). */
  voiceLine: z.object({
    jobId: z.string(),
    lineId: z.string(),
    clip: LineClipSchema.optional(),
    error: z.string().optional(),
  }),
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
