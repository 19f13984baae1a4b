import { describe, it, expect } from 'vitest';
import type { ScriptLine } from '../model/episode';
import {
  MAX_LINE_CHARS,
  parseScript,
  printScript,
  readEditorLine,
  scriptDiagnostics,
  scriptLineIndexOfEditorLine,
} from './format';

const speech = (id: string, speaker: string, text: string): ScriptLine => ({
  kind: 'speech',
  id,
  speaker,
  text,
});
const heading = (id: string, text: string): ScriptLine => ({ kind: 'heading', id, text });

describe('printScript', () => {
  it('prints speech and headings with a blank line before headings except at the top', () => {
    const text = printScript([
      heading('l1', 'Intro'),
      speech('l2', 'Ada', 'Hello there.'),
      speech('l3', 'Ben', 'Hi.'),
      heading('l4', 'The story'),
      speech('l5', 'Ada', 'It began.'),
    ]);
    expect(text).toBe('## Intro\nAda: Hello there.\nBen: Hi.\n\n## The story\nAda: It began.\n');
  });

  it('prints speaker-less lines plainly unless that would read differently', () => {
    expect(printScript([speech('l1', '', 'Just words')])).toBe('Just words\n');
    expect(printScript([speech('l1', '', 'Note: words')])).toBe(': Note: words\n');
    expect(printScript([speech('l1', '', '## not a heading')])).toBe(': ## not a heading\n');
    expect(printScript([speech('l1', '', '')])).toBe(':\n');
    expect(printScript([speech('l1', 'Ada', '')])).toBe('Ada:\n');
  });

  it('never lets a line break into the text', () => {
    expect(printScript([speech('l1', 'Ada', 'one\ntwo')])).toBe('Ada: one two\n');
    expect(printScript([])).toBe('');
  });
});

