/// <reference types="vite/client" />
import { describe, it, expect } from 'vitest';
import type { ScriptLine } from '../model/episode';
import { parseScript } from '../script/format';
import { cleanArticleText } from './article-text';
import { checkGrounding, groundingForScript, isGreetingLine, type GroundingIssue } from './grounding';
import seedArticle from './fixtures/seed-article.txt?raw';
import seedDialogue from './fixtures/seed-dialogue.txt?raw';

function claims(issues: GroundingIssue[]): string[] {
  return issues.map((i) => i.claim);
}

describe('groundingForScript on the seed episode', () => {
  const lines = parseScript(seedDialogue);
  const results = groundingForScript(lines, seedArticle);
  const all = results.flatMap((r) => r.issues.map((i) => ({ ...i, lineId: r.lineId })));
  const textOf = (id: string) =>
    (lines.find((l) => l.id === id) as Extract<ScriptLine, { kind: 'speech' }>).text;

  it('parses the fixture as the 21 dialogue turns', () => {
    expect(lines).toHaveLength(21);
    expect(lines.every((l) => l.kind === 'speech' && (l.speaker === 'Elon' || l.speaker === 'Donald'))).toBe(
      true,
    );
  });

  it('flags the invented statistics', () => {
    const found = all.map((i) => `${i.kind}:${i.claim}`);
    expect(found).toContain('percent:83%');
    expect(found).toContain('percent:65%');
    expect(found).toContain('number:age six');
    expect(found).toContain('percent:over 40%');
  });

  it('positions every issue on its claim', () => {
    for (const issue of all) {
      expect(textOf(issue.lineId).slice(issue.start, issue.end)).toBe(issue.claim);
      expect(issue.message.length).toBeGreaterThan(10);
    }
  });

  it('does not flag facts the article supports', () => {
    const flagged = all.map((i) => i.claim).join(' | ');
    expect(flagged).not.toMatch(/40 times|\b40\b(?!%)/);
    expect(flagged).not.toMatch(/Qwen|Fortune|500/);
    expect(flagged).not.toMatch(/a ton cheaper/);
    const tonLine = lines.find((l) => l.kind === 'speech' && l.text.includes('"a ton cheaper."'));
    expect(tonLine).toBeDefined();
    expect(results.find((r) => r.lineId === tonLine?.id)).toBeUndefined();
  });

  it('exempts the greeting, whose date is the show’s', () => {
    const greeting = lines[0];
    expect(greeting.kind === 'speech' && isGreetingLine(greeting)).toBe(true);
    expect(results.some((r) => r.lineId === greeting.id)).toBe(false);
    const strict = groundingForScript(lines, seedArticle, () => false);
    expect(strict.find((r) => r.lineId === greeting.id)?.issues[0]?.claim).toBe('November 15th');
  });

  it('flags quotes the article does not contain', () => {
    const quotes = all.filter((i) => i.kind === 'quote').map((i) => i.claim);
    expect(quotes).toContain('"very good, fast, and low-cost."');
    expect(quotes).toContain('"digital iron curtain"');
  });

  it('works the same against the cleaned article', () => {
    const cleaned = cleanArticleText(seedArticle);
    const again = groundingForScript(lines, `${cleaned.title}\n\n${cleaned.text}`);
    expect(again).toEqual(results);
  });
});

describe('checkGrounding', () => {
  const article =
    'The firm sold seven units for $4 billion in 2024. Revenue rose 12 percent to 1,200 million yuan. ' +
    'Prices were 40 times lower. On April 1, 2025, the CEO said the deal was “a ton cheaper” and “very good”. ' +
    'About 3.5 million users joined, and 540 million downloads followed in October.';

  it('matches numbers by value across forms', () => {
    expect(checkGrounding('They sold 7 units.', article)).toEqual([]);
    expect(checkGrounding('Forty times lower, they said.', article)).toEqual([]);
    expect(checkGrounding('Revenue hit 1200 million yuan.', article)).toEqual([]);
    expect(checkGrounding('There were 540 million downloads.', article)).toEqual([]);
    expect(checkGrounding('That is 3.5 million users.', article)).toEqual([]);
  });

  it('flags numbers, written or not, that the article lacks', () => {
    expect(claims(checkGrounding('They sold eight units.', article))).toEqual(['eight']);
    expect(claims(checkGrounding('They sold 8 units.', article))).toEqual(['8']);
    expect(claims(checkGrounding('There were 541 million downloads.', article))).toEqual(['541 million']);
    expect(claims(checkGrounding('Kids learn from age six.', article))).toEqual(['age six']);
    expect(claims(checkGrounding('About forty-two firms.', article))).toEqual(['forty-two']);
  });

  it('does not confuse a scaled figure with its bare number', () => {
    // "7 million" is not "seven units".
    expect(claims(checkGrounding('They sold 7 million units.', article))).toEqual(['7 million']);
  });

  it('checks percentages as percentages', () => {
    expect(checkGrounding('Revenue rose 12%.', article)).toEqual([]);
    expect(checkGrounding('Revenue rose twelve percent.', article)).toEqual([]);
    const issues = checkGrounding('Prices fell 40% and 83 percent of users left.', article);
    expect(issues.map((i) => [i.kind, i.claim])).toEqual([
      ['percent', '40%'],
      ['percent', '83 percent'],
    ]);
  });

  it('checks money', () => {
    expect(checkGrounding('It cost $4 billion.', article)).toEqual([]);
    expect(checkGrounding('It cost 4 billion dollars.', article)).toEqual([]);
    const issues = checkGrounding('It cost $5bn.', article);
    expect(issues.map((i) => [i.kind, i.claim])).toEqual([['money', '$5bn']]);
  });

  it('checks years, month-day dates and months', () => {
    expect(checkGrounding('Back in 2024, and again on 1 April 2025.', article)).toEqual([]);
    expect(checkGrounding('Downloads came in October.', article)).toEqual([]);
    expect(checkGrounding('Since April 1, that is.', article)).toEqual([]);
    const issues = checkGrounding('In 2019, on April 2, 2025, and in March.', article);
    expect(issues.map((i) => [i.kind, i.claim])).toEqual([
      ['date', '2019'],
      ['date', 'April 2, 2025'],
      ['date', 'March'],
    ]);
  });

  it('ignores digits inside identifiers and "one" as a pronoun', () => {
    expect(checkGrounding('Kimi K2, GPT-5 and V3.2 are models; one of them is COP30.', article)).toEqual([]);
  });

  it('matches quotes case-insensitively, with any quote style', () => {
    expect(checkGrounding('He said it was "A TON cheaper".', article)).toEqual([]);
    expect(checkGrounding('He said it was ‘very good’.', article)).toEqual([]);
    expect(checkGrounding('He said it was “a   ton cheaper”.', article)).toEqual([]);
  });

  it('accepts a quote with at least 80% of its words in order, not less', () => {
    const long = 'On April 1, 2025, the CEO said the deal was a ton cheaper';
    // 13 words: drop 2 (85% kept) is fine; scramble into a different sentence is not.
    expect(checkGrounding(`“the CEO said that the deal was a whole ton cheaper”`, long)).toEqual([]);
    const issues = checkGrounding('“the CEO said the merger was a huge loss”', long);
    expect(issues.map((i) => i.kind)).toEqual(['quote']);
    expect(issues[0].start).toBe(0);
    expect(issues[0].end).toBe('“the CEO said the merger was a huge loss”'.length);
  });

  it('keeps apostrophes out of quote detection', () => {
    expect(checkGrounding('The CEO’s deal and the firms’ plan.', article)).toEqual([]);
  });
});
