/// <reference types="vite/client" />
import { describe, it, expect } from 'vitest';
import { cleanArticleText } from '../draft/article-text';
import { checkGrounding } from '../draft/grounding';
import { draftOffline } from '../draft/offline-drafter';
import { EPISODE_VERSION, emptyAnalysis, speechLines, type Episode, type Persona } from '../model/episode';
import { transcriptText } from './transcript';
import seedArticle from '../draft/fixtures/seed-article.txt?raw';

function persona(id: string, name: string): Persona {
  return {
    id,
    name,
    role: '',
    voice: { engine: 'espeak', voice: 'en-us', rate: 170, pitch: 50 },
    color: '#aa5500',
  };
}

function episode(partial: Partial<Episode>): Episode {
  return {
    version: EPISODE_VERSION,
    id: 'ep',
    title: 'A title',
    category: 'News',
    createdAt: '2025-11-15T06:00:00.000Z',
    updatedAt: '2025-11-15T06:00:00.000Z',
    show: { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' },
    personas: [persona('a', 'Ada'), persona('b', 'Ben')],
    article: { title: 'A title', text: 'Body.' },
    lines: [],
    summary: '',
    analysis: emptyAnalysis(),
    clips: {},
    pauseSec: 0.4,
    ...partial,
  };
}

describe('transcriptText', () => {
  it('lays out title, date and category, dialogue, summary, source and analysis', () => {
    const text = transcriptText(
      episode({
        title: 'Bridges are back',
        category: 'World',
        article: { title: 'Bridges', text: 'x', source: 'The Daily', url: 'https://example.com/a' },
        lines: [
          { kind: 'heading', id: 'l1', text: 'Introduction' },
          { kind: 'speech', id: 'l2', speaker: 'Ada', text: 'Good morning.' },
          { kind: 'speech', id: 'l3', speaker: 'Ben', text: 'Hello\nthere.' },
          { kind: 'heading', id: 'l4', text: 'The story' },
          { kind: 'speech', id: 'l5', speaker: 'Ada', text: '   ' },
          { kind: 'speech', id: 'l6', speaker: 'Ada', text: 'A bridge opened.' },
        ],
        summary: 'A bridge opened in town.',
        analysis: { ...emptyAnalysis(), conflict: 'Some objected.', future: 'More may follow.' },
      }),
    );
    expect(text).toBe(
      [
        'Bridges are back',
        '',
        'Saturday, November 15th · World',
        '',
        'Ada',
        'Good morning.',
        'Ben',
        'Hello there.',
        'Ada',
        'A bridge opened.',
        '',
        'A bridge opened in town.',
        '',
        'Read original at The Daily',
        '',
        'Conflict',
        'Some objected.',
        '',
        'Future',
        'More may follow.',
        '',
      ].join('\n'),
    );
  });

  it('falls back to the URL, and leaves out what is unknown', () => {
    const withUrl = transcriptText(
      episode({ category: '', article: { title: 't', text: 'x', url: 'https://example.com/a' } }),
    );
    expect(withUrl).toBe('A title\n\nSaturday, November 15th\n\nRead original at https://example.com/a\n');
    const bare = transcriptText(episode({}));
    expect(bare).not.toContain('Read original');
    expect(bare).toBe('A title\n\nSaturday, November 15th · News\n');
  });

  it('prints every analysis section in page order', () => {
    const analysis = {
      conflict: 'c.',
      relatedInfo: 'r.',
      coreEvent: 'e.',
      background: 'b.',
      impact: 'i.',
      future: 'f.',
    };
    const text = transcriptText(episode({ analysis }));
    const order = ['Conflict', 'Related Info', 'Core Event', 'Background', 'Impact', 'Future'].map((t) =>
      text.indexOf(`\n${t}\n`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('renders a drafted seed episode whose numbers all come from the article', () => {
    const cleaned = cleanArticleText(seedArticle);
    const show = { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' };
    const personas = [persona('a', 'Elon'), persona('b', 'Donald')];
    const article = { title: cleaned.title, text: cleaned.text, source: cleaned.source };
    const draft = draftOffline({ article, show, personas });
    const ep = episode({ ...draft, show, personas, article });
    const text = transcriptText(ep);

    expect(
      text.startsWith(
        'China’s AI is quietly making big inroads in Silicon Valley\n\nSaturday, November 15th · Technology\n\nElon\nGood morning norristong,',
      ),
    ).toBe(true);
    expect(text).toContain('\nRead original at Al Jazeera English\n');
    expect(text).not.toMatch(/^## /m);
    for (const line of speechLines(draft.lines)) expect(text).toContain(`\n${line.speaker}\n${line.text}\n`);

    // Everything after the header, except the greeting's date, must be grounded in the article.
    const body = text
      .split('\n')
      .slice(4)
      .filter((l) => !l.startsWith('Good morning'));
    const articleText = `${cleaned.title}\n\n${cleaned.text}`;
    const numeric = body.flatMap((l) => checkGrounding(l, articleText)).filter((i) => i.kind !== 'quote');
    expect(numeric).toEqual([]);
    expect(body.join(' ')).toMatch(/\d/);
  });
});
