import { describe, expect, it } from 'vitest';
import type { ScriptLine } from '../model/episode';
import {
  cycleSpeaker,
  mergeLines,
  speakerSuggestions,
  splitLineAt,
  splitOverlongLine,
  splitTextAtSentences,
} from './edits';
import { MAX_LINE_CHARS, parseScript, printScript } from './format';

describe('splitLineAt', () => {
  it('splits the text at the offset, both halves with the same speaker', () => {
    const raw = 'Ada: First sentence. Second one.';
    expect(splitLineAt(raw, raw.indexOf('Second'))).toEqual(['Ada: First sentence.', 'Ada: Second one.']);
    expect(splitLineAt(': a b', 3)).toEqual([': a', ': b']);
  });

  it('refuses offsets in the speaker, at the edges, and non-speech lines', () => {
    expect(splitLineAt('Ada: Hello there', 2)).toBeNull();
    expect(splitLineAt('Ada: Hello there', 5)).toBeNull();
    expect(splitLineAt('Ada: Hello there', 16)).toBeNull();
    expect(splitLineAt('Ada: Hello   ', 10)).toBeNull();
    expect(splitLineAt('## Chapter one', 8)).toBeNull();
    expect(splitLineAt('   ', 1)).toBeNull();
  });
});

describe('mergeLines', () => {
  it('appends the next line’s words to the first line’s speaker', () => {
    expect(mergeLines('Ada: One.', 'Ben: Two.')).toBe('Ada: One. Two.');
    expect(mergeLines('Ada:', 'Ben: Two.')).toBe('Ada: Two.');
    expect(mergeLines('Ada: One.  ', 'Ben:')).toBe('Ada: One.');
  });

  it('refuses headings and blank lines', () => {
    expect(mergeLines('Ada: One.', '## Next')).toBeNull();
    expect(mergeLines('## Next', 'Ada: One.')).toBeNull();
    expect(mergeLines('Ada: One.', '')).toBeNull();
  });
});

describe('cycleSpeaker', () => {
  const names = ['Ada', 'Ben', 'Cy'];
  it('moves to the next persona and wraps', () => {
    expect(cycleSpeaker('Ada: Hi', names)).toBe('Ben: Hi');
    expect(cycleSpeaker('  Cy:  Hi there', names)).toBe('  Ada: Hi there');
    expect(cycleSpeaker('Zed: Hi', names)).toBe('Ada: Hi');
    expect(cycleSpeaker('no speaker', names)).toBe('Ada: no speaker');
    expect(cycleSpeaker('Ben:', names)).toBe('Cy:');
  });
  it('leaves headings and empty persona lists alone', () => {
    expect(cycleSpeaker('## Ada', names)).toBeNull();
    expect(cycleSpeaker('Ada: Hi', [])).toBeNull();
  });
});

