import { describe, expect, it } from 'vitest';
import { applyPronunciations } from './pronunciation';
import { splitForEngine } from './text-chunks';

describe('splitForEngine', () => {
  it('leaves short text whole', () => {
    expect(splitForEngine('  Hello there.  ', 100)).toEqual(['Hello there.']);
    expect(splitForEngine('', 100)).toEqual([]);
  });

  it('splits at sentence boundaries under the limit, in order, losing nothing', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something useful.`);
    const text = sentences.join(' ');
    const chunks = splitForEngine(text, 200);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(200);
      expect(c).toMatch(/\.$/); // every chunk ends at a sentence end
    }
    expect(chunks.join(' ')).toBe(text);
  });

  it('does not split after abbreviations like "Dr."', () => {
    const text = 'Dr. Smith spoke first. ' + 'Then the board voted on the plan. '.repeat(5);
    const chunks = splitForEngine(text.trim(), 60);
    expect(chunks[0].startsWith('Dr. Smith spoke first.')).toBe(true);
  });

  it('breaks an over-long sentence at commas, then spaces', () => {
    const long = Array.from({ length: 30 }, (_, i) => `clause ${i}`).join(', ') + '.';
    const chunks = splitForEngine(long, 50);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(50);
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(long);
    const words = 'word '.repeat(100).trim();
    for (const c of splitForEngine(words, 33)) expect(c.length).toBeLessThanOrEqual(33);
  });
});

describe('applyPronunciations', () => {
  const dict = [
    { word: 'NVDA', say: 'Nvidia' },
    { word: 'S&P', say: 'S and P' },
    { word: 'S&P 500', say: 'S and P five hundred' },
    { word: 'Nguyen', say: 'Win' },
    { word: '$TSLA', say: 'Tesla stock' },
  ];

  it('replaces whole words case-insensitively, longest first', () => {
    expect(applyPronunciations('nvda rose; the S&P 500 and the s&p fell. Ms. NGUYEN agreed.', dict)).toBe(
      'Nvidia rose; the S and P five hundred and the S and P fell. Ms. Win agreed.',
    );
  });

  it('leaves parts of words alone and does not rewrite replacements', () => {
    expect(applyPronunciations('NVDAX and preNVDA stay; $TSLA moves.', dict)).toBe(
      'NVDAX and preNVDA stay; Tesla stock moves.',
    );
    expect(applyPronunciations('AI and AIs', [{ word: 'AI', say: 'A. I.' }])).toBe('A. I. and AIs');
    expect(applyPronunciations('x', [{ word: 'x', say: 'x x' }])).toBe('x x');
  });

  it('is a no-op without a dictionary', () => {
    expect(applyPronunciations('Same text.', undefined)).toBe('Same text.');
    expect(applyPronunciations('Same text.', [{ word: '  ', say: 'no' }])).toBe('Same text.');
  });
});
