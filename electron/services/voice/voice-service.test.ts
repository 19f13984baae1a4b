// The voice service with cloud engines against the speech test server: normalisation, the clip
// cache, takes and pins, per-engine concurrency, retries, per-line cancel, splitting, cost and
// budget, and the pronunciation dictionary.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { EventPayload, JobResult } from '../../../shared/contract';
import { withVoicedClip, type Episode, type Persona, type SpeechLine } from '../../../shared/model/episode';
import { JobManager } from '../jobs/job-manager';
import { startSpeechServer, type SpeechServer } from '../test-servers/speech-server';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';
import { ElevenLabsEngine } from './elevenlabs-engine';
import { OpenAiSpeechEngine } from './openai-speech-engine';
import { clipHash, PROJECT_SAMPLE_RATE, VoiceService, type VoiceServiceDeps } from './voice-service';
import type { VoiceEngine } from './voice-engine';

const SEC_PER_CHAR = 0.02;
let server: SpeechServer;
let root: string;
const keys = { openai: 'sk-openai-key-123456', elevenlabs: 'xi-key-123456' } as Record<string, string>;
let lines: EventPayload<'voiceLine'>[];
let progress: EventPayload<'voiceProgress'>[];
let waits: number[];

const PERSONAS: Persona[] = [
  {
    id: 'a',
    name: 'Maya',
    role: 'Lead host, a former newsroom editor.',
    voice: { engine: 'openai', voice: 'coral', rate: 175, pitch: 50, model: 'gpt-4o-mini-tts' },
    color: '#4fb3ff',
  },
  {
    id: 'b',
    name: 'Theo',
    role: 'Sceptical analyst.',
    voice: { engine: 'elevenlabs', voice: 'voice-adam', rate: 175, pitch: 50, stability: 0.4 },
    color: '#ffb347',
  },
];

function episode(over: Partial<Episode> = {}): Episode {
  return sampleEpisode({
    personas: PERSONAS,
    lines: [
      { kind: 'heading', id: 'h1', text: 'Opening' },
      { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Good morning, this is Goose Pod.' },
      { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'Libraries opened six studios.' },
      { kind: 'speech', id: 'l3', speaker: 'Maya', text: 'They cost eighteen thousand dollars each.' },
      { kind: 'speech', id: 'l4', speaker: 'Theo', text: 'Who pays for the microphones?' },
    ],
    ...over,
  });
}

function engines(s: SpeechServer, over: { timeoutMs?: number } = {}): [VoiceEngine, VoiceEngine] {
  return [
    new OpenAiSpeechEngine({ id: 'openai', baseURL: s.baseURL, getApiKey: (id) => keys[id], ...over }),
    new ElevenLabsEngine({ baseURL: s.origin, getApiKey: (id) => keys[id], ...over }),
  ];
}

function service(s: SpeechServer = server, over: Partial<VoiceServiceDeps> = {}): VoiceService {
  const [openai, eleven] = engines(s);
  return new VoiceService({
    engine: openai,
    engines: [eleven],
    projectDir: () => root,
    emitLine: (p) => lines.push(p),
    emitProgress: (p) => progress.push(p),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    retry: { baseDelayMs: 5 },
    sleep: async (ms) => void waits.push(ms),
    ...over,
  });
}

async function voice(
  v: VoiceService,
  ep: Episode,
  lineIds?: string[],
  opts?: { regenerate?: boolean },
  jobs = new JobManager(),
): Promise<Extract<JobResult, { kind: 'voice' }>> {
  const end = await jobs.wait(jobs.start('voice', (ctx) => v.synthesize(ctx, 'p', ep, lineIds, opts)));
  if (end.result?.kind !== 'voice') throw new Error(`${end.status}: ${end.message}`);
  return end.result;
}

/** The episode after a job, as the UI applies it. */
function apply(ep: Episode, r: Extract<JobResult, { kind: 'voice' }>): Episode {
  let next = ep;
  for (const [id, clip] of Object.entries(r.clips)) next = withVoicedClip(next, id, clip, r.takes?.[id]);
  return next;
}

function speech(ep: Episode, id: string): SpeechLine {
  return ep.lines.find((l) => l.id === id) as SpeechLine;
}

function edit(ep: Episode, id: string, text: string): Episode {
  return { ...ep, lines: ep.lines.map((l) => (l.id === id && l.kind === 'speech' ? { ...l, text } : l)) };
}

beforeAll(async () => {
  server = await startSpeechServer({
    openaiKey: keys.openai,
    elevenLabsKey: keys.elevenlabs,
    secPerChar: SEC_PER_CHAR,
  });
});
afterAll(() => server.close());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gp-voice-'));
  await mkdir(join(root, 'clips'));
  lines = [];
  progress = [];
  waits = [];
});

