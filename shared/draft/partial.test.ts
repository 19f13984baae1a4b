import { describe, expect, it } from 'vitest';
import { StudioError } from '../contract';
import type { Article, ScriptLine } from '../model/episode';
import { printScript } from '../script/format';
import { groundingForScript } from './grounding';
import { draftOffline } from './offline-drafter';
import {
  nextHost,
  redraftOffline,
  redraftRegion,
  rewriteTarget,
  SIGN_OFF_HEADING,
  speechWords,
  spliceRedraft,
} from './partial';
import { splitSentences } from './sentences';
import { cleaned, persona, show } from './fixtures/draft-fixtures';

const hosts = [persona('a', 'Maya'), persona('b', 'Theo')];
const article: Article = { title: cleaned.title, text: cleaned.text };
const script = draftOffline({ article, show, personas: hosts, targetMinutes: 3 }).lines;
const speech = script.filter((l) => l.kind === 'speech');

function thrown(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('redraftRegion', () => {
  it('runs from the chosen speech line to just before the sign-off chapter', () => {
    const from = speech[3];
    const region = redraftRegion(script, from.id);
    expect(script[region.start]).toBe(from);
    expect(script[region.end]).toMatchObject({ kind: 'heading', text: 'Sign-off' });
    expect(region.signOff).toBe('kept');
    expect(region.head).toEqual(script.slice(0, region.start));
    expect(region.after.length).toBe(3);
  });

  it('keeps a heading the cursor sits on and starts at the next speech line', () => {
    const heading = script.findIndex((l, i) => i > 0 && l.kind === 'heading');
    const region = redraftRegion(script, script[heading].id);
    expect(region.start).toBe(heading + 1);
    expect(region.head.at(-1)).toBe(script[heading]);
  });

  it('runs to the end and writes a sign-off when the script has no sign-off chapter', () => {
    const noSignOff = script.filter((l) => !(l.kind === 'heading' && l.text === 'Sign-off'));
    const region = redraftRegion(noSignOff, speech[4].id);
    expect(region.end).toBe(noSignOff.length);
    expect(region.signOff).toBe('write');
  });

  it('redrafts only the sign-off from inside it', () => {
    const region = redraftRegion(script, speech.at(-1)!.id);
    expect(region.signOff).toBe('only');
    expect(region.end).toBe(script.length);
  });

  it('explains a vanished line or a region with no dialogue', () => {
    expect(thrown(() => redraftRegion(script, 'nope')).code).toBe('not-found');
    const tail: ScriptLine[] = [...script, { kind: 'heading', id: 'zz', text: 'Notes' }];
    expect(thrown(() => redraftRegion(tail, 'zz')).message).toMatch(/no dialogue/);
  });
});

describe('SIGN_OFF_HEADING', () => {
  it('matches whole sign-off headings, with thanks or credits joined on', () => {
    for (const h of [
      'Sign-off',
      'sign off',
      'Signoff',
      'Outro',
      'Closing',
      'Goodbye',
      'Goodbyes!',
      'Sign-off and thanks',
      'Outro & credits',
      'Closing:',
    ])
      expect(SIGN_OFF_HEADING.test(h), h).toBe(true);
  });

  it('does not take a chapter that only starts with such a word for the sign-off', () => {
    for (const h of [
      'Closing the gap',
      'Outro music rights',
      'Goodbye to coal',
      'Sign-offs on the budget',
      'Closing arguments',
    ])
      expect(SIGN_OFF_HEADING.test(h), h).toBe(false);
    const lines: ScriptLine[] = [
      { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Hello.' },
      { kind: 'heading', id: 'l2', text: 'Closing the gap' },
      { kind: 'speech', id: 'l3', speaker: 'Theo', text: 'The gap closes.' },
    ];
    expect(redraftRegion(lines, 'l1')).toMatchObject({ start: 0, end: 3, signOff: 'write' });
  });
});

describe('spliceRedraft', () => {
  it('puts the new lines between the kept ones, and refuses when an anchor is gone', () => {
    const lines: ScriptLine[] = ['a', 'b', 'c', 'd'].map((id) => ({ kind: 'comment', id, text: id }));
    const fresh: ScriptLine[] = [{ kind: 'comment', id: 'x', text: 'x' }];
    expect(
      spliceRedraft(lines, { fromLineId: 'b', untilLineId: 'd', lines: fresh }).map((l) => l.id),
    ).toEqual(['a', 'x', 'd']);
    expect(
      spliceRedraft(lines, { fromLineId: 'c', untilLineId: null, lines: fresh }).map((l) => l.id),
    ).toEqual(['a', 'b', 'x']);
    expect(
      thrown(() => spliceRedraft(lines, { fromLineId: 'gone', untilLineId: null, lines: fresh })).code,
    ).toBe('not-found');
    expect(thrown(() => spliceRedraft(lines, { fromLineId: 'c', untilLineId: 'a', lines: fresh })).code).toBe(
      'not-found',
    );
  });
});

describe('rewriteTarget', () => {
  it('finds the line and its host, and refuses lines it cannot rewrite in words', () => {
    const t = rewriteTarget(script, speech[2].id, hosts);
    expect(t.line).toBe(speech[2]);
    expect(t.persona.name).toBe(speech[2].kind === 'speech' ? speech[2].speaker : '');
    expect(thrown(() => rewriteTarget(script, script[0].id, hosts)).message).toMatch(/speech line/);
    const stranger: ScriptLine[] = [{ kind: 'speech', id: 'x', speaker: 'Zed', text: 'Hi.' }];
    expect(thrown(() => rewriteTarget(stranger, 'x', hosts)).message).toMatch(/“Zed” is not a host/);
  });
});

describe('redraftOffline', () => {
  const from = speech[4];
  const { lines, region } = redraftOffline({
    article,
    show,
    personas: hosts,
    targetMinutes: 3,
    lines: script,
    fromLineId: from.id,
  });

  it('replaces only the region: kept lines above and the sign-off below stay as they were', () => {
    const whole = [...region.head, ...lines, ...region.after];
    expect(printScript(whole).startsWith(printScript(region.head))).toBe(true);
    expect(region.head).toEqual(script.slice(0, region.start));
    expect(region.after).toEqual(script.slice(region.end));
    expect(lines.every((l) => l.kind === 'speech')).toBe(true);
  });

  it('speaks article sentences the kept lines do not already say, verbatim', () => {
    const kept = [...region.head, ...region.after]
      .filter((l) => l.kind === 'speech')
      .map((l) => (l.kind === 'speech' ? l.text : ''))
      .join(' ');
    const articleSentences = splitSentences(cleaned.text).filter((s) => s.split(/\s+/).length >= 6);
    for (const l of lines) {
      if (l.kind !== 'speech') continue;
      // Connectives may lower-case a sentence's first word, so compare case-insensitively.
      const text = l.text.toLowerCase();
      const fromArticle = articleSentences.filter((s) =>
        text.includes(s.toLowerCase().replace(/^[“"]|[”"]$/g, '')),
      );
      expect(fromArticle.length, l.text).toBeGreaterThan(0);
      for (const s of fromArticle) expect(kept.includes(s)).toBe(false);
    }
    // Nothing the article does not support.
    expect(groundingForScript(lines, `${article.title}\n\n${article.text}`)).toEqual([]);
  });

  it('continues the turn order and gets fresh ids', () => {
    const first = lines[0];
    expect(first.kind === 'speech' && first.speaker).toBe(hosts[nextHost(region.head, hosts)].name);
    const speakers = lines.map((l) => (l.kind === 'speech' ? l.speaker : ''));
    for (let i = 1; i < speakers.length; i++) expect(speakers[i]).not.toBe(speakers[i - 1]);
    const ids = new Set(script.map((l) => l.id));
    for (const l of lines) expect(ids.has(l.id)).toBe(false);
  });

  it('aims at the target length less what the kept lines say', () => {
    const kept = speechWords([...region.head, ...region.after]);
    const total = kept + speechWords(lines);
    expect(total).toBeGreaterThan(3 * 150 * 0.8);
    expect(total).toBeLessThan(3 * 150 * 1.2);
  });

  it('ends with a sign-off when there is none below, and redrafts just the sign-off from inside it', () => {
    const noSignOff = script.filter((l) => !(l.kind === 'heading' && l.text === 'Sign-off')).slice(0, -2);
    const out = redraftOffline({
      article,
      show,
      personas: hosts,
      targetMinutes: 3,
      lines: noSignOff,
      fromLineId: from.id,
    });
    expect(out.lines.at(-3)).toMatchObject({ kind: 'heading', text: 'Sign-off' });
    expect(out.lines.at(-1)).toMatchObject({
      kind: 'speech',
      text: expect.stringMatching(/See you tomorrow\.$/),
    });
    const only = redraftOffline({
      article,
      show,
      personas: hosts,
      targetMinutes: 3,
      lines: script,
      fromLineId: speech.at(-2)!.id,
    });
    expect(only.lines.map((l) => l.kind)).toEqual(['speech', 'speech']);
  });

  it('says so when every article sentence is already spoken above', () => {
    // A long draft speaks every usable sentence; a line added before its sign-off has nothing left.
    const everything = draftOffline({ article, show, personas: hosts, targetMinutes: 60 }).lines;
    const signOff = everything.findIndex((l) => l.kind === 'heading' && l.text === 'Sign-off');
    const added: ScriptLine = { kind: 'speech', id: 'added', speaker: 'Maya', text: 'Quite a story.' };
    const lines = [...everything.slice(0, signOff), added, ...everything.slice(signOff)];
    const err = thrown(() =>
      redraftOffline({ article, show, personas: hosts, targetMinutes: 60, lines, fromLineId: 'added' }),
    );
    expect(err.code).toBe('empty-input');
    expect(err.message).toMatch(/already in the lines above/);
  });
});
