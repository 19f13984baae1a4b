// The voice and take calls through the composed back end and the contract's validation
// (dispatchCall, as every transport uses it), with cloud engines aimed at the speech test server:
// voice all, edit two lines, regenerate — exactly two new engine requests; pin an older take and
// find it in the timeline; cost estimate and budget; keys stored with settingsSetApiKey.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallResponse, JobUpdate } from '../../../shared/contract';
import { withVoicedClip, type Episode, type Persona } from '../../../shared/model/episode';
import { dispatchCall, type Envelope } from '../dispatch';
import { MemorySecretStore } from '../draft/secret-store';
import { RESOURCES_DIR } from '../node-host';
import { nodeWorkerFactory } from '../node-workers';
import { createStudio, type Studio } from '../studio';
import { startSpeechServer, type SpeechServer } from '../test-servers/speech-server';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';
import { EspeakEngine } from './espeak-engine';
import { createCloudEngines } from './voice-calls';

const OPENAI_KEY = 'sk-proj-abcdefghijklmnop1234';
const XI_KEY = 'xi-abcdefghijklmnop5678';
let server: SpeechServer;
let studio: Studio;

async function call<T>(name: string, payload: unknown): Promise<T> {
  const e: Envelope = await dispatchCall(studio.backend, name, payload);
  if (!e.ok) throw Object.assign(new Error(e.error.message), { code: e.error.code });
  return e.value as T;
}

async function finished(
  jobId: string,
): Promise<Extract<NonNullable<JobUpdate['result']>, { kind: 'voice' }>> {
  const end = await studio.jobs.wait(jobId);
  if (end.result?.kind !== 'voice') throw new Error(`${end.status}: ${end.message}`);
  return end.result;
}

const personas: Persona[] = [
  {
    id: 'a',
    name: 'Maya',
    role: 'Lead host.',
    voice: { engine: 'openai', voice: 'nova', rate: 175, pitch: 50, model: 'tts-1-hd' },
    color: '#4fb3ff',
  },
  {
    id: 'b',
    name: 'Theo',
    role: 'Analyst.',
    voice: { engine: 'elevenlabs', voice: 'voice-rachel', rate: 175, pitch: 50 },
    color: '#ffb347',
  },
];

beforeAll(async () => {
  server = await startSpeechServer({ openaiKey: OPENAI_KEY, elevenLabsKey: XI_KEY, secPerChar: 0.03 });
  const secrets = new MemorySecretStore();
  const data: Record<string, unknown> = {};
  studio = await createStudio({
    transport: 'web',
    version: 'test',
    projectsRoot: await mkdtemp(join(tmpdir(), 'gp-voice-calls-')),
    resourcesDir: RESOURCES_DIR,
    store: { get: (k) => data[k], set: (k, v) => void (data[k] = v) },
    engine: new EspeakEngine({
      createWorker: nodeWorkerFactory(new URL('./espeak-worker.ts', import.meta.url)),
      size: 1,
    }),
    createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    secrets,
    voiceEngines: createCloudEngines({
      getApiKey: (id) => secrets.get(id),
      openaiBaseURL: server.baseURL,
      elevenLabsBaseURL: server.origin,
    }),
    voiceRetry: { baseDelayMs: 5 },
  });
});
afterAll(async () => {
  await studio.close();
  await server.close();
});