describe('voicing with cloud engines', () => {
  it('normalises every engine to 22050 Hz with silence trimmed, keeps takes and costs, and never re-sends', async () => {
    const v = service();
    const before = server.synthesisRequests().length;
    const ep = episode();
    const r = await voice(v, ep);
    expect(r.failed).toEqual([]);
    expect(r.synthesized.sort()).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(server.synthesisRequests().length - before).toBe(4);
    for (const id of ['l1', 'l2', 'l3', 'l4']) {
      const text = speech(ep, id).text;
      // The tone, plus the 30 ms margins trimming keeps (the server pads 250 ms each side).
      expect(r.clips[id].durationSec).toBeCloseTo(text.length * SEC_PER_CHAR + 0.06, 2);
      const pcm = await v.loadClip('p', r.clips[id].hash);
      expect(pcm.sampleRate).toBe(PROJECT_SAMPLE_RATE);
      expect(r.takes![id]).toMatchObject({ hash: r.clips[id].hash, durationSec: r.clips[id].durationSec });
      expect(r.takes![id].costUsd).toBeCloseTo(
        text.length * (id === 'l2' || id === 'l4' ? 0.0001 : 0.000015),
        8,
      );
    }
    expect(r.takes!.l1.voice).toBe('openai gpt-4o-mini-tts · coral');
    expect(r.costUsd).toBeCloseTo(
      Object.values(r.takes!).reduce((s, t) => s + t.costUsd, 0),
      8,
    );
    // The persona's role travels as instructions; ElevenLabs gets its stability.
    const sent = server.synthesisRequests().slice(before);
    expect(sent.find((q) => q.kind === 'openai-speech')!.body!.instructions).toContain(
      'former newsroom editor',
    );
    expect(sent.find((q) => q.kind === 'elevenlabs-tts')!.body!.voice_settings).toMatchObject({
      stability: 0.4,
    });

    const voiced = apply(ep, r);
    const again = await voice(service(), voiced);
    expect(again.cached.sort()).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(again.takes).toEqual({});
    expect(server.synthesisRequests().length - before).toBe(4);
  });

  it('voice all, edit two lines, regenerate: exactly two new requests; then pin an older take', async () => {
    const v = service();
    let ep = apply(episode(), await voice(v, episode()));
    const start = server.synthesisRequests().length;
    ep = edit(edit(ep, 'l2', 'Libraries opened seven studios.'), 'l3', 'They cost a lot.');
    const r = await voice(v, ep);
    expect(r.synthesized.sort()).toEqual(['l2', 'l3']);
    expect(server.synthesisRequests().length - start).toBe(2);
    const oldL3 = ep.clips.l3.hash;
    ep = apply(ep, r);
    expect(ep.takes!.l3.map((t) => t.hash)).toEqual([oldL3, ep.clips.l3.hash]);

    // Regenerate an unchanged line: a new take with its own file, the old one kept.
    const regen = await voice(v, ep, ['l1'], { regenerate: true });
    expect(regen.synthesized).toEqual(['l1']);
    expect(server.synthesisRequests().length - start).toBe(3);
    const firstL1 = ep.clips.l1.hash;
    ep = apply(ep, regen);
    expect(ep.clips.l1.hash).not.toBe(firstL1);
    expect(ep.takes!.l1).toHaveLength(2);
    // "Voice all" keeps the newest take of unchanged content rather than reverting to the first.
    expect((await voice(v, ep)).clips.l1.hash).toBe(ep.clips.l1.hash);

    // Pin the take of l3's old text: it stays through "voice all" although the text differs.
    const listed = await v.takeList('p', ep, 'l3');
    expect(listed.map((t) => [t.current, t.available])).toEqual([
      [false, true],
      [true, true],
    ]);
    expect(listed[0].url).toBe(`/media/p/clips/${oldL3}.wav`);
    const pinned = await v.takePin('p', ep, 'l3', oldL3);
    ep = {
      ...ep,
      clips: { ...ep.clips, l3: pinned.clip! },
      takes: { ...ep.takes, l3: pinned.takes },
      pinned: { l3: pinned.pinned! },
    };
    const before = server.synthesisRequests().length;
    const all = await voice(v, ep);
    expect(all.clips.l3.hash).toBe(oldL3);
    expect(all.synthesized).toEqual([]);
    expect(server.synthesisRequests().length).toBe(before);
    expect((await v.loadClip('p', oldL3)).samples.length).toBeGreaterThan(0);

    // Regenerating a pinned line replaces the pin.
    const again = await voice(v, ep, ['l3'], { regenerate: true });
    const after = apply(ep, again);
    expect(after.pinned).toEqual({});
    expect(after.takes!.l3).toHaveLength(3);

    // Deleting the current take makes the newest remaining one current and moves its file out of clips/.
    const del = await v.takeDelete('p', after, 'l3', after.clips.l3.hash);
    expect(del.fileDeleted).toBe(true);
    await expect(v.loadClip('p', after.clips.l3.hash)).rejects.toMatchObject({ code: 'not-found' });
    expect(del.takes).toHaveLength(2);
    expect(del.clip!.hash).toBe(del.takes[1].hash);
    await expect(v.takePin('p', after, 'l3', 'f'.repeat(32))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a deleted take waits in the trash: restore brings it back at its place without an engine request', async () => {
    const v = service();
    let ep = apply(episode(), await voice(v, episode()));
    ep = apply(ep, await voice(v, ep, ['l2'], { regenerate: true }));
    const [older, newer] = ep.takes!.l2;
    expect(ep.clips.l2.hash).toBe(newer.hash);
    ep = { ...ep, pinned: { l2: newer.hash } };
    const olderAudio = (await v.loadClip('p', older.hash)).samples;

    // Delete the current, pinned take: the older one becomes current, the file goes to the trash.
    const del = await v.takeDelete('p', ep, 'l2', newer.hash);
    expect(del).toMatchObject({ fileDeleted: true, pinned: null, clip: { hash: older.hash } });
    expect(existsSync(v.clipPath('p', newer.hash))).toBe(false);
    expect(existsSync(v.trashPath('p', newer.hash))).toBe(true);
    const deleted: Episode = {
      ...ep,
      clips: { ...ep.clips, l2: del.clip! },
      takes: { ...ep.takes, l2: del.takes },
      pinned: {},
    };

    const requests = server.synthesisRequests().length;
    const fresh = await voice(v, deleted, ['l2'], { regenerate: true });
    const withFresh = apply(deleted, fresh);
    expect(server.synthesisRequests().length - requests).toBe(1);

    // Restore it as it was (second of three, current and pinned): no request reaches the engine.
    const before = server.synthesisRequests().length;
    const back = await v.takeRestore('p', withFresh, 'l2', newer, { index: 1, pin: true });
    expect(back.takes.map((t) => t.hash)).toEqual([older.hash, newer.hash, fresh.clips.l2.hash]);
    expect(back.clip).toEqual({ hash: newer.hash, durationSec: newer.durationSec });
    expect(back.pinned).toBe(newer.hash);
    expect(existsSync(v.trashPath('p', newer.hash))).toBe(false);
    expect((await v.loadClip('p', newer.hash)).samples.length).toBeGreaterThan(0);
    expect(server.synthesisRequests().length).toBe(before);
    // Restoring again is harmless (no duplicate); without `current` the clip stays as it was.
    const again = await v.takeRestore('p', withFresh, 'l2', newer, {});
    expect(again.takes.filter((t) => t.hash === newer.hash)).toHaveLength(1);
    expect(again.clip).toEqual(withFresh.clips.l2);
    expect((await v.loadClip('p', older.hash)).samples).toEqual(olderAudio);

    // After the trash is purged, a deleted take cannot come back, and says so.
    await v.takeDelete('p', withFresh, 'l2', fresh.clips.l2.hash);
    expect(await v.purgeTrash('p')).toBe(1);
    expect(await v.purgeTrash('p')).toBe(0);
    const gone = withFresh.takes!.l2.at(-1)!;
    await expect(v.takeRestore('p', withFresh, 'l2', gone, { current: true })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no longer in the project/),
    });
    expect(server.synthesisRequests().length).toBe(before);
  });

  it('a new take never takes the file name of a deleted take an undo could bring back', async () => {
    const v = service();
    const ep = apply(episode(), await voice(v, episode(), ['l1']));
    const first = ep.clips.l1;
    const del = await v.takeDelete('p', ep, 'l1', first.hash);
    const deleted: Episode = { ...ep, clips: {}, takes: { l1: del.takes } };
    // The same words voiced again (as after an edit and its undo) would be named by their content.
    for (const regenerate of [false, true]) {
      const r = await voice(v, deleted, ['l1'], { regenerate });
      expect(r.synthesized).toEqual(['l1']);
      expect(r.clips.l1.hash).not.toBe(first.hash);
    }
    const back = await v.takeRestore('p', deleted, 'l1', ep.takes!.l1[0], { current: true });
    expect(back.clip).toEqual(first);
  });

  it('keeps a take’s file in clips/ when another line still uses it', async () => {
    const v = service();
    const same = episode({
      lines: [
        { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Same words.' },
        { kind: 'speech', id: 'l2', speaker: 'Maya', text: 'Same words.' },
      ],
    });
    const ep = apply(same, await voice(v, same));
    expect(ep.clips.l1.hash).toBe(ep.clips.l2.hash);
    const del = await v.takeDelete('p', ep, 'l1', ep.clips.l1.hash);
    expect(del.fileDeleted).toBe(false);
    expect(existsSync(v.clipPath('p', ep.clips.l2.hash))).toBe(true);
    const back = await v.takeRestore('p', ep, 'l1', ep.takes!.l1[0], { current: true });
    expect(back.clip?.hash).toBe(ep.clips.l2.hash);
  });

  it('splits a line over the engine limit at sentences and joins the pieces', async () => {
    const long = Array.from({ length: 150 }, (_, i) => `Sentence ${i} is about the budget.`).join(' ');
    expect(long.length).toBeGreaterThan(4096);
    const ep = episode({ lines: [{ kind: 'speech', id: 'l1', speaker: 'Maya', text: long }] });
    const before = server.synthesisRequests().length;
    const r = await voice(service(), ep);
    const sent = server.synthesisRequests().slice(before);
    expect(sent.length).toBe(2);
    for (const q of sent) {
      expect((q.body!.input as string).length).toBeLessThanOrEqual(4096);
      expect(q.body!.input).toMatch(/budget\.$/);
    }
    expect(sent.map((q) => q.body!.input).join(' ')).toBe(long);
    const expected = long.length * SEC_PER_CHAR - SEC_PER_CHAR + 2 * 0.06 + 0.19;
    expect(r.clips.l1.durationSec).toBeCloseTo(expected, 1);
    expect(r.synthesized).toEqual(['l1']);
  });
});

