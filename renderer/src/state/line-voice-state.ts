/**
 * A speech line's voice state — which clip is current, which take is pinned, what the clip was
 * voiced with and whether its last voicing failed — captured before and after a voice action, so
 * undo and redo can put it back exactly without voicing anything. Takes themselves are not part
 * of it: a take made by a regenerate stays in the list when the regenerate is undone (it was paid
 * for), and deleted takes come back through the back end's trash.
 */
import type { Episode, LineClip } from '@shared/model/episode';
import type { StudioState, VoicedWith } from './studio-state';

export interface LineVoiceState {
  clip: LineClip | null;
  pinned: string | null;
  voicedWith: VoicedWith | null;
  failed: string | null;
}

/** The parts of the studio state a line's voice state lives in. */
export type VoiceSlice = Pick<StudioState, 'episode' | 'voicedWith' | 'failedLines'>;

/** A line's voice state now. */
export function lineVoiceState(s: VoiceSlice, lineId: string): LineVoiceState {
  return {
    clip: s.episode.clips[lineId] ?? null,
    pinned: s.episode.pinned?.[lineId] ?? null,
    voicedWith: s.voicedWith[lineId] ?? null,
    failed: s.failedLines[lineId] ?? null,
  };
}

/** Voice states of several lines now. */
export function lineVoiceStates(s: VoiceSlice, lineIds: Iterable<string>): Map<string, LineVoiceState> {
  return new Map([...lineIds].map((id) => [id, lineVoiceState(s, id)]));
}

/** Whether a line's current clip or pin differs between two states (the action changed something). */
export function voiceStateChanged(a: LineVoiceState, b: LineVoiceState): boolean {
  return a.clip?.hash !== b.clip?.hash || a.pinned !== b.pinned;
}

/** The slice with these lines' voice states put back (lines no longer in the script are skipped). */
export function withLineVoiceStates(s: VoiceSlice, states: ReadonlyMap<string, LineVoiceState>): VoiceSlice {
  const live = new Set(s.episode.lines.map((l) => l.id));
  const clips: Episode['clips'] = { ...s.episode.clips };
  const pinned: NonNullable<Episode['pinned']> = { ...s.episode.pinned };
  const voicedWith = { ...s.voicedWith };
  const failedLines = { ...s.failedLines };
  for (const [id, st] of states) {
    if (!live.has(id)) continue;
    setOrDelete(clips, id, st.clip);
    setOrDelete(pinned, id, st.pinned);
    setOrDelete(voicedWith, id, st.voicedWith);
    setOrDelete(failedLines, id, st.failed);
  }
  return { episode: { ...s.episode, clips, pinned }, voicedWith, failedLines };
}

function setOrDelete<T>(record: Record<string, T>, key: string, value: T | null): void {
  if (value === null) delete record[key];
  else record[key] = value;
}
