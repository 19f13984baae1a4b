import { describe, expect, it } from 'vitest';
import { createGroundingCache, editorDiagnostics, groundingDiagnostics } from './diagnostics';

describe('editorDiagnostics', () => {
  const article = 'The company grew 40 percent in 2024. Its founder said “we will keep going”.';

  it('places grounding warnings on the claim inside its editor line', () => {
    const text = '## Intro\n\n  Ada:  Sales grew 83% last year.\nBen: It grew 40 percent.\n';
    const d = groundingDiagnostics(text, article);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 3, code: 'grounding', severity: 'warning' });
    expect(text.split('\n')[2].slice(d[0].startColumn - 1, d[0].endColumn - 1)).toContain('83');
  });

  it('skips grounding without an article, and merges with the format diagnostics in order', () => {
    expect(groundingDiagnostics('Ada: 83% of it.', '  ')).toEqual([]);
    const d = editorDiagnostics({
      text: 'Carl: 83% of it.\nAda: fine\n',
      personaNames: ['Ada', 'Ben'],
      articleText: article,
    });
    expect(d.map((x) => [x.line, x.code])).toEqual([
      [1, 'unknown-speaker'],
      [1, 'grounding'],
    ]);
  });
});

describe('grounding cache', () => {
  it('gives the same warnings with a cache, across edits and a changed article', () => {
    const cache = createGroundingCache();
    const a = 'It grew 40 percent.';
    const texts = ['Ada: It grew 83%.\nBen: It grew 40 percent.\n', 'Ada: It grew 83%!\nBen: 12 new ones.\n'];
    for (const article of [a, 'It grew 83%.']) {
      for (const text of texts)
        expect(groundingDiagnostics(text, article, cache)).toEqual(groundingDiagnostics(text, article));
    }
    expect(cache.article).toBe('It grew 83%.');
  });
});
