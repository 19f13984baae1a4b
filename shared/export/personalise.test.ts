import { describe, expect, it } from 'vitest';
import { EPISODE_VERSION, emptyAnalysis, type Episode } from '../model/episode';
import { parseListenerList, personaliseForListener } from './personalise';

const episode: Episode = {
  version: EPISODE_VERSION,
  id: 'e',
  title: 't',
  category: 'c',
  createdAt: '',
  updatedAt: '',
  show: { showName: 'Goose Pod', listenerName: 'Ann', locale: 'en-US', date: '2025-11-15' },
  personas: [],
  article: { title: '', text: '' },
  lines: [
    { kind: 'speech', id: 'l1', speaker: 'Maya', text: "Good morning Ann, I'm Maya." },
    { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'Annual budgets and Annex rules rose.' },
    { kind: 'heading', id: 'h', text: 'Ann' },
    { kind: 'speech', id: 'l3', speaker: 'Maya', text: 'Thank you for listening, Ann.' },
  ],
  summary: '',
  analysis: emptyAnalysis(),
  clips: {},
  pauseSec: 0.5,
};

describe('personaliseForListener', () => {
  it('replaces the whole-word name in speech lines only and reports which lines changed', () => {
    const { episode: out, changed } = personaliseForListener(episode, 'Bob');
    expect(changed).toEqual(['l1', 'l3']);
    expect(out.lines[0]).toMatchObject({ text: "Good morning Bob, I'm Maya." });
    expect(out.lines[1]).toMatchObject({ text: 'Annual budgets and Annex rules rose.' });
    expect(out.lines[2]).toMatchObject({ text: 'Ann' });
    expect(out.show.listenerName).toBe('Bob');
    expect(personaliseForListener(episode, 'Ann').changed).toEqual([]);
  });

  it('reads names from text or CSV, skipping headers, blanks and duplicates', () => {
    expect(parseListenerList('name,city\nAnn,Oslo\n"Bob Ray",Rome\n\nAnn\n')).toEqual(['Ann', 'Bob Ray']);
  });
});
