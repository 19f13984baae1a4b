// The inverses of voice actions: a line's voice state captured before and after a regenerate
// or a pin, put back exactly (clip, pin, what it was voiced with, failure), takes untouched.
import { describe, expect, it } from 'vitest';
import { withVoicedClip, type Take } from '@shared/model/episode';
import { blankEpisode } from './episode-helpers';
import {
  lineVoiceState,
  lineVoiceStates,
  voiceStateChanged,
  withLineVoiceStates,
  type VoiceSlice,
} from './line-voice-state';
import { voiceStatusOf } from './episode-helpers';

const take = (hash: string, text: string): Take => ({
  hash,
  key: hash,
  engine: 'espeak',
  voice: 'espeak · en-us',
  text,
  createdAt: '2025-11-15T10:00:00.000Z',
  durationSec: 1,
  costUsd: 0.01,
});
const H1 = '1'.repeat(32);
const H2 = '2'.repeat(32);

function studioWithLine(): VoiceSlice {
  const e = blankEpisode(null, '2025-11-15');
  const episode = withVoicedClip(
    {
      ...e,
      personas: [],
      lines: [
        { kind: 'speech', id: 'l1', speaker: 'Maya', text: 'Well, hello.' },
        { kind: 'speech', id: 'l2', speaker: 'Theo', text: 'Hi.' },
      ],
    },
    'l1',
    { hash: H1, durationSec: 1 },
    take(H1, 'Hello.'),
  );
  // Voiced before "Well, " was typed: stale.
  return { episode, voicedWith: { l1: { speaker: 'Maya', text: 'Hello.', voice: '' } }, failedLines: {} };
}

describe('line voice state', () => {
  it('undo of a regenerate makes the previous take current again and keeps the new take', () => {
    const before = studioWithLine();
    const line = before.episode.lines[0]! as Extract<(typeof before.episode.lines)[0], { kind: 'speech' }>;
    const was = lineVoiceStates(before, ['l1']);
    expect(voiceStatusOf(line, { ...before, rendering: {} })).toBe('stale');

    // The regenerate: a new take, current, voiced with the new words; a failure on l2 meanwhile.
    const after: VoiceSlice = {
      episode: withVoicedClip(before.episode, 'l1', { hash: H2, durationSec: 1.4 }, take(H2, 'Well, hello.')),
      voicedWith: { l1: { speaker: 'Maya', text: 'Well, hello.', voice: '' } },
      failedLines: { l2: 'Rate limited' },
    };
    expect(voiceStatusOf(line, { ...after, rendering: {} })).toBe('ready');
    expect(voiceStateChanged(was.get('l1')!, lineVoiceState(after, 'l1'))).toBe(true);

    const undone = withLineVoiceStates(after, was);
    expect(undone.episode.clips.l1).toEqual({ hash: H1, durationSec: 1 });
    expect(undone.episode.takes?.l1?.map((t) => t.hash)).toEqual([H1, H2]);
    expect(voiceStatusOf(line, { ...undone, rendering: {} })).toBe('stale');
    // Only the action's lines move: l2's failure is not the regenerate's to undo.
    expect(undone.failedLines).toEqual({ l2: 'Rate limited' });

    const redone = withLineVoiceStates(undone, lineVoiceStates(after, ['l1']));
    expect(redone.episode.clips.l1?.hash).toBe(H2);
    expect(voiceStatusOf(line, { ...redone, rendering: {} })).toBe('ready');
  });

  it('undo of a first voicing leaves the line without a clip (missing) but keeps the paid take', () => {
    const s = studioWithLine();
    const none = lineVoiceStates(s, ['l2']);
    expect(none.get('l2')).toEqual({ clip: null, pinned: null, voicedWith: null, failed: null });
    const voiced: VoiceSlice = {
      ...s,
      episode: withVoicedClip(s.episode, 'l2', { hash: H2, durationSec: 0.5 }, take(H2, 'Hi.')),
      voicedWith: { ...s.voicedWith, l2: { speaker: 'Theo', text: 'Hi.', voice: '' } },
    };
    const undone = withLineVoiceStates(voiced, none);
    expect(undone.episode.clips.l2).toBeUndefined();
    expect(undone.voicedWith.l2).toBeUndefined();
    expect(undone.episode.takes?.l2?.map((t) => t.hash)).toEqual([H2]);
    const line = undone.episode.lines[1]! as Extract<(typeof undone.episode.lines)[1], { kind: 'speech' }>;
    expect(voiceStatusOf(line, { ...undone, rendering: {} })).toBe('missing');
  });

  it('undo of a pin brings back the previous pin (or none)', () => {
    const s = studioWithLine();
    const withTwo: VoiceSlice = {
      ...s,
      episode: withVoicedClip(s.episode, 'l1', { hash: H2, durationSec: 1.4 }, take(H2, 'Well, hello.')),
    };
    const before = lineVoiceStates(withTwo, ['l1']);
    const pinned: VoiceSlice = {
      ...withTwo,
      episode: {
        ...withTwo.episode,
        clips: { ...withTwo.episode.clips, l1: { hash: H1, durationSec: 1 } },
        pinned: { l1: H1 },
      },
    };
    expect(voiceStateChanged(before.get('l1')!, lineVoiceState(pinned, 'l1'))).toBe(true);
    const undone = withLineVoiceStates(pinned, before);
    expect(undone.episode.pinned).toEqual({});
    expect(undone.episode.clips.l1?.hash).toBe(H2);
  });

  it('skips lines that are no longer in the script', () => {
    const s = studioWithLine();
    const states = lineVoiceStates(s, ['l1']);
    const gone: VoiceSlice = { ...s, episode: { ...s.episode, lines: [], clips: {} } };
    expect(withLineVoiceStates(gone, states).episode.clips).toEqual({});
  });
});
