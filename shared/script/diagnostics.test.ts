import { describe, expect, it } from 'vitest';
import { editorDiagnostics, groundingDiagnostics } from './diagnostics';

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
