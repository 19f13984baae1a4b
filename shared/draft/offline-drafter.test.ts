/// <reference types="vite/client" />
import { describe, it, expect } from 'vitest';
import { DraftResultSchema } from '../contract';
import type { Article, ScriptLine, ShowSettings, SpeechLine } from '../model/episode';
import { speechLines } from '../model/episode';
import { groundingForScript } from './grounding';
import {
  CONNECTIVES,
  STANDALONE_CONNECTIVES,
  classifyCategory,
  draftOffline,
  factFreePhrase,
  WORDS_PER_MINUTE,
} from './offline-drafter';
import { splitSentences } from './sentences';
import { cleaned, persona, show } from './fixtures/draft-fixtures';
import seedArticle from './fixtures/seed-article.txt?raw';

const hosts = [persona('a', 'Elon'), persona('b', 'Donald')];
const seed: Article = { title: cleaned.title, text: cleaned.text, source: cleaned.source };

function words(s: string): number {
  return s.trim() === '' ? 0 : s.trim().split(/\s+/).length;
}

function speechWords(lines: ScriptLine[]): number {
  return speechLines(lines).reduce((n, l) => n + words(l.text), 0);
}

/** Comparable text: quote marks and whitespace differences removed. */
function norm(s: string): string {
  return s.replace(/[“”"]/g, '').replace(/\s+/g, ' ').trim();
}

const FORMULA = /^(Good morning |And I'm |That's the end of today's discussion\.|.*See you tomorrow\.$)/;

/** The article sentences a line carries, with connectives taken off. */
function contentSentences(line: SpeechLine): string[] {
  const connective = new RegExp(
    `^(?:${[...CONNECTIVES, ...STANDALONE_CONNECTIVES].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s+`,
  );
  return splitSentences(line.text).map((s) => s.replace(connective, ''));
}

function inArticle(sentence: string, articleText: string): boolean {
  const a = norm(articleText);
  const s = norm(sentence);
  const variants = [s, s.replace(/\.$/, ''), s[0].toUpperCase() + s.slice(1)];
  return variants.some((v) => a.includes(v) || a.includes(v[0].toUpperCase() + v.slice(1)));
}

/** A long deterministic article about a made-up city, with numbers and quotes. */
function syntheticArticle(paragraphs: number): string {
  const subjects = ['The council', 'Mayor Lena Ortiz', 'The transit agency', 'Local businesses', 'Residents'];
  const verbs = ['approved', 'criticised', 'debated', 'welcomed', 'questioned'];
  const objects = [
    'the new tram line',
    'the housing plan',
    'the budget',
    'the river park',
    'the parking rules',
  ];
  const out: string[] = ['Riverton weighs its biggest budget in a decade', ''];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 4; s++) {
      const k = p * 4 + s;
      const subject = subjects[k % subjects.length];
      const verb = verbs[(k * 3) % verbs.length];
      const object = objects[(k * 7) % objects.length];
      if (k % 5 === 0) {
        sentences.push(
          `${subject} ${verb} ${object} on Tuesday, saying it would cost ${k + 3} million dollars over ${(k % 9) + 2} years.`,
        );
      } else if (k % 5 === 1) {
        sentences.push(
          `“We cannot wait another year for ${object},” said ${subject.toLowerCase().startsWith('the') ? 'a spokesperson' : subject} in a statement.`,
        );
      } else {
        sentences.push(
          `${subject} ${verb} ${object} after a long meeting in the old town hall, and ${(k % 40) + 10}% of those present agreed.`,
        );
      }
    }
    out.push(sentences.join(' '), '');
  }
  return out.join('\n');
}

describe('draftOffline on the seed article', () => {
  const result = draftOffline({ article: seed, show, personas: hosts });
  const speech = speechLines(result.lines);

  it('returns a valid DraftResult', () => {
    expect(DraftResultSchema.safeParse(result).success).toBe(true);
    expect(result.title).toBe('China’s AI is quietly making big inroads in Silicon Valley');
    expect(result.category).toBe('Technology');
  });

  it('opens with the greeting and the topic intro', () => {
    expect(speech[0]).toMatchObject({
      speaker: 'Elon',
      text: "Good morning norristong, I'm Elon, and this is Goose Pod for you. Today is Saturday, November 15th.",
    });
    expect(speech[1]).toMatchObject({
      speaker: 'Donald',
      text: "And I'm Donald. Today's story: China’s AI is quietly making big inroads in Silicon Valley.",
    });
  });

  it('closes with the sign-off formulas', () => {
    const [a, b] = speech.slice(-2);
    expect(a).toMatchObject({
      speaker: 'Elon',
      text: "That's the end of today's discussion. Thank you for listening to Goose Pod, norristong.",
    });
    expect(b.speaker).toBe('Donald');
    expect(b.text).toMatch(/^[^.]+(\. [^.]+)?\. See you tomorrow\.$/);
    expect(b.text).not.toMatch(/\d/);
  });

  it('has 3–5 chapter headings and ends with the sign-off chapter', () => {
    const headings = result.lines.filter((l) => l.kind === 'heading');
    expect(headings.length).toBeGreaterThanOrEqual(3);
    expect(headings.length).toBeLessThanOrEqual(5);
    expect(headings[headings.length - 1].text).toBe('Sign-off');
    expect(new Set(headings.map((h) => h.text)).size).toBe(headings.length);
    // No empty chapter: every heading is followed by speech.
    result.lines.forEach((l, i) => {
      if (l.kind === 'heading') expect(result.lines[i + 1]?.kind).toBe('speech');
    });
  });

  it('numbers line ids l1, l2, … in order', () => {
    expect(result.lines.map((l) => l.id)).toEqual(result.lines.map((_, i) => `l${i + 1}`));
  });

  it('alternates the two hosts', () => {
    for (let i = 1; i < speech.length; i++) expect(speech[i].speaker).not.toBe(speech[i - 1].speaker);
  });

  it('keeps speech on one line and never starts it with ##', () => {
    for (const l of speech) {
      expect(l.text).not.toMatch(/[\r\n]/);
      expect(l.text.startsWith('##')).toBe(false);
      expect(l.text).toBe(l.text.trim());
    }
  });

  it('takes every non-formula sentence from the cleaned article', () => {
    const content = speech.filter((l) => !FORMULA.test(l.text));
    expect(content.length).toBeGreaterThan(5);
    for (const line of content) {
      const sentences = contentSentences(line);
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(3);
      for (const s of sentences) expect(inArticle(s, cleaned.text), s).toBe(true);
    }
  });

  it('keeps sentences in article order', () => {
    const a = norm(cleaned.text);
    const positions = speech
      .filter((l) => !FORMULA.test(l.text))
      .flatMap(contentSentences)
      .map((s) =>
        a.indexOf(
          norm(s)
            .replace(/\.$/, '')
            .replace(/^./, (c) => c.toUpperCase()),
        ),
      );
    const found = positions.filter((p) => p >= 0);
    expect(found.length).toBeGreaterThan(5);
    expect(found).toEqual([...found].sort((x, y) => x - y));
  });

  it('carries the article’s numbers and quotes verbatim', () => {
    const all = speech.map((l) => l.text).join(' ');
    expect(all).toContain('540 million');
    expect(all).toContain('“a ton cheaper”');
  });

  it('has no grounding issues against its article (greeting exempt)', () => {
    expect(groundingForScript(result.lines, `${cleaned.title}\n\n${cleaned.text}`)).toEqual([]);
  });

  it('also copes with the raw paste', () => {
    const raw = draftOffline({ article: { title: '', text: seedArticle }, show, personas: hosts });
    expect(raw.title).toBe(result.title);
    expect(groundingForScript(raw.lines, seedArticle)).toEqual([]);
    const all = speechLines(raw.lines)
      .map((l) => l.text)
      .join(' ');
    expect(all).not.toMatch(/Recommended Stories|\[Kirill|Schiefelbein/);
  });

  it('sizes the seed draft near the default five minutes', () => {
    const w = speechWords(result.lines);
    expect(w).toBeGreaterThanOrEqual(5 * WORDS_PER_MINUTE * 0.85);
    expect(w).toBeLessThanOrEqual(5 * WORDS_PER_MINUTE * 1.15);
  });

  it('writes an extractive summary and analysis', () => {
    const summary = splitSentences(result.summary);
    expect(summary.length).toBeGreaterThanOrEqual(2);
    expect(summary.length).toBeLessThanOrEqual(4);
    for (const s of summary) expect(inArticle(s, cleaned.text), s).toBe(true);
    for (const [key, text] of Object.entries(result.analysis)) {
      const sentences = splitSentences(text);
      expect(sentences.length, key).toBeGreaterThanOrEqual(1);
      expect(sentences.length, key).toBeLessThanOrEqual(3);
      for (const s of sentences) expect(inArticle(s, cleaned.text), `${key}: ${s}`).toBe(true);
    }
    expect(result.analysis.coreEvent).toContain('China’s AI models are quickly gaining traction');
    expect(result.analysis.conflict).toMatch(/\b(but|however|critic|fight|controls|failure)/i);
    expect(result.analysis.future).toMatch(/\b(will|could|may|longer term|likely)\b/i);
  });

  it('is deterministic', () => {
    const again = draftOffline({
      article: { ...seed },
      show: { ...show },
      personas: hosts.map((p) => ({ ...p })),
    });
    expect(again).toEqual(result);
  });
});

describe('draftOffline sizing', () => {
  const article: Article = { title: '', text: syntheticArticle(80) };

  it('has enough material for the test to mean something', () => {
    expect(words(article.text)).toBeGreaterThan(5000);
  });

  for (const minutes of [2, 5, 10]) {
    it(`lands within ±15% of ${minutes} minutes on a long article`, () => {
      const r = draftOffline({ article, show, personas: hosts, targetMinutes: minutes });
      const target = minutes * WORDS_PER_MINUTE;
      const w = speechWords(r.lines);
      expect(w).toBeGreaterThanOrEqual(target * 0.85);
      expect(w).toBeLessThanOrEqual(target * 1.15);
      expect(groundingForScript(r.lines, article.text)).toEqual([]);
    });
  }

  it('uses what a short article has', () => {
    const text =
      'Riverton opened a bridge on Monday. It cost 12 million dollars and took three years to build.';
    const r = draftOffline({
      article: { title: 'A new bridge', text },
      show,
      personas: hosts,
      targetMinutes: 10,
    });
    const content = speechLines(r.lines).filter((l) => !FORMULA.test(l.text));
    expect(content.map((l) => contentSentences(l)).flat()).toEqual([
      'Riverton opened a bridge on Monday.',
      'It cost 12 million dollars and took three years to build.',
    ]);
    expect(r.lines.filter((l) => l.kind === 'heading').length).toBeGreaterThanOrEqual(3);
    expect(splitSentences(r.summary).length).toBe(2);
  });

  it('still greets and signs off for an empty article', () => {
    const r = draftOffline({ article: { title: 'Nothing', text: '' }, show, personas: hosts });
    const speech = speechLines(r.lines);
    expect(speech).toHaveLength(4);
    expect(r.summary).toBe('');
    expect(r.analysis.coreEvent).toBe('');
  });

  it('takes the title from the first sentence when there is none', () => {
    const r = draftOffline({
      article: {
        title: '',
        text: 'Ada Lovelace wrote the first program for a machine that did not yet exist in 1843. It was long.',
      },
      show,
      personas: hosts,
    });
    expect(r.title).toBe('Ada Lovelace wrote the first program for a machine that did not');
  });
});

describe('draftOffline with more hosts and locales', () => {
  it('rotates three or four hosts', () => {
    const four = [persona('a', 'Ada'), persona('b', 'Ben'), persona('c', 'Cy'), persona('d', 'Dee')];
    const r = draftOffline({ article: seed, show, personas: four });
    const content = speechLines(r.lines).slice(2, -2);
    content.forEach((l, i) => expect(l.speaker).toBe(four[i % 4].name));
    const three = draftOffline({ article: seed, show, personas: four.slice(0, 3) });
    const speakers = new Set(speechLines(three.lines).map((l) => l.speaker));
    expect([...speakers].sort()).toEqual(['Ada', 'Ben', 'Cy']);
  });

  it('speaks the date in the show locale', () => {
    const r = draftOffline({ article: seed, show: { ...show, locale: 'de-DE' }, personas: hosts });
    expect(speechLines(r.lines)[0].text).toContain('Today is Samstag, 15. November.');
  });

  it('refuses to draft without hosts', () => {
    expect(() => draftOffline({ article: seed, show, personas: [] })).toThrow(/persona/);
  });
});

describe('classifyCategory', () => {
  it('classifies by keywords with the title weighted', () => {
    expect(classifyCategory(cleaned.title, cleaned.text)).toBe('Technology');
    expect(
      classifyCategory(
        'Cup final',
        'The team won the match after the coach changed players. The league title followed.',
      ),
    ).toBe('Sports');
    expect(classifyCategory('Hospital news', 'Patients and doctors welcomed the vaccine.')).toBe('Health');
    expect(classifyCategory('A quiet day', 'Nothing much happened here.')).toBe('News');
  });
});

describe('draftOffline with persona catchphrases', () => {
  const withPhrases = [
    { ...persona('a', 'Elon'), catchphrases: ['Nvidia sold 3 million chips', 'Stay curious'] },
    { ...persona('b', 'Donald'), style: 'blunt', catchphrases: ['Keep asking questions!'] },
  ];
  const plain = speechLines(draftOffline({ article: seed, show, personas: hosts }).lines);
  const speech = speechLines(draftOffline({ article: seed, show, personas: withPhrases }).lines);

  it('closes each host’s sign-off with their first fact-free catchphrase', () => {
    const [a, b] = speech.slice(-2);
    expect(a.text).toBe(`${plain[plain.length - 2].text} Stay curious.`);
    expect(b.text).toBe(`${plain[plain.length - 1].text} Keep asking questions!`);
  });

  it('uses catchphrases nowhere else', () => {
    expect(speech.slice(0, 2).map((l) => l.text)).toEqual(plain.slice(0, 2).map((l) => l.text));
    for (const l of speech.slice(0, -2)) expect(l.text).not.toMatch(/Stay curious|Keep asking|Nvidia sold/);
    expect(speech.some((l) => l.text.includes('Nvidia sold'))).toBe(false);
  });

  it('keeps the sign-off standard when no catchphrase is fact-free', () => {
    const factual = [
      { ...persona('a', 'Elon'), catchphrases: ['Prices rose 40%', 'Ask Jensen Huang'] },
      hosts[1],
    ];
    const lines = speechLines(draftOffline({ article: seed, show, personas: factual }).lines);
    expect(lines.map((l) => l.text)).toEqual(plain.map((l) => l.text));
  });

  it('tells fact-free phrases from factual ones', () => {
    for (const ok of ['Stay curious', "I'm out!", 'Keep asking questions', 'That’s a wrap, folks.']) {
      expect(factFreePhrase(ok), ok).toBe(true);
    }
    for (const bad of [
      '',
      'Sales grew 12 percent',
      'Two billion users',
      'Ask Microsoft',
      '“Quote me”',
      'It costs $5',
      'Half the market',
      'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen',
    ]) {
      expect(factFreePhrase(bad), bad).toBe(false);
    }
  });

  it('has no grounding issues with catchphrases', () => {
    const draft = draftOffline({ article: seed, show, personas: withPhrases });
    expect(groundingForScript(draft.lines, `${cleaned.title}\n\n${cleaned.text}`)).toEqual([]);
  });
});

describe('draftOffline with show templates, target and category', () => {
  const plain = draftOffline({ article: seed, show, personas: hosts });
  const templated: ShowSettings = {
    ...show,
    greetingTemplate: 'Good {timeOfDay} {listener}! {host} here with {show} on {weekday}, {date}.',
    signOffTemplate: 'That was {show}. Bye, {listener}.',
  };

  it('greets and signs off with the templates, variables filled in', () => {
    const speech = speechLines(draftOffline({ article: seed, show: templated, personas: hosts }).lines);
    expect(speech[0].text).toBe(
      'Good morning norristong! Elon here with Goose Pod on Saturday, November 15, 2025.',
    );
    expect(speech[speech.length - 2]).toMatchObject({
      speaker: 'Elon',
      text: 'That was Goose Pod. Bye, norristong.',
    });
    const evening = speechLines(
      draftOffline({ article: seed, show: templated, personas: hosts, hour: 20 }).lines,
    );
    expect(evening[0].text).toMatch(/^Good evening norristong!/);
  });

  it('keeps the standard formulas for blank templates', () => {
    const blank = { ...show, greetingTemplate: '  ', signOffTemplate: '' };
    expect(draftOffline({ article: seed, show: blank, personas: hosts })).toEqual(plain);
  });

  it('sizes to the show’s target minutes unless the input names one', () => {
    const long = draftOffline({ article: seed, show: { ...show, targetMinutes: 2 }, personas: hosts });
    expect(speechWords(long.lines)).toBeLessThan(speechWords(plain.lines) * 0.6);
    const explicit = draftOffline({
      article: seed,
      show: { ...show, targetMinutes: 2 },
      personas: hosts,
      targetMinutes: 5,
    });
    expect(explicit).toEqual(plain);
  });

  it('uses the show’s category when set', () => {
    expect(
      draftOffline({ article: seed, show: { ...show, category: 'AI Weekly' }, personas: hosts }).category,
    ).toBe('AI Weekly');
    expect(draftOffline({ article: seed, show: { ...show, category: ' ' }, personas: hosts }).category).toBe(
      'Technology',
    );
  });
});
