import { describe, expect, it } from 'vitest';
import { EPISODE_VERSION, emptyAnalysis, type Episode, type SpeechLine } from '@shared/model/episode';
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

function episode(extra: Partial<Episode>): Episode {
  return {
    version: EPISODE_VERSION,
    id: 'e',
    title: 't',
    category: 'c',
    createdAt: '',
    updatedAt: '',
    show: { showName: 'Goose Pod', listenerName: 'Ann', locale: 'en-US', date: '2025-11-15' },
    personas: [
      {
        id: 'a',
        name: 'Maya',
        role: '',
        voice: { engine: 'espeak', voice: 'en-us+f3', rate: 165, pitch: 55 },
        color: '#4fb3ff',
      },
    ],
    article: { title: '', text: '' },
    lines: [line],
    summary: '',
    analysis: emptyAnalysis(),
    clips: {},
    pauseSec: 0.6,
    ...extra,
  };
}

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
