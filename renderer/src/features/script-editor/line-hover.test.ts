import { describe, expect, it } from 'vitest';
import type { Episode, SpeechLine } from '@shared/model/episode';
import { sampleEpisode } from '@shared/model/fixtures/sample-episode';
import { lineHoverMarkdown } from './line-hover';

const line: SpeechLine = { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Libraries opened six studios.' };
const take = (hash: string) => ({
  hash,
  key: hash,
  engine: 'espeak',
  voice: 'en-us+f3',
  createdAt: '2025-11-15T08:00:00.000Z',
  durationSec: 2,
  costUsd: 0,
});

const episode = (extra: Partial<Episode>): Episode => sampleEpisode({ lines: [line], ...extra });

describe('lineHoverMarkdown', () => {
  const inputs = (e: Episode) => ({ episode: e, voicedWith: {}, rendering: {}, failedLines: {} });

  it('says when a line has no takes yet', () => {
    expect(lineHoverMarkdown(line, inputs(episode({})))).toContain('Takes: none yet');
  });

  it('counts takes and names the pinned one', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const md = lineHoverMarkdown(
      line,
      inputs(episode({ takes: { l1: [take(a), take(b)] }, pinned: { l1: a } })),
    );
    expect(md.join('\n')).toMatch(/Takes: 2 · take #1 pinned/);
  });
});
