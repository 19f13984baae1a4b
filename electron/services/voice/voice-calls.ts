/**
 * The contract's voice and take calls on top of {@link VoiceService}, so the composition root
 * only spreads them into the back end.
 */
import type { StudioBackend } from '../../../shared/contract';
import { StudioError } from '../../../shared/contract';
import type { JobManager } from '../jobs/job-manager';
import { encodeWav } from '../audio/wav';
import { maskKey, type SecretStore } from '../draft/secret-store';
import { ElevenLabsEngine, ELEVENLABS_PRICES } from './elevenlabs-engine';
import { OpenAiSpeechEngine, OPENAI_SPEECH_PRICES, type GetApiKey } from './openai-speech-engine';
import type { VoiceEngine } from './voice-engine';
import type { VoiceService } from './voice-service';

/** The sentence "preview voice" speaks when the UI sends none. */
export const PREVIEW_SENTENCE =
  'Hello and welcome to the show. Here is what happened today, and why it matters to you.';

/** The cloud and server engines with their default endpoints, keys read from `getApiKey`. */
export function createCloudEngines(opts: {
  getApiKey: GetApiKey;
  fetch?: typeof fetch;
  /** Test servers: OpenAI base URL (…/v1) and ElevenLabs origin. */
  openaiBaseURL?: string;
  elevenLabsBaseURL?: string;
  timeoutMs?: number;
}): VoiceEngine[] {
  const common = {
    getApiKey: opts.getApiKey,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  };
  return [
    new OpenAiSpeechEngine({
      ...common,
      id: 'openai',
      ...(opts.openaiBaseURL ? { baseURL: opts.openaiBaseURL } : {}),
    }),
    new OpenAiSpeechEngine({ ...common, id: 'openai-compatible' }),
    new ElevenLabsEngine({
      ...common,
      ...(opts.elevenLabsBaseURL ? { baseURL: opts.elevenLabsBaseURL } : {}),
    }),
  ];
}

const LABELS: Record<string, string> = {
  espeak: 'Embedded offline voice (espeak-ng)',
  openai: 'OpenAI speech',
  'openai-compatible': 'OpenAI-compatible server (Kokoro, openedai-speech …)',
  elevenlabs: 'ElevenLabs',
};

const MODELS: Record<string, Record<string, number>> = {
  openai: OPENAI_SPEECH_PRICES,
  elevenlabs: ELEVENLABS_PRICES,
};

type VoiceCalls = Pick<
  StudioBackend,
  | 'voiceSynthesize'
  | 'voiceEstimate'
  | 'voiceCancelLine'
  | 'voiceEngines'
  | 'voiceVoices'
  | 'voicePreview'
  | 'takeList'
  | 'takePin'
  | 'takeDelete'
  | 'takeRestore'
  | 'takeTrashPurge'
>;

/** Implements the voice calls. `projectDir` validates project ids before a job starts. */
export function voiceCalls(
  voice: VoiceService,
  deps: { jobs: JobManager; secrets: SecretStore; projectDir: (projectId: string) => string },
): VoiceCalls {
  return {
    voiceSynthesize: async ({ projectId, episode, lineIds, regenerate, budgetUsd }) => {
      deps.projectDir(projectId);
      // Budget is checked before the job exists, so a refusal is immediate.
      if (budgetUsd !== undefined)
        await voice.assertWithinBudget(projectId, episode, lineIds, budgetUsd, { regenerate });
      return {
        jobId: deps.jobs.start('voice', (ctx) =>
          voice.synthesize(ctx, projectId, episode, lineIds, { regenerate }),
        ),
      };
    },
    voiceEstimate: async ({ projectId, episode, lineIds, regenerate, budgetUsd }) => {
      deps.projectDir(projectId);
      const e = await voice.estimate(projectId, episode, lineIds, { regenerate });
      return { ...e, withinBudget: budgetUsd === undefined || e.totalUsd <= budgetUsd };
    },
    voiceCancelLine: async ({ jobId, lineId }) => ({ canceled: voice.cancelLine(jobId, lineId) }),
    voiceEngines: async () => ({
      engines: await Promise.all(
        voice.engineIds().map(async (id) => {
          const engine = voice.engineFor({ engine: id });
          const needsApiKey = id === 'openai' || id === 'elevenlabs';
          const key = id === 'espeak' ? undefined : await deps.secrets.get(id);
          const prices = MODELS[id] ?? {};
          return {
            id,
            label: LABELS[id] ?? id,
            models: Object.entries(prices).map(([m, usd]) => ({
              id: m,
              usdPerMillionChars: Math.round(usd * 1e6 * 100) / 100,
            })),
            ...(engine.modelFor
              ? { defaultModel: engine.modelFor({ engine: id, voice: 'x', rate: 175, pitch: 50 }) }
              : {}),
            ...(engine.maxChars ? { maxChars: engine.maxChars } : {}),
            concurrency: engine.concurrency ?? 2,
            local: id === 'espeak' || id === 'openai-compatible',
            needsApiKey,
            ...(id === 'espeak' ? {} : { apiKeyId: id }),
            hasKey: !!key,
            ...(key ? { maskedKey: maskKey(key) } : {}),
          };
        }),
      ),
    }),
    voiceVoices: async ({ engine, settings }) => ({
      voices: await voice.listVoices({ voice: 'x', rate: 175, pitch: 50, ...settings, engine }),
    }),
    voicePreview: async ({ persona, text }) => {
      const { pcm, costUsd } = await voice.preview(persona, text?.trim() || PREVIEW_SENTENCE);
      return {
        wavBase64: Buffer.from(encodeWav(pcm.samples, pcm.sampleRate)).toString('base64'),
        durationSec: pcm.samples.length / pcm.sampleRate,
        costUsd,
      };
    },
    takeList: async ({ projectId, episode, lineId }) => {
      deps.projectDir(projectId);
      assertLine(episode.lines, lineId);
      return { takes: await voice.takeList(projectId, episode, lineId) };
    },
    takePin: async ({ projectId, episode, lineId, hash, pin }) => {
      deps.projectDir(projectId);
      assertLine(episode.lines, lineId);
      return voice.takePin(projectId, episode, lineId, hash, pin ?? true);
    },
    takeDelete: async ({ projectId, episode, lineId, hash }) => {
      deps.projectDir(projectId);
      assertLine(episode.lines, lineId);
      return voice.takeDelete(projectId, episode, lineId, hash);
    },
    takeRestore: async ({ projectId, episode, lineId, take, index, current, pin }) => {
      deps.projectDir(projectId);
      assertLine(episode.lines, lineId);
      return voice.takeRestore(projectId, episode, lineId, take, { index, current, pin });
    },
    takeTrashPurge: async ({ projectId }) => {
      deps.projectDir(projectId);
      return { removed: await voice.purgeTrash(projectId) };
    },
  };
}

function assertLine(lines: readonly { id: string; kind: string }[], lineId: string): void {
  if (!lines.some((l) => l.id === lineId && l.kind === 'speech'))
    throw new StudioError('bad-request', `No speech line with id ${lineId} in this script.`);
}
