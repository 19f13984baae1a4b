/**
 * The back end: builds every service from its dependencies and implements each contract call.
 * Transports (Electron IPC, the web server, the CLI) only validate, route and serialise.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { StudioError, type EventName, type EventPayload, type StudioBackend } from '../../shared/contract';
import { ArticleService } from './article/article-service';
import { redraftRegion } from '../../shared/draft/partial';
import { mp3ChoicesFrom } from '../../shared/export/mp3-choices';
import { DraftService } from './draft/draft-service';
import { LlmDrafter, type LlmDrafterOptions } from './draft/llm-drafter';
import { MemorySecretStore, type SecretStore } from './draft/secret-store';
import { MixService } from './audio/mix-service';
import { ExportService } from './export/export-service';
import { exportBatch } from './export/batch';
import { ExportFolders } from './export/export-folders';
import { JobManager } from './jobs/job-manager';
import { ProjectService } from './project/project-service';
import {
  defaultSettings,
  parseDefaultPersonas,
  SettingsService,
  type KeyValueStore,
} from './settings/settings-service';
import { exportPresets, importPresets } from './settings/presets';
import type { VoiceEngine } from './voice/voice-engine';
import { VoiceService, type RetryOptions } from './voice/voice-service';
import { createCloudEngines, voiceCalls } from './voice/voice-calls';

/** Everything the back end needs from its host (Electron main, the web server or the CLI). */
export interface StudioDeps {
  transport: 'electron' | 'web';
  version: string;
  /** Folder holding one sub-folder per project. */
  projectsRoot: string;
  /** The shipped resources/ folder (sample article, default personas). */
  resourcesDir: string;
  /** electron-store in the app, conf in plain Node. */
  store: KeyValueStore;
  engine: VoiceEngine;
  createMp3Worker: () => Worker;
  /** URL under which the UI can fetch a project's file (HTTP or custom protocol). */
  mediaUrl: (projectId: string, relPath: string) => string;
  /**
   * Where provider API keys are kept: Electron safeStorage in the app, a FileSecretStore in
   * plain Node. Default: in memory (keys last until the process ends).
   */
  secrets?: SecretStore;
  /** fetch for article URLs and model providers (default: the global fetch). */
  fetch?: typeof fetch;
  /** Model drafting options (stall timeout, retries); defaults suit real providers. */
  llm?: Omit<LlmDrafterOptions, 'fetch'>;
  /**
   * Voice engines besides `engine` (default: OpenAI, OpenAI-compatible and ElevenLabs, with keys
   * from `secrets` under the engine id). Tests pass engines aimed at the speech test server.
   */
  voiceEngines?: VoiceEngine[];
  /** Retry policy of voice engine requests (default: 3 retries, 1 s doubling). */
  voiceRetry?: RetryOptions;
  /**
   * How export folders are chosen: `chooseFolder` is the native dialog (Electron), `browseRoot` the
   * root of the back-end folder browser (web transport). Neither: exports stay in the project.
   */
  exportFolders?: { chooseFolder?: () => Promise<string | null>; browseRoot?: string };
}

type AnyListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** The composed back end. */
export interface Studio {
  backend: StudioBackend;
  jobs: JobManager;
  voice: VoiceService;
  projects: ProjectService;
  exporter: ExportService;
  articles: ArticleService;
  drafts: DraftService;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: AnyListener): () => void;
  close(): Promise<void>;
}

