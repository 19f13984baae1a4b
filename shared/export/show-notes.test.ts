/// <reference lib="dom" />
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_TITLES,
  EPISODE_VERSION,
  emptyAnalysis,
  type Episode,
  type Persona,
} from '../model/episode';
import type { Chapter } from './chapters';
import { escapeMarkdown, formatChapterTime, showNotesHtml, showNotesMarkdown } from './show-notes';

function persona(id: string, name: string, color: string): Persona {
  return { id, name, role: '', voice: { engine: 'espeak', voice: 'en-us', rate: 170, pitch: 50 }, color };
}

const EVIL = 'Is <script>alert("x")</script> & <img src=x onerror=alert(1)> *safe*?';

function episode(partial: Partial<Episode> = {}): Episode {
  return {
    version: EPISODE_VERSION,
    id: 'ep',
    title: 'China’s AI is quietly making big inroads in Silicon Valley',
    category: 'Technology',
    createdAt: '2025-11-15T06:00:00.000Z',
    updatedAt: '2025-11-15T06:00:00.000Z',
    show: { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' },
    personas: [persona('a', 'Elon', '#fca311'), persona('b', 'Donald', '#2ec4b6')],
    article: {
      title: 'China’s AI',
      text: 'Body.',
      source: 'Al Jazeera English',
      url: 'https://example.com/news/2025/11/15/china-ai_(1)?a=1&b=2',
    },
    lines: [
      { kind: 'speech', id: 'l1', speaker: 'Elon', text: 'Good morning norristong, I’m Elon.' },
      { kind: 'heading', id: 'h1', text: 'Export controls' },
      { kind: 'speech', id: 'l2', speaker: 'Donald', text: EVIL },
      { kind: 'heading', id: 'h2', text: 'Empty section' },
      { kind: 'heading', id: 'h3', text: 'Outlook' },
      { kind: 'speech', id: 'l3', speaker: 'Elon', text: 'That’s the end\nof today’s discussion.' },
    ],
    summary: 'Chinese AI is gaining significant traction in Silicon Valley.',
    analysis: {
      conflict: 'Cost versus trust.',
      relatedInfo: 'OpenRouter usage data.',
      coreEvent: 'Airbnb picked Qwen.',
      background: 'Export controls on chips.',
      impact: 'A price shock.',
      future: 'Adoption decides the race.',
    },
    clips: {},
    pauseSec: 0.4,
    ...partial,
  };
}

const CHAPTERS: Chapter[] = [
  { title: 'Introduction', start: 0, end: 4.2 },
  { title: 'Export controls', start: 4.2, end: 75.9 },
  { title: 'Outlook & <more>', start: 3725.4, end: 3800 },
];

describe('formatChapterTime', () => {
  it('formats mm:ss, and h:mm:ss from one hour on', () => {
    expect(formatChapterTime(0)).toBe('00:00');
    expect(formatChapterTime(4.999)).toBe('00:04');
    expect(formatChapterTime(75.9)).toBe('01:15');
    expect(formatChapterTime(3599.99)).toBe('59:59');
    expect(formatChapterTime(3725.4)).toBe('1:02:05');
    expect(formatChapterTime(-3)).toBe('00:00');
  });
});

describe('showNotesMarkdown', () => {
  const md = showNotesMarkdown(episode(), CHAPTERS);

  it('lays out title, date and category, summary, source link, chapters, analysis and dialogue', () => {
    const order = [
      '# China’s AI is quietly making big inroads in Silicon Valley',
      'Saturday, November 15th · Technology',
      'Chinese AI is gaining significant traction in Silicon Valley.',
      'Read original at [Al Jazeera English](https://example.com/news/2025/11/15/china-ai_%281%29?a=1&b=2)',
      '## Chapters',
      '- 00:00 Introduction\n- 00:04 Export controls\n- 1:02:05 Outlook \\& \\<more\\>',
      '## Analysis',
      ...Object.values(ANALYSIS_TITLES).map((t) => `### ${t}`),
      '## Dialogue',
      '**Elon:** Good morning norristong, I’m Elon.',
      '### Export controls',
      '**Donald:** Is',
      '### Outlook',
      '**Elon:** That’s the end of today’s discussion.',
    ];
    let at = 0;
    for (const part of order) {
      const found = md.indexOf(part, at);
      expect(found, part).toBeGreaterThanOrEqual(at);
      at = found + part.length;
    }
    expect(md).not.toContain('Empty section');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('escapes markup so a line can neither format nor inject HTML', () => {
    expect(md).not.toMatch(/(^|[^\\])<(script|img)/m);
    expect(md).toContain(
      '\\<script\\>alert("x")\\</script\\> \\& \\<img src=x onerror=alert(1)\\> \\*safe\\*?',
    );
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('[link](javascript:x)')).toBe('\\[link\\](javascript:x)');
  });

  it('names the source without a link when there is no usable URL, and skips empty parts', () => {
    const plain = showNotesMarkdown(
      episode({
        article: { title: 't', text: 'x', source: 'The Daily', url: 'javascript:alert(1)' },
        summary: ' ',
        analysis: emptyAnalysis(),
      }),
      [],
    );
    expect(plain).toContain('Read original at The Daily\n');
    expect(plain).not.toContain('javascript');
    expect(plain).not.toContain('## Chapters');
    expect(plain).not.toContain('## Analysis');
  });
});

describe('showNotesHtml', () => {
  const html = showNotesHtml(episode(), CHAPTERS);
  const doc = parseHTML(html).document;

  it('is one self-contained HTML5 page in the show’s language', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en-US">')).toBe(true);
    expect(doc.documentElement.lang).toBe('en-US');
    expect(doc.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(doc.title).toBe(episode().title);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelectorAll('script, img, link, iframe, object, embed')).toHaveLength(0);
    expect([...doc.querySelectorAll('*')].filter((e) => e.hasAttribute('src'))).toEqual([]);
    expect([...doc.querySelectorAll('[href]')].map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/news/2025/11/15/china-ai_(1)?a=1&b=2',
    ]);
    expect(
      [...doc.querySelectorAll('*')].some((e) => [...e.attributes].some((a) => a.name.startsWith('on'))),
    ).toBe(false);
    expect(
      doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
    ).toContain("default-src 'none'");
    expect(showNotesHtml(episode({ show: { ...episode().show, locale: 'de_DE' } }), [])).toContain(
      '<html lang="de-DE">',
    );
    expect(showNotesHtml(episode({ show: { ...episode().show, locale: 'x"><script>' } }), [])).toContain(
      '<html lang="en">',
    );
  });

  it('escapes every text: the <script> line reads back as text', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
    const lines = [...doc.querySelectorAll('.line')].map((p) => [
      p.querySelector('.speaker')?.textContent,
      p.querySelector('.text')?.textContent,
    ]);
    expect(lines).toEqual([
      ['Elon', 'Good morning norristong, I’m Elon.'],
      ['Donald', EVIL],
      ['Elon', 'That’s the end of today’s discussion.'],
    ]);
  });

  it('shows title, spoken date and category, summary, source, all six sections and chapter times', () => {
    expect(doc.querySelector('h1')?.textContent).toBe(episode().title);
    expect(doc.querySelector('.meta time')?.textContent).toBe('Saturday, November 15th · Technology');
    expect(doc.querySelector('.meta time')?.getAttribute('datetime')).toBe('2025-11-15');
    expect(doc.querySelector('.summary')?.textContent).toBe(episode().summary);
    expect(doc.querySelector('.source')?.textContent).toBe('Read original at Al Jazeera English');
    const sections = [...doc.querySelectorAll('section.analysis')].map((s) => [
      s.querySelector('h3')?.textContent,
      s.querySelector('p')?.textContent,
    ]);
    expect(sections).toEqual([
      ['Conflict', 'Cost versus trust.'],
      ['Related Info', 'OpenRouter usage data.'],
      ['Core Event', 'Airbnb picked Qwen.'],
      ['Background', 'Export controls on chips.'],
      ['Impact', 'A price shock.'],
      ['Future', 'Adoption decides the race.'],
    ]);
    const chapters = [...doc.querySelectorAll('.chapters li')].map((li) => [
      li.querySelector('time')?.textContent,
      li.querySelector('span')?.textContent,
    ]);
    expect(chapters).toEqual([
      ['00:00', 'Introduction'],
      ['00:04', 'Export controls'],
      ['1:02:05', 'Outlook & <more>'],
    ]);
    expect([...doc.querySelectorAll('h3:not(section h3)')].map((h) => h.textContent)).toEqual([
      'Export controls',
      'Outlook',
    ]);
    expect(html).toContain('.s0 { color: #fca311; }');
  });
});
