import { describe, expect, it } from 'vitest';
import type { ScriptLine } from '../model/episode';
import { chaptersFromScript } from './chapters';

const h = (id: string, text: string): ScriptLine => ({ kind: 'heading', id, text });
const s = (id: string, text = 'words'): ScriptLine => ({ kind: 'speech', id, speaker: 'Ada', text });
const r = (lineId: string, start: number, end: number) => ({ lineId, start, end });

describe('chaptersFromScript', () => {
  it('starts each chapter at its first voiced line and ends it where the next begins', () => {
    const lines = [h('h1', 'Opening'), s('a'), s('b'), h('h2', 'The story'), s('c'), h('h3', 'Wrap'), s('d')];
    const regions = [r('a', 0, 2), r('b', 2.4, 5), r('c', 5.4, 9.25), r('d', 9.65, 12)];
    expect(chaptersFromScript(lines, regions, 12)).toEqual([
      { title: 'Opening', start: 0, end: 5.4 },
      { title: 'The story', start: 5.4, end: 9.65 },
      { title: 'Wrap', start: 9.65, end: 12 },
    ]);
  });

  it('makes voiced speech before the first heading an Introduction chapter', () => {
    const lines = [s('a'), s('b'), h('h1', 'Main'), s('c')];
    const regions = [r('a', 0, 1), r('b', 1.5, 3), r('c', 3.5, 6)];
    expect(chaptersFromScript(lines, regions, 6.2)).toEqual([
      { title: 'Introduction', start: 0, end: 3.5 },
      { title: 'Main', start: 3.5, end: 6.2 },
    ]);
  });

  it('skips unvoiced lines and drops chapters with no voiced line', () => {
    const lines = [
      s('unvoiced-intro'),
      h('h1', 'Empty'),
      h('h2', 'Late start'),
      s('x'),
      s('b'),
      h('h3', 'All unvoiced'),
      s('y'),
      h('h4', '  Last\n one '),
      s('c'),
    ];
    const regions = [r('b', 0, 2), r('c', 2.5, 4)];
    expect(chaptersFromScript(lines, regions, 4)).toEqual([
      { title: 'Late start', start: 0, end: 2.5 },
      { title: 'Last one', start: 2.5, end: 4 },
    ]);
  });

  it('names blank headings, never ends before the start and returns [] with nothing voiced', () => {
    const lines = [h('h1', ' '), s('a')];
    expect(chaptersFromScript(lines, [r('a', 1, 2)], 0.5)).toEqual([
      { title: 'Chapter 1', start: 1, end: 1 },
    ]);
    expect(chaptersFromScript(lines, [], 10)).toEqual([]);
    expect(chaptersFromScript([], [], 0)).toEqual([]);
  });
});