/** Builds the back end. Reading resources happens lazily, not at start-up. */
export async function createStudio(deps: StudioDeps): Promise<Studio> {
  const listeners = new Set<AnyListener>();
  const emit: AnyListener = (name, payload) => {
    for (const l of listeners) l(name, payload);
  };
  const personas = parseDefaultPersonas(
    await readFile(join(deps.resourcesDir, 'default-personas.json'), 'utf8'),
  );
  const settings = new SettingsService(deps.store, defaultSettings(personas));
  const jobs = new JobManager();
  jobs.on((u) => emit('jobUpdate', u));
  const projects = new ProjectService({ root: deps.projectsRoot });
  const projectDir = (id: string): string => projects.dir(id);
  const secrets = deps.secrets ?? new MemorySecretStore();
  const voice = new VoiceService({
    engine: deps.engine,
    engines:
      deps.voiceEngines ??
      createCloudEngines({
        getApiKey: (id) => secrets.get(id),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      }),
    projectDir,
    emitLine: (p) => emit('voiceLine', p),
    emitProgress: (p) => emit('voiceProgress', p),
    mediaUrl: deps.mediaUrl,
    ...(deps.voiceRetry ? { retry: deps.voiceRetry } : {}),
  });
  const mix = new MixService({ voice, projectDir, mediaUrl: deps.mediaUrl });
  // The default cover (resources/cover.png), read once: every export and batch listener tags it.
  let cover: Promise<Uint8Array> | undefined;
  const exporter = new ExportService({
    mix,
    projectDir,
    mediaUrl: deps.mediaUrl,
    createMp3Worker: deps.createMp3Worker,
    loadCover: () => (cover ??= readFile(join(deps.resourcesDir, 'cover.png'))),
  });
  const folders = new ExportFolders({ store: deps.store, ...deps.exportFolders });
  // A new dated folder in a granted folder, resolved and checked when the job gets to write.
  const intoGranted = (folderId: string) => () =>
    folders.makeInside(folderId, (parent) => exporter.freshFolderIn(parent));
  const articles = new ArticleService({
    readSample: () => readFile(join(deps.resourcesDir, 'sample-article.txt'), 'utf8'),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const drafts = new DraftService({
    drafter: new LlmDrafter({ ...deps.llm, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
    secrets,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });

  const backend: StudioBackend = {
    appInfo: async () => ({
      version: deps.version,
      transport: deps.transport,
      engines: voice.engineIds(),
      voices: await deps.engine.listVoices(),
    }),
    settingsGet: async () => settings.get(),
    settingsUpdate: async (patch) => settings.update(patch),
    presetsExport: async () => ({ json: exportPresets(settings.get()) }),
    presetsImport: async ({ json }) => importPresets(settings, json),
    articleFromText: async ({ text, title }) => articles.fromText(text, title),
    articleFromFile: async ({ name, dataBase64 }) =>
      articles.fromFile(name, Buffer.from(dataBase64, 'base64')),
    articleSample: () => articles.sample(),
    articleFromUrl: ({ url }) => articles.fromUrl(url),
    draftStart: async (req) => {
      const { llm } = req;
      if (!llm) return { jobId: jobs.start('draft', async (ctx) => drafts.offline(ctx, req)) };
      // Key and budget are checked before the job exists, so a refusal is immediate.
      const provider = await drafts.prepare({ ...req, llm });
      return {
        jobId: jobs.start('draft', (ctx) =>
          drafts.withModel(ctx, { ...req, llm }, provider, (lines) =>
            emit('draftLines', { jobId: ctx.jobId, lines }),
          ),
        ),
      };
    },
    draftEstimate: async (req) => drafts.estimate(req),
    draftRewriteLine: async (req) => {
      // The line, the key and the budget are checked before the job exists.
      const provider = await drafts.preparePartial(req, 'rewrite-line');
      return { jobId: jobs.start('draft', (ctx) => drafts.rewriteLine(ctx, req, provider)) };
    },
    draftRedraftFrom: async (req) => {
      const { llm } = req;
      redraftRegion(req.lines, req.lineId);
      const provider = llm ? await drafts.preparePartial({ ...req, llm }, 'redraft-from') : undefined;
      return {
        jobId: jobs.start('draft', (ctx) =>
          drafts.redraftFrom(ctx, req, provider, (lines) =>
            emit('draftPartialLines', { jobId: ctx.jobId, lines }),
          ),
        ),
      };
    },
    providerPresets: async () => ({ presets: await drafts.presets() }),
    providerTest: (req) => drafts.testProvider(req),
    settingsSetApiKey: ({ providerId, apiKey }) => drafts.setApiKey(providerId, apiKey),
    projectNew: async ({ episode }) => {
      const created = await projects.create(episode);
      settings.touchRecent(created.projectId);
      return created;
    },
    projectOpen: async ({ projectId }) => {
      const episode = await projects.open(projectId);
      settings.touchRecent(projectId);
      return { projectId, episode };
    },
    projectSave: async ({ projectId, episode }) => ({
      savedAt: (await projects.save(projectId, episode)).updatedAt,
    }),
    projectList: async () => ({ projects: await projects.list() }),
    ...voiceCalls(voice, { jobs, secrets, projectDir }),
    timelineGet: ({ projectId, episode }) => mix.timeline(projectId, episode),
    timelinePeaks: async ({ projectId, level, from, count }) => {
      // A window is only ever asked for an open project; checked first so an unknown id creates
      // no mix state.
      await projectFolderExists(projects.dir(projectId), projectId);
      return mix.peaks(projectId, level, from, count);
    },
    musicImport: async ({ projectId, name, dataBase64 }) => ({
      file: await mix.importMusic(projectId, name, Buffer.from(dataBase64, 'base64')),
    }),
    exportStart: async (req) => {
      const { projectId, episode, formats, loudness, folderId } = req;
      projects.dir(projectId);
      // Checked before the job starts, so a stale folder is refused at once; resolved and checked
      // again inside the job right before it writes (the job may wait in the queue meanwhile).
      if (folderId) await folders.resolve(folderId);
      return {
        jobId: jobs.start('export', (ctx) =>
          exporter.export(ctx, projectId, episode, formats, {
            mp3: mp3ChoicesFrom(req),
            loudness,
            ...(folderId ? { into: intoGranted(folderId) } : {}),
          }),
        ),
      };
    },
    exportBatch: async (req) => {
      const { projectId, episode, listeners, formats, loudness, folderId } = req;
      projects.dir(projectId);
      if (folderId) await folders.resolve(folderId);
      return {
        jobId: jobs.start('export', async (ctx) =>
          exportBatch(
            ctx,
            { voice, exporter },
            {
              projectId,
              episode,
              listeners,
              formats,
              mp3: mp3ChoicesFrom(req),
              loudness,
              ...(folderId ? { into: intoGranted(folderId) } : {}),
            },
          ),
        ),
      };
    },
    jobCancel: async ({ jobId }) => ({ canceled: jobs.cancel(jobId) }),
    jobList: async () => ({ jobs: jobs.list() }),
    exportFolders: () => folders.list(),
    exportFolderBrowse: ({ segments }) => folders.browse(segments),
    exportFolderCreate: ({ segments, name }) => folders.create(segments, name),
    exportFolderGrant: async ({ segments }) => ({ folder: await folders.grant(segments) }),
  };

  return {
    backend,
    jobs,
    voice,
    projects,
    exporter,
    articles,
    drafts,
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {
      jobs.cancelAll();
      await deps.engine.close();
    },
  };
}

/** Throws unless `name` is a call the back end implements (guards dynamic dispatch). */
export function assertCall(backend: StudioBackend, name: string): asserts name is keyof StudioBackend {
  if (!Object.prototype.hasOwnProperty.call(backend, name)) {
    throw new StudioError('not-found', `Unknown call "${name}"`);
  }
}

/** Throws "no such project" in the producer's words unless the project's episode.json exists. */
async function projectFolderExists(dir: string, projectId: string): Promise<void> {
  try {
    await stat(join(dir, 'episode.json'));
  } catch {
    throw new StudioError(
      'not-found',
      `There is no project "${projectId}" (it may have been deleted or moved).`,
    );
  }
}
