import { describe, expect, it } from 'vitest';
import type { Persona, ScriptLine, SpeechLine } from '@shared/model/episode';
import {
  blankEpisode,
  carryClipsToNewIds,
  formatDuration,
  renameSpeaker,
  scriptStats,
  voiceKey,
  voiceStatusOf,
  voicingSnapshot,
} from './episode-helpers';
import type { VoicedWith } from './studio-state';

const maya: Persona = {
  id: 'p1',
  name: 'Maya',
  role: '',
  voice: { engine: 'espeak', voice: 'en-us+f3', rate: 165, pitch: 55 },
  color: '#4fb3ff',
};
const theo: Persona = { ...maya, id: 'p2', name: 'Theo', voice: { ...maya.voice, voice: 'en-us+m3' } };
const clip = { hash: 'a'.repeat(16), durationSec: 2 };

function episodeWith(lines: ScriptLine[], clips: Record<string, typeof clip> = {}) {
  return { ...blankEpisode(null, '2026-01-02'), personas: [maya, theo], lines, clips };
}

const l1: SpeechLine = { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Hello there.' };
const l2: SpeechLine = { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'Hi, I am Theo.' };

describe('voiceStatusOf', () => {
  const voiced = (line: SpeechLine, persona = maya): VoicedWith => ({
    speaker: line.speaker,
    text: line.text,
    voice: voiceKey(persona),
  });

  it('is missing without a clip and ready with a current one', () => {
    const none = { episode: episodeWith([l1]), voicedWith: {}, rendering: {}, failedLines: {} };
    expect(voiceStatusOf(l1, none)).toBe('missing');
    const ready = { ...none, episode: episodeWith([l1], { l1: clip }), voicedWith: { l1: voiced(l1) } };
    expect(voiceStatusOf(l1, ready)).toBe('ready');
  });

  it('is stale when the words, the speaker or the voice changed since voicing', () => {
    const edited: SpeechLine = { ...l1, text: 'Hello, everyone.' };
    const base = {
      episode: episodeWith([edited], { l1: clip }),
      voicedWith: { l1: voiced(l1) },
      rendering: {},
      failedLines: {},
    };
    expect(voiceStatusOf(edited, base)).toBe('stale');
    const revoiced = {
      ...base,
      episode: {
        ...episodeWith([l1], { l1: clip }),
        personas: [{ ...maya, voice: { ...maya.voice, rate: 200 } }, theo],
      },
    };
    expect(voiceStatusOf(l1, revoiced)).toBe('stale');
  });

  it('prefers rendering and failed over the clip state', () => {
    const s = {
      episode: episodeWith([l1], { l1: clip }),
      voicedWith: {},
      rendering: { l1: 'job1' },
      failedLines: { l1: 'x' },
    };
    expect(voiceStatusOf(l1, s)).toBe('rendering');
    expect(voiceStatusOf(l1, { ...s, rendering: {} })).toBe('failed');
  });
});

describe('carryClipsToNewIds', () => {
  it('gives a moved line the clip its words were voiced into', () => {
    const voicedWith = voicingSnapshot(episodeWith([l1, l2]));
    const moved: ScriptLine[] = [{ ...l2, id: 'l9' }, l1];
    const out = carryClipsToNewIds(moved, { l1: clip, l2: clip }, Object.fromEntries(voicedWith));
    expect(out?.clips).toEqual({ l1: clip, l9: clip });
    expect(out?.voicedWith.l9?.text).toBe(l2.text);
  });

  it('returns null when no line moved', () => {
    const voicedWith = Object.fromEntries(voicingSnapshot(episodeWith([l1])));
    expect(carryClipsToNewIds([l1], { l1: clip }, voicedWith)).toBeNull();
  });
});

describe('renameSpeaker and stats', () => {
  it('relabels only that speaker', () => {
    const out = renameSpeaker([l1, l2, { kind: 'heading', id: 'h', text: 'Maya' }], 'Maya', 'Mara');
    expect(out.map((l) => (l.kind === 'speech' ? l.speaker : l.kind === 'heading' ? l.text : ''))).toEqual([
      'Mara',
      'Theo',
      'Maya',
    ]);
  });

  it('counts words of speech lines and estimates at 150 wpm', () => {
    const stats = scriptStats({
      episode: episodeWith([l1, l2]),
      voicedWith: {},
      rendering: {},
      failedLines: {},
    });
    expect(stats).toMatchObject({ speechLines: 2, words: 6, voiced: 0 });
    expect(stats.estimatedMinutes).toBeCloseTo(6 / 150);
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(65)).toBe('1:05');
  });
});