describe('voice jobs', () => {
  it('runs at most 4 requests per cloud engine at once, across jobs', async () => {
    const slow = await startSpeechServer({ openaiKey: keys.openai, latencyMs: 60, secPerChar: 0.001 });
    try {
      const v = service(slow);
      const many = (prefix: string) =>
        episode({
          lines: Array.from({ length: 8 }, (_, i) => ({
            kind: 'speech' as const,
            id: `${prefix}${i}`,
            speaker: 'Maya',
            text: `Line ${prefix} ${i}.`,
          })),
        });
      const jobs = new JobManager();
      const [a, b] = await Promise.all([
        voice(v, many('a'), undefined, {}, jobs),
        voice(v, many('b'), undefined, {}, jobs),
      ]);
      expect(a.synthesized.length + b.synthesized.length).toBe(16);
      expect(slow.maxInFlight).toBe(4);
    } finally {
      await slow.close();
    }
  });

  it('retries 429 (honouring Retry-After) and 5xx, then isolates a line that keeps failing', async () => {
    const v = service();
    const one = episode({ lines: [{ kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Retry me.' }] });
    server.enqueue({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 502 });
    const ok = await voice(v, one);
    expect(ok.synthesized).toEqual(['l1']);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(7.5);
    expect(waits[1]).toBeLessThan(2000);
    expect(progress.filter((p) => p.status === 'retrying').map((p) => p.lineId)).toEqual(['l1', 'l1']);

    // Maya's engine keeps failing; Theo's (another server) is fine: only Maya's line fails.
    waits = [];
    const other = await startSpeechServer({ elevenLabsKey: keys.elevenlabs, secPerChar: SEC_PER_CHAR });
    try {
      const split = service(server, {
        engines: [new ElevenLabsEngine({ baseURL: other.origin, getApiKey: (id) => keys[id] })],
      });
      const two = episode({
        lines: [
          { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'This one keeps failing.' },
          { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'This one is fine.' },
        ],
      });
      const before = server.synthesisRequests().length;
      server.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
      const r = await voice(split, two);
      expect(r.synthesized).toEqual(['l2']);
      expect(r.failed).toMatchObject([{ lineId: 'l1', code: 'provider' }]);
      expect(r.failed[0].message).toContain('HTTP 503');
      expect(server.synthesisRequests().length - before).toBe(4); // 1 + 3 retries
      expect(waits).toHaveLength(3);
      expect(lines.find((l) => l.lineId === 'l1' && l.error)).toBeTruthy();
    } finally {
      await other.close();
    }
    // An auth error is not retried.
    waits = [];
    server.enqueue({ kind: 'status', status: 401 });
    const auth = await voice(v, edit(one, 'l1', 'Auth fails.'));
    expect(auth.failed).toMatchObject([{ lineId: 'l1', code: 'auth' }]);
    expect(waits).toEqual([]);
  });

  it('gives up when Retry-After is longer than the longest wait', async () => {
    const v = service(server, { retry: { maxDelayMs: 1000 } });
    server.enqueue({ kind: 'status', status: 429, retryAfter: '120' });
    const r = await voice(
      v,
      episode({ lines: [{ kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Later.' }] }),
    );
    expect(r.failed).toMatchObject([{ lineId: 'l1', code: 'rate-limited' }]);
    expect(waits).toEqual([]);
  });

  it('cancels one line while the others finish, and cancels a whole job', async () => {
    const v = service();
    const jobs = new JobManager();
    const ep = episode();
    server.enqueue({ kind: 'hang' });
    const jobId = jobs.start('voice', (ctx) => v.synthesize(ctx, 'p', ep));
    // The hung request is the one line still open once three have come back.
    while (lines.filter((l) => l.jobId === jobId).length < 3) await new Promise((r) => setTimeout(r, 10));
    const hung = ['l1', 'l2', 'l3', 'l4'].find((id) => !lines.some((l) => l.lineId === id))!;
    expect(v.cancelLine(jobId, hung)).toBe(true);
    expect(v.cancelLine(jobId, 'l1' === hung ? 'l2' : 'l1')).toBe(false); // already done
    const end = await jobs.wait(jobId);
    expect(end.status).toBe('done');
    if (end.result?.kind !== 'voice') throw new Error('no result');
    expect(end.result.canceled).toEqual([hung]);
    expect(end.result.synthesized).toHaveLength(3);
    expect(progress.some((p) => p.lineId === hung && p.status === 'canceled')).toBe(true);

    server.enqueue({ kind: 'hang' });
    const job2 = jobs.start('voice', (ctx) =>
      v.synthesize(
        ctx,
        'p',
        episode({ lines: [{ kind: 'speech', id: 'x', speaker: 'Maya', text: 'Never.' }] }),
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(jobs.cancel(job2)).toBe(true);
    expect((await jobs.wait(job2)).status).toBe('canceled');
  });
});

describe('cost meter and budget', () => {
  it('estimates characters × price for lines not cached, and refuses a job over budget', async () => {
    const v = service();
    const ep = episode();
    const est = await v.estimate('p', ep);
    const chars = (id: string) => speech(ep, id).text.length;
    expect(est.totalChars).toBe(chars('l1') + chars('l2') + chars('l3') + chars('l4'));
    expect(est.totalUsd).toBeCloseTo(
      (chars('l1') + chars('l3')) * 15e-6 + (chars('l2') + chars('l4')) * 1e-4,
      6,
    );
    expect(est.lines.find((l) => l.lineId === 'l2')).toMatchObject({
      engine: 'elevenlabs',
      model: 'eleven_multilingual_v2',
      cached: false,
    });
    await expect(v.assertWithinBudget('p', ep, undefined, 0.001)).rejects.toMatchObject({
      code: 'over-budget',
    });
    await v.assertWithinBudget('p', ep, undefined, 1);

    const voiced = apply(ep, await voice(v, ep));
    const after = await v.estimate('p', edit(voiced, 'l4', 'Who pays for the cables?'));
    expect(after.uncachedLines).toBe(1);
    expect(after.totalChars).toBe('Who pays for the cables?'.length);
    expect(after.lines.filter((l) => l.cached).length).toBe(3);
    expect((await v.estimate('p', voiced, ['l1'], { regenerate: true })).totalChars).toBe(chars('l1'));
  });
});

describe('pronunciation dictionary', () => {
  it('is applied before synthesis and is part of the clip hash', async () => {
    const v = service();
    const ep = episode({
      lines: [
        { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'NVDA rose today.' },
        { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'And nvda fell later.' },
        { kind: 'speech', id: 'l3', speaker: 'Maya', text: 'Nothing to replace.' },
      ],
    });
    const plain = apply(ep, await voice(v, ep));
    const before = server.synthesisRequests().length;
    const dict = { ...plain, show: { ...plain.show, pronunciations: [{ word: 'NVDA', say: 'Nvidia' }] } };
    const r = await voice(v, dict);
    expect(r.synthesized.sort()).toEqual(['l1', 'l2']);
    const sent = server.synthesisRequests().slice(before);
    expect(sent.map((q) => q.body!.input ?? q.body!.text).sort()).toEqual([
      'And Nvidia fell later.',
      'Nvidia rose today.',
    ]);
    expect(r.clips.l1.hash).not.toBe(plain.clips.l1.hash);
  });
});

describe('clip hashes', () => {
  it('are unchanged for espeak (projects voiced before cloud engines keep their clips)', () => {
    const espeak = { id: 'espeak', version: 'v1' } as VoiceEngine;
    const persona: Persona = {
      ...PERSONAS[0],
      voice: { engine: 'espeak', voice: 'en-us+f3', rate: 165, pitch: 55 },
    };
    const old = createHash('sha256')
      .update(JSON.stringify(['espeak', 'v1', 'en-us+f3', 165, 55, 'Hello.']))
      .digest('hex')
      .slice(0, 32);
    expect(clipHash(espeak, persona, 'Hello.')).toBe(old);
  });

  it('change with model, voice and its settings', () => {
    const [openai, eleven] = engines(server);
    const base = clipHash(openai, PERSONAS[0], 'Hi.');
    const variant = (voiceOver: Partial<Persona['voice']>, p = PERSONAS[0], e = openai) =>
      clipHash(e, { ...p, voice: { ...p.voice, ...voiceOver } }, 'Hi.');
    expect(variant({ model: 'tts-1' })).not.toBe(base);
    expect(variant({ voice: 'onyx' })).not.toBe(base);
    expect(variant({ instructions: 'Whisper.' })).not.toBe(base);
    expect(clipHash(openai, { ...PERSONAS[0], role: 'Someone else' }, 'Hi.')).not.toBe(base);
    const el = clipHash(eleven, PERSONAS[1], 'Hi.');
    expect(variant({ similarityBoost: 0.1 }, PERSONAS[1], eleven)).not.toBe(el);
    expect(variant({ style: 0.5 }, PERSONAS[1], eleven)).not.toBe(el);
    // A persona role does not matter to models without instructions.
    expect(clipHash(eleven, { ...PERSONAS[1], role: 'x' }, 'Hi.')).toBe(el);
  });
});
