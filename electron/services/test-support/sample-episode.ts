/** A small valid episode for tests. */
import { EPISODE_VERSION, emptyAnalysis, type Episode, type Persona } from '../../../shared/model/episode';

export const TEST_PERSONAS: Persona[] = [
  {
    id: 'a',
    name: 'Maya',
    role: 'host',
    voice: { engine: 'espeak', voice: 'en-us+f3', rate: 175, pitch: 55 },
    color: '#4fb3ff',
  },
  {
    id: 'b',
    name: 'Theo',
    role: 'co-host',
    voice: { engine: 'espeak', voice: 'en-us+m3', rate: 170, pitch: 40 },
    color: '#ffb347',
  },
];

export function sampleEpisode(overrides: Partial<Episode> = {}): Episode {
  return {
    version: EPISODE_VERSION,
    id: 'ep-test',
    title: 'Libraries open podcast studios',
    category: 'Culture',
    createdAt: '2025-11-15T08:00:00.000Z',
    updatedAt: '2025-11-15T08:00:00.000Z',
    show: { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' },
    personas: TEST_PERSONAS,
    article: {
      title: 'Libraries open podcast studios',
      text: 'Libraries opened six studios. They cost $18,000 each.',
    },
    lines: [
      { kind: 'heading', id: 'h1', text: 'Opening' },
      { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Good morning norristong, this is Goose Pod.' },
      { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'Libraries opened six studios.' },
      { kind: 'speech', id: 'l3', speaker: 'Maya', text: 'They cost eighteen thousand dollars each.' },
    ],
    summary: 'Libraries opened studios.',
    analysis: emptyAnalysis(),
    clips: {},
    pauseSec: 0.5,
    ...overrides,
  };
}