describe('splitTextAtSentences / splitOverlongLine', () => {
  it('cuts at sentence ends within the limit', () => {
    expect(splitTextAtSentences('One two. Three four. Five six.', 20)).toEqual([
      'One two. Three four.',
      'Five six.',
    ]);
    expect(splitTextAtSentences('short', 20)).toEqual(['short']);
  });

  it('falls back to spaces, then hard cuts', () => {
    expect(splitTextAtSentences('aaaa bbbb cccc dddd', 10)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitTextAtSentences('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never loses words and never exceeds the limit (generated texts)', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const vocab = ['alpha', 'beta.', 'Gamma', 'delta!', 'e.g.', 'Mr.', 'Smith', '“quoted.”', 'x'.repeat(30)];
    for (let round = 0; round < 200; round++) {
      const words = Array.from(
        { length: 1 + Math.floor(next() * 120) },
        () => vocab[Math.floor(next() * vocab.length)],
      );
      const text = words.join(' ');
      const max = 40 + Math.floor(next() * 100);
      const parts = splitTextAtSentences(text, max);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(max);
      expect(parts.join(' ').split(/\s+/).join('')).toBe(words.join(''));
    }
  });

  it('turns an over-long speech line into several lines by the same speaker', () => {
    const sentence = 'This sentence is exactly fifty characters long ok. ';
    const raw = `Ada: ${sentence.repeat(100).trim()}`;
    const fixed = splitOverlongLine(raw)!;
    const lines = fixed.split('\n');
    expect(lines.length).toBe(2);
    for (const l of lines) {
      expect(l.startsWith('Ada: ')).toBe(true);
      expect(l.length - 5).toBeLessThanOrEqual(MAX_LINE_CHARS);
      expect(l.endsWith('ok.')).toBe(true);
    }
    expect(splitOverlongLine('Ada: short')).toBeNull();
    expect(splitOverlongLine(`## ${'x'.repeat(5000)}`)).toBeNull();
  });
});

describe('speakerSuggestions', () => {
  it('puts the closest names first', () => {
    expect(speakerSuggestions('ben', ['Ada', 'Ben'])).toEqual(['Ben', 'Ada']);
    expect(speakerSuggestions('Ad', ['Ben', 'Ada'])).toEqual(['Ada', 'Ben']);
    expect(speakerSuggestions('Zed', ['Ben', 'Ada'])).toEqual(['Ben', 'Ada']);
  });
});

/** Deterministic pseudo-random numbers (mulberry32). */
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

describe('line identity through editor commands (generated scripts)', () => {
  it('split, merge and change speaker keep every untouched line’s id; the first part keeps its id', () => {
    const random = rng(4242);
    const names = ['Ada', 'Ben'];
    for (let round = 0; round < 300; round++) {
      const count = 3 + Math.floor(random() * 25);
      const lines: ScriptLine[] = [];
      for (let i = 0; i < count; i++) {
        const id = `l${i + 1}`;
        if (random() < 0.15) lines.push({ kind: 'heading', id, text: `Chapter ${i}` });
        else {
          const words = Array.from({ length: 2 + Math.floor(random() * 6) }, (_, w) => `w${i}x${w}`);
          lines.push({ kind: 'speech', id, speaker: names[Math.floor(random() * 2)], text: words.join(' ') });
        }
      }
      const text = printScript(lines);
      const rows = text.split('\n');
      const rowOf = (i: number) => {
        let k = -1;
        for (let r = 0, seen = -1; r < rows.length; r++) if (rows[r].trim() && ++seen === i) k = r;
        return k;
      };
      const target = Math.floor(random() * (count - 1));
      const t = lines[target];
      if (t.kind !== 'speech') continue;
      const r = rowOf(target);
      const op = Math.floor(random() * 3);
      let edited: string[] | null = null;
      let touched = new Set([t.id]);
      if (op === 0) {
        const cut = rows[r].indexOf(' ', rows[r].indexOf(':') + 2);
        const parts = cut > 0 ? splitLineAt(rows[r], cut) : null;
        if (parts) edited = [...rows.slice(0, r), ...parts, ...rows.slice(r + 1)];
      } else if (op === 1) {
        const n = lines[target + 1];
        const merged = n.kind === 'speech' ? mergeLines(rows[r], rows[r + 1]) : null;
        if (merged) {
          edited = [...rows.slice(0, r), merged, ...rows.slice(r + 2)];
          touched = new Set([t.id, n.id]);
        }
      } else {
        const changed = cycleSpeaker(rows[r], names);
        if (changed) edited = [...rows.slice(0, r), changed, ...rows.slice(r + 1)];
      }
      if (!edited) continue;
      const next = parseScript(edited.join('\n'), lines);
      const ids = new Set(next.map((l) => l.id));
      expect(ids.size).toBe(next.length);
      for (const l of lines) if (!touched.has(l.id)) expect(next.find((x) => x.id === l.id)).toEqual(l);
      // The edited line (or the first part of it) keeps its id.
      expect(next[target].id).toBe(t.id);
    }
  });
});