describe('voice calls', () => {
  it('lists engines with key state; keys go through settingsSetApiKey and never come back', async () => {
    let { engines } = await call<CallResponse<'voiceEngines'>>('voiceEngines', {});
    expect(engines.map((e) => e.id)).toEqual(['espeak', 'openai', 'openai-compatible', 'elevenlabs']);
    expect(engines.find((e) => e.id === 'openai')).toMatchObject({
      needsApiKey: true,
      hasKey: false,
      concurrency: 4,
      maxChars: 4096,
    });
    expect(engines.find((e) => e.id === 'espeak')).toMatchObject({ local: true, hasKey: false });
    await call('settingsSetApiKey', { providerId: 'openai', apiKey: OPENAI_KEY });
    await call('settingsSetApiKey', { providerId: 'elevenlabs', apiKey: XI_KEY });
    ({ engines } = await call<CallResponse<'voiceEngines'>>('voiceEngines', {}));
    const openai = engines.find((e) => e.id === 'openai')!;
    expect(openai.hasKey).toBe(true);
    expect(openai.maskedKey).toBe('sk-…1234');
    expect(JSON.stringify(engines)).not.toContain(OPENAI_KEY);
    const { voices } = await call<CallResponse<'voiceVoices'>>('voiceVoices', { engine: 'elevenlabs' });
    expect(voices.map((v) => v.id)).toEqual(['voice-rachel', 'voice-adam']);
    const info = await call<CallResponse<'appInfo'>>('appInfo', {});
    expect(info.engines).toContain('elevenlabs');
  });

  it('previews a voice as a WAV without caching it', async () => {
    const before = server.synthesisRequests().length;
    const p = await call<CallResponse<'voicePreview'>>('voicePreview', { persona: personas[1] });
    expect(Buffer.from(p.wavBase64, 'base64').subarray(0, 4).toString()).toBe('RIFF');
    expect(p.durationSec).toBeGreaterThan(1);
    expect(p.costUsd).toBeGreaterThan(0);
    expect(server.synthesisRequests().length - before).toBe(1);
  });

  it('voice all, edit two lines, regenerate: exactly two new requests; pin an older take and hear it in the timeline', async () => {
    let episode: Episode = sampleEpisode({ id: 'voices', personas, pauseSec: 0.3 });
    const { projectId } = await call<{ projectId: string }>('projectNew', { episode });

    const estimate = await call<CallResponse<'voiceEstimate'>>('voiceEstimate', {
      projectId,
      episode,
      budgetUsd: 0.001,
    });
    expect(estimate.uncachedLines).toBe(3);
    expect(estimate.withinBudget).toBe(false);
    await expect(call('voiceSynthesize', { projectId, episode, budgetUsd: 0.001 })).rejects.toMatchObject({
      code: 'over-budget',
    });

    const start = server.synthesisRequests().length;
    const first = await finished(
      (await call<{ jobId: string }>('voiceSynthesize', { projectId, episode, budgetUsd: 1 })).jobId,
    );
    expect(first.failed).toEqual([]);
    expect(server.synthesisRequests().length - start).toBe(3);
    for (const [id, clip] of Object.entries(first.clips))
      episode = withVoicedClip(episode, id, clip, first.takes?.[id]);
    await call('projectSave', { projectId, episode });
    const oldL2 = episode.clips.l2;

    // Edit two lines and voice everything again: two requests, the third line from cache.
    const mid = server.synthesisRequests().length;
    episode = {
      ...episode,
      lines: episode.lines.map((l) =>
        l.kind === 'speech' && (l.id === 'l2' || l.id === 'l3')
          ? { ...l, text: `${l.text} Really, truly.` }
          : l,
      ),
    };
    const again = await finished(
      (await call<{ jobId: string }>('voiceSynthesize', { projectId, episode })).jobId,
    );
    expect(again.synthesized.sort()).toEqual(['l2', 'l3']);
    expect(again.cached).toEqual(['l1']);
    expect(server.synthesisRequests().length - mid).toBe(2);
    for (const [id, clip] of Object.entries(again.clips))
      episode = withVoicedClip(episode, id, clip, again.takes?.[id]);

    // Reopen the project: nothing is sent again.
    await call('projectSave', { projectId, episode });
    const reopened = (await call<{ episode: Episode }>('projectOpen', { projectId })).episode;
    const before = server.synthesisRequests().length;
    const none = await finished(
      (await call<{ jobId: string }>('voiceSynthesize', { projectId, episode: reopened })).jobId,
    );
    expect(none.synthesized).toEqual([]);
    expect(server.synthesisRequests().length).toBe(before);

    // Pin the older take of l2 and hear it in the timeline.
    const { takes } = await call<CallResponse<'takeList'>>('takeList', {
      projectId,
      episode: reopened,
      lineId: 'l2',
    });
    expect(takes.map((t) => t.hash)).toEqual([oldL2.hash, reopened.clips.l2.hash]);
    expect(takes[0]).toMatchObject({
      current: false,
      available: true,
      url: `/media/${projectId}/clips/${oldL2.hash}.wav`,
    });
    const pin = await call<CallResponse<'takePin'>>('takePin', {
      projectId,
      episode: reopened,
      lineId: 'l2',
      hash: oldL2.hash,
    });
    const pinned: Episode = {
      ...reopened,
      clips: { ...reopened.clips, l2: pin.clip! },
      takes: { ...reopened.takes, l2: pin.takes },
      pinned: { l2: pin.pinned! },
    };
    const timeline = await call<CallResponse<'timelineGet'>>('timelineGet', { projectId, episode: pinned });
    const region = timeline.regions.find((r) => r.lineId === 'l2')!;
    expect(region.end - region.start).toBeCloseTo(oldL2.durationSec, 2);
    expect(region.end - region.start).not.toBeCloseTo(reopened.clips.l2.durationSec, 2);
    await call('projectSave', { projectId, episode: pinned });
    const kept = await finished(
      (await call<{ jobId: string }>('voiceSynthesize', { projectId, episode: pinned })).jobId,
    );
    expect(kept.clips.l2.hash).toBe(oldL2.hash);
    expect(kept.synthesized).toEqual([]);

    // Regenerate one line on purpose: one request, a new take.
    const r0 = server.synthesisRequests().length;
    const regen = await finished(
      (
        await call<{ jobId: string }>('voiceSynthesize', {
          projectId,
          episode: pinned,
          lineIds: ['l1'],
          regenerate: true,
        })
      ).jobId,
    );
    expect(server.synthesisRequests().length - r0).toBe(1);
    expect(regen.clips.l1.hash).not.toBe(pinned.clips.l1.hash);
    expect(regen.takes!.l1.costUsd).toBeGreaterThan(0);

    const del = await call<CallResponse<'takeDelete'>>('takeDelete', {
      projectId,
      episode: pinned,
      lineId: 'l2',
      hash: oldL2.hash,
    });
    expect(del).toMatchObject({ pinned: null, fileDeleted: true });
    expect(del.clip!.hash).toBe(reopened.clips.l2.hash);

    // Undo the deletion: the take comes back first in the list, current and pinned, unpaid.
    const r1 = server.synthesisRequests().length;
    const restored = await call<CallResponse<'takeRestore'>>('takeRestore', {
      projectId,
      episode: {
        ...pinned,
        takes: { ...pinned.takes, l2: del.takes },
        clips: { ...pinned.clips, l2: del.clip! },
      },
      lineId: 'l2',
      take: pin.takes[0],
      index: 0,
      pin: true,
    });
    expect(restored.takes.map((t) => t.hash)).toEqual(pin.takes.map((t) => t.hash));
    expect(restored).toMatchObject({ pinned: oldL2.hash, clip: { hash: oldL2.hash } });
    expect(server.synthesisRequests().length).toBe(r1);
    expect((await call<CallResponse<'takeTrashPurge'>>('takeTrashPurge', { projectId })).removed).toBe(0);
    await expect(
      call('takeRestore', { projectId, episode: pinned, lineId: 'l2', take: { hash: oldL2.hash } }),
    ).rejects.toMatchObject({ code: 'bad-request' });
    expect(
      (await call<{ canceled: boolean }>('voiceCancelLine', { jobId: 'nope', lineId: 'l1' })).canceled,
    ).toBe(false);
  });

  it('validates requests: unknown engines and bad hashes are refused', async () => {
    await expect(call('voiceVoices', { engine: 'polly' })).rejects.toMatchObject({ code: 'bad-request' });
    const episode = sampleEpisode({ personas });
    await expect(
      call('takePin', { projectId: 'x', episode, lineId: 'l1', hash: 'not-a-hash' }),
    ).rejects.toMatchObject({ code: 'bad-request' });
  });
});
