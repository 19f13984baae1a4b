/** What hovering a speech line tells the producer: speaker, estimated length, voice state, cost. */
import type { SpeechLine } from '@shared/model/episode';
import { countWords, estimateSeconds, estimateVoiceCost } from '@shared/script/estimate';
import {
  formatDuration,
  personaByName,
  voiceStatusOf,
  type VoiceStatus,
  type VoiceStatusInputs,
} from '../../state/episode-helpers';
import { usdPerMillionChars, voiceStore } from '../../state/voice-actions';

/** How each voice state reads in hovers and tooltips. */
export const STATUS_LABEL: Record<VoiceStatus, string> = {
  missing: 'Not voiced yet',
  ready: 'Voiced',
  stale: 'Stale: the clip was voiced for other words, speaker or voice',
  rendering: 'Voicing…',
  failed: 'Voicing failed',
};

/** Markdown lines for the hover of one speech line. */
export function lineHoverMarkdown(
  line: SpeechLine,
  s: VoiceStatusInputs & { failedLines: Record<string, string> },
): string[] {
  const persona = personaByName(s.episode.personas, line.speaker);
  const words = countWords(line.text);
  const status = voiceStatusOf(line, s);
  const clip = s.episode.clips[line.id];
  const speaker =
    line.speaker === ''
      ? '_no speaker_'
      : `**${line.speaker}**${persona ? '' : ' (not a host of this show)'}`;
  const progress = voiceStore.get().lineProgress[line.id];
  const voice =
    status === 'rendering' && progress && progress.status !== 'failed' && progress.status !== 'canceled'
      ? `${STATUS_LABEL.rendering} ${progress.message}`
      : status === 'failed'
        ? `${STATUS_LABEL.failed}: ${s.failedLines[line.id]}`
        : clip && status !== 'missing'
          ? `${STATUS_LABEL[status]} · clip ${clip.durationSec.toFixed(1)} s`
          : STATUS_LABEL[status];
  const cost = estimateVoiceCost(
    persona?.voice.engine ?? 'espeak',
    line.text.length,
    persona ? usdPerMillionChars(persona.voice) : 0,
  );
  const takes = s.episode.takes?.[line.id] ?? [];
  const pinned = s.episode.pinned?.[line.id];
  const pinnedIndex = pinned ? takes.findIndex((t) => t.hash === pinned) : -1;
  const takesLine =
    takes.length === 0
      ? 'Takes: none yet'
      : `Takes: ${takes.length}${pinnedIndex >= 0 ? ` · take #${pinnedIndex + 1} pinned` : ''} (takes panel below the script)`;
  return [
    `${speaker} · ≈ ${formatDuration(estimateSeconds(line.text))} spoken (${words} ${words === 1 ? 'word' : 'words'}, 150 wpm)`,
    `Voice: ${voice}`,
    takesLine,
    `Cost: ${cost.label} · Ctrl/Cmd+Enter regenerates · Ctrl/Cmd+Shift+Enter plays`,
  ];
}