describe('parseScript', () => {
  it('parses speech, headings, blank lines and speaker-less lines', () => {
    const lines = parseScript(
      '## Intro\n\nAda: Hello: world.\n  Ben :   Hi.  \nno speaker here\n### three hashes\n##Tight\n',
    );
    expect(lines).toEqual([
      heading('l1', 'Intro'),
      speech('l2', 'Ada', 'Hello: world.'),
      speech('l3', 'Ben', 'Hi.'),
      speech('l4', '', 'no speaker here'),
      speech('l5', '', '### three hashes'),
      heading('l6', 'Tight'),
    ]);
  });

  it('accepts CRLF and CR line endings', () => {
    expect(parseScript('Ada: a\r\nBen: b\rAda: c').map((l) => l.kind === 'speech' && l.text)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('keeps ids of unchanged lines when lines are inserted, deleted and moved', () => {
    const prev = [
      speech('l1', 'Ada', 'A'),
      speech('l2', 'Ben', 'B'),
      speech('l3', 'Ada', 'C'),
      speech('l4', 'Ben', 'D'),
    ];
    const next = parseScript('Ada: New first\nAda: A\nAda: C\nBen: D\nBen: Added at end\n', prev);
    expect(next).toEqual([
      speech('l5', 'Ada', 'New first'),
      speech('l1', 'Ada', 'A'),
      speech('l3', 'Ada', 'C'),
      speech('l4', 'Ben', 'D'),
      speech('l6', 'Ben', 'Added at end'),
    ]);
  });

  it('keeps the id of an edited line that stays in place', () => {
    const prev = [speech('l1', 'Ada', 'A'), speech('l2', 'Ben', 'B'), speech('l3', 'Ada', 'C')];
    const next = parseScript('Ada: A\nBen: B, edited\nAda: C\n', prev);
    expect(next.map((l) => l.id)).toEqual(['l1', 'l2', 'l3']);
    expect(next[1]).toEqual(speech('l2', 'Ben', 'B, edited'));
    // A speaker change is an edit too.
    expect(parseScript('Ada: A\nAda: B\nAda: C\n', prev).map((l) => l.id)).toEqual(['l1', 'l2', 'l3']);
  });

  it('pairs several edited lines in a gap by order and kind', () => {
    const prev = [
      speech('l1', 'Ada', 'A'),
      heading('l2', 'Old chapter'),
      speech('l3', 'Ben', 'B'),
      speech('l4', 'Ada', 'C'),
      speech('l9', 'Ben', 'Z'),
    ];
    const next = parseScript('Ada: A\n\n## New chapter\nBen: B2\nAda: C2\nAda: C3\nBen: Z\n', prev);
    expect(next.map((l) => l.id)).toEqual(['l1', 'l2', 'l3', 'l4', 'l10', 'l9']);
  });

  it('keeps duplicated lines apart', () => {
    const prev = [speech('l1', 'Ada', 'Yes.'), speech('l2', 'Ben', 'No.'), speech('l3', 'Ada', 'Yes.')];
    const next = parseScript('Ada: Yes.\nAda: Yes.\nBen: No.\nAda: Yes.\n', prev);
    expect(next.map((l) => l.id)).toEqual(['l1', 'l4', 'l2', 'l3']);
    expect(new Set(next.map((l) => l.id)).size).toBe(4);
  });

  it('gives fresh ids above any previous id, skipping non-numeric ones', () => {
    const prev = [speech('intro', 'Ada', 'A'), speech('l41', 'Ben', 'B')];
    expect(parseScript('Ada: A\nBen: B\nAda: new\n', prev).map((l) => l.id)).toEqual(['intro', 'l41', 'l42']);
  });

  it('never reuses an id twice even if previous had duplicates', () => {
    const prev = [speech('l1', 'Ada', 'A'), speech('l1', 'Ada', 'B')];
    const ids = parseScript('Ada: A\nAda: B\n', prev).map((l) => l.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe('l1');
  });

  it('handles large scripts with a small edit quickly', () => {
    const prev: ScriptLine[] = [];
    for (let i = 1; i <= 20_000; i++) prev.push(speech(`l${i}`, i % 2 ? 'Ada' : 'Ben', `Line number ${i}.`));
    const text = printScript(prev).replace('Ben: Line number 10000.', 'Ben: Line number ten thousand.');
    const started = performance.now();
    const next = parseScript(text, prev);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(next.map((l) => l.id)).toEqual(prev.map((l) => l.id));
  });

  it('falls back to an in-order match when the changed region is huge', () => {
    const prev: ScriptLine[] = [];
    for (let i = 1; i <= 3000; i++) prev.push(speech(`l${i}`, 'Ada', `Text ${i}`));
    // Reverse the order: the in-order matcher can keep only part of them, but ids stay unique.
    const reversed = [...prev].reverse();
    const next = parseScript(printScript(reversed), prev);
    expect(next.map((l) => (l.kind === 'speech' ? l.text : ''))).toEqual(
      reversed.map((l) => (l.kind === 'speech' ? l.text : '')),
    );
    expect(new Set(next.map((l) => l.id)).size).toBe(3000);
  });
});

/** Deterministic pseudo-random numbers (mulberry32) for the generated round-trip scripts. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'alpha',
  'Beta',
  '##',
  '#',
  ':',
  'x:y',
  'Note:',
  '“quoted”',
  '42%',
  '$5',
  'Z.ai',
  '[aside]',
  '—',
  'ünï',
  '世界',
  '  ',
];
const NAMES = ['Ada', 'Ben', 'Dr. Chen', 'María José', '', 'Host 3'];

function generateScript(random: () => number): ScriptLine[] {
  const count = Math.floor(random() * 30);
  const lines: ScriptLine[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const n = Math.floor(random() * 8);
    for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
    const text = words.join(' ').replace(/\s+/g, ' ').trim();
    const id = `l${i + 1}`;
    if (random() < 0.2) lines.push(heading(id, text));
    else lines.push(speech(id, NAMES[Math.floor(random() * NAMES.length)], text));
  }
  return lines;
}

describe('print/parse round trip', () => {
  it('parse(print(lines)) equals lines for generated scripts', () => {
    const random = rng(20251115);
    for (let round = 0; round < 500; round++) {
      const lines = generateScript(random);
      const printed = printScript(lines);
      expect(parseScript(printed)).toEqual(lines);
      expect(parseScript(printed, lines)).toEqual(lines);
      expect(printScript(parseScript(printed))).toBe(printed);
    }
  });

  it('keeps all ids when lines with arbitrary ids are reparsed against themselves', () => {
    const random = rng(7);
    for (let round = 0; round < 100; round++) {
      const lines = generateScript(random).map((l, i) => ({ ...l, id: `x${(i * 7919) % 10007}` }));
      expect(parseScript(printScript(lines), lines)).toEqual(lines);
    }
  });
});

describe('scriptLineIndexOfEditorLine', () => {
  it('maps editor lines to script line indexes, null for blank lines', () => {
    const text = '## Intro\nAda: Hi.\n\nBen: Hello.\n   \n## Next\nstray\n';
    expect(scriptLineIndexOfEditorLine(text)).toEqual([0, 1, null, 2, null, 3, 4, null]);
    const lines = parseScript(text);
    expect(lines[3]).toEqual(heading('l4', 'Next'));
  });
});

describe('scriptDiagnostics', () => {
  const names = ['Ada', 'Ben'];

  it('reports nothing for a clean script', () => {
    expect(scriptDiagnostics('## Intro\nAda: Hi.\n\nBen: Hello.\n', names)).toEqual([]);
  });

  it('flags an unknown speaker with columns covering the name', () => {
    const d = scriptDiagnostics('Ada: Hi.\n  Carl: Who am I?\n', names);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 2, startColumn: 3, endColumn: 7, severity: 'error' });
    expect(d[0].message).toContain('Carl');
  });

  it('suggests the right case for a near miss', () => {
    const [d] = scriptDiagnostics('ada: hi', names);
    expect(d.message).toContain('did you mean "Ada"');
    expect([d.startColumn, d.endColumn]).toEqual([1, 4]);
  });

  it('flags a missing speaker as an error over the whole line', () => {
    const d = scriptDiagnostics('Ada: Hi.\nno speaker\n: explicit none\n', names);
    expect(d.map((x) => [x.line, x.severity, x.startColumn, x.endColumn])).toEqual([
      [2, 'error', 1, 11],
      [3, 'error', 1, 16],
    ]);
  });

  it('warns about empty speech and empty headings', () => {
    const d = scriptDiagnostics('Ada:\n##\nBen:   \n', names);
    expect(d.map((x) => [x.line, x.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
      [3, 'warning'],
    ]);
  });

  it('notes very long lines', () => {
    const d = scriptDiagnostics(`Ada: ${'word '.repeat(200)}`, names);
    expect(d.map((x) => x.severity)).toEqual(['info']);
  });

  it('gives every diagnostic a code', () => {
    const d = scriptDiagnostics('Carl: x\nno speaker\nAda:\n##\n', names);
    expect(d.map((x) => x.code)).toEqual([
      'unknown-speaker',
      'missing-speaker',
      'empty-line',
      'empty-heading',
    ]);
  });

  it('warns about text longer than a voice engine accepts, and only then', () => {
    const fits = `Ada: ${'a'.repeat(MAX_LINE_CHARS)}`;
    expect(scriptDiagnostics(fits, names)).toEqual([]);
    const d = scriptDiagnostics(`Ada: ${'word. '.repeat(900)}x`, names);
    expect(d.map((x) => [x.code, x.severity])).toEqual([['too-long', 'warning']]);
    expect(d[0].message).toContain('5,401 characters');
  });

  it('notes the same speaker twice in a row, across blank lines but not across headings', () => {
    const d = scriptDiagnostics('Ada: a\n\nAda: b\nBen: c\n## Next\nBen: d\nBen: e\n', names);
    expect(d.map((x) => [x.line, x.code, x.severity, x.startColumn, x.endColumn])).toEqual([
      [3, 'same-speaker', 'info', 1, 4],
      [7, 'same-speaker', 'info', 1, 4],
    ]);
  });

  it('accepts pause directives and comments, flags malformed or too-long pauses', () => {
    expect(scriptDiagnostics('[pause 1.5s]\n# a note\n[pause 800ms]\n', names)).toEqual([]);
    const d = scriptDiagnostics('[pause soon]\n[pause 12s]\n', names);
    expect(d.map((x) => x.code)).toEqual(['missing-speaker', 'long-pause']);
    expect(d[0].message).toMatch(/\[pause 1\.5s\]/);
  });

  it('round-trips pauses and comments with their ids', () => {
    const lines = parseScript('Ada: Hi.\n[pause 1.5s]\n# cut this later\n[pause 800ms]\nBen: Bye.\n');
    expect(lines.map((l) => l.kind)).toEqual(['speech', 'pause', 'comment', 'pause', 'speech']);
    expect(lines[1]).toMatchObject({ seconds: 1.5 });
    expect(lines[3]).toMatchObject({ seconds: 0.8 });
    expect(lines[2]).toMatchObject({ text: 'cut this later' });
    const printed = printScript(lines);
    expect(printed).toBe('Ada: Hi.\n[pause 1.5s]\n# cut this later\n[pause 0.8s]\nBen: Bye.\n');
    expect(parseScript(printed, lines)).toEqual(lines);
  });
});

describe('readEditorLine', () => {
  it('locates the speaker and the text', () => {
    expect(readEditorLine('  Ada :  Hello: there ')).toEqual({
      kind: 'speech',
      speaker: 'Ada',
      text: 'Hello: there',
      nameStart: 2,
      nameEnd: 5,
      textStart: 9,
    });
    expect(readEditorLine('Ada:')).toMatchObject({ text: '', textStart: 4 });
    expect(readEditorLine(': free')).toMatchObject({ speaker: '', text: 'free', textStart: 2 });
    expect(readEditorLine('  plain words')).toMatchObject({ speaker: '', textStart: 2 });
    expect(readEditorLine('##  Chapter')).toEqual({ kind: 'heading', text: 'Chapter', textStart: 4 });
    expect(readEditorLine('   ')).toBeUndefined();
  });

  it('agrees with parseScript on every generated line', () => {
    const random = rng(99);
    for (let round = 0; round < 200; round++) {
      for (const raw of printScript(generateScript(random)).split('\n')) {
        const info = readEditorLine(raw);
        const [parsed] = parseScript(raw);
        if (!info) {
          expect(parsed).toBeUndefined();
          continue;
        }
        expect(info.kind).toBe(parsed.kind);
        if (parsed.kind === 'pause') continue;
        expect(raw.slice(info.textStart).trim()).toBe(parsed.text);
      }
    }
  });
});
