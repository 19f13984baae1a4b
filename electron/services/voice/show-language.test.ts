// The embedded voices speak the show's language: a Chinese show is voiced with espeak-ng's
// Mandarin voice (a different clip from the same text in an English show).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeStudio } from '../node-host';
import type { Studio } from '../studio';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';

let studio: Studio | undefined;
afterAll(() => studio?.close());

describe('show language', () => {
  it('voices a zh-CN show in Mandarin and caches it apart from the English clip', async () => {
    studio = await createNodeStudio({ dataDir: await mkdtemp(join(tmpdir(), 'gp-lang-')), voiceWorkers: 1 });
    const lines = [
      { kind: 'speech' as const, id: 'l1', speaker: 'Maya', text: '今天是星期六，我们来谈谈人工智能。' },
    ];
    const en = sampleEpisode({ lines });
    const zh = sampleEpisode({ lines, show: { ...en.show, locale: 'zh-CN' } });
    const { projectId } = await studio.backend.projectNew({ episode: en });
    const run = async (episode: typeof en) => {
      const end = await studio!.jobs.wait(
        (await studio!.backend.voiceSynthesize({ projectId, episode })).jobId,
      );
      if (end.result?.kind !== 'voice') throw new Error(end.message);
      return end.result.clips.l1;
    };
    const enClip = await run(en);
    const zhClip = await run(zh);
    expect(zhClip.hash).not.toBe(enClip.hash);
    // Mandarin reads the 16 characters as syllables; English espeak spells out code points, far longer.
    expect(zhClip.durationSec).toBeGreaterThan(1);
    expect(zhClip.durationSec).toBeLessThan(enClip.durationSec);
  });
});
