import { describe, expect, it } from 'vitest';
import { parseTolerantJson, StreamingLinesScanner } from './tolerant-json';

const reply = JSON.stringify({
  title: 'T',
  category: 'News',
  lines: [
    { speaker: 'Maya', text: 'Good morning {listener}, said "the {boss}".', sources: [], chapter: 'Intro' },
    { speaker: 'Theo', text: "And I'm Theo. Brackets ] and } inside text.", sources: ['x'], chapter: '' },
    { speaker: 'Maya', text: 'Bye.', sources: [], chapter: '' },
  ],
  summary: 'S',
  analysis: { conflict: '', relatedInfo: '', coreEvent: '', background: '', impact: '', future: '' },
});

describe('parseTolerantJson', () => {
  it('parses fenced replies with prose around them, trailing commas and raw newlines in strings', () => {
    const messy =
      'Sure! Here it is:\n```json\n{"title": "A\nB", "lines": [1, 2,], "x": {"y": 1,},}\n```\nHope it helps {really}.';
    const r = parseTolerantJson(messy);
    expect(r).toEqual({ ok: true, value: { title: 'A\nB', lines: [1, 2], x: { y: 1 } } });
  });

  it('skips reasoning blocks that contain braces', () => {
    const r = parseTolerantJson('<think>Maybe {"title": "wrong"}? Let me think.</think>\n{"title": "right"}');
    expect(r).toEqual({ ok: true, value: { title: 'right' } });
  });

  it('tells truncated JSON from malformed JSON and from no JSON at all', () => {
    expect(parseTolerantJson(reply.slice(0, 120))).toMatchObject({ ok: false, reason: 'truncated' });
    expect(parseTolerantJson(reply.replace('"summary":', '"summary" '))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseTolerantJson('I cannot help with that.')).toMatchObject({ ok: false, reason: 'empty' });
  });
});

describe('StreamingLinesScanner', () => {
  it('yields each line as soon as its object closes, however the text is chunked', () => {
    for (const size of [1, 3, 17, 1000]) {
      const scanner = new StreamingLinesScanner();
      const seen: number[] = [];
      for (let i = 0; i < reply.length; i += size) {
        const added = scanner.push(reply.slice(i, i + size));
        if (added.length > 0) seen.push(i + size);
      }
      expect(scanner.lines.map((l) => l.speaker)).toEqual(['Maya', 'Theo', 'Maya']);
      expect(scanner.lines[0].text).toBe('Good morning {listener}, said "the {boss}".');
      expect(scanner.lines[1].sources).toEqual(['x']);
      if (size === 1) {
        // The first line is out long before the reply ends.
        expect(seen[0]).toBeLessThan(reply.indexOf('Theo'));
      }
    }
  });

  it('ignores objects outside "lines", reasoning blocks and fences, and skips invalid entries', () => {
    const text =
      '<think>{"lines": [{"speaker": "X", "text": "no"}]}</think>```json\n' +
      '{"meta": {"lines": [{"speaker": "Y", "text": "nested"}]}, "lines": [{"speaker": "A", "text": "one",}, {"speaker": "B"}, {"Speaker": "C", "content": "three"}], "summary": "{}"}\n```';
    const scanner = new StreamingLinesScanner();
    for (const ch of text) scanner.push(ch);
    expect(scanner.lines.map((l) => `${l.speaker}:${l.text}`)).toEqual(['A:one', 'C:three']);
  });
});
