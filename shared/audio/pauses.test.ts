import { describe, expect, it } from 'vitest';
import { parseScript } from '../script/format';
import { pauseAfterLines } from './pauses';

describe('pauseAfterLines', () => {
  it('adds [pause] lines to the pause after the preceding speech line', () => {
    const lines = parseScript(
      '[pause 3s]\nMaya: One.\n[pause 1.5s]\n# note\n[pause 500ms]\n## Chapter\nTheo: Two.\nMaya: Three.\n[pause 2s]\n',
    );
    const ids = lines.filter((l) => l.kind === 'speech').map((l) => l.id);
    const pauses = pauseAfterLines(lines, 0.6);
    expect([...pauses.keys()]).toEqual(ids);
    expect(pauses.get(ids[0])).toBeCloseTo(0.6 + 1.5 + 0.5);
    expect(pauses.get(ids[1])).toBeCloseTo(0.6);
    expect(pauses.get(ids[2])).toBeCloseTo(2.6);
  });
});
