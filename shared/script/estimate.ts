/**
 * Estimates the editor shows before anything is voiced: how long a line or the script will run,
 * how that compares with the episode's target length, and what voicing it would cost.
 */

/** Speaking rate the estimates assume (a typical news-podcast pace). */
export const WORDS_PER_MINUTE = 150;

/** Target episode length when the show settings do not name one. */
export const DEFAULT_TARGET_MINUTES = 5;

/** Words in a speech text (runs of non-blanks). */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const blank = text.charCodeAt(i) <= 32;
    if (!blank && !inWord) n++;
    inWord = !blank;
  }
  return n;
}

/** Estimated spoken seconds of a text at {@link WORDS_PER_MINUTE}. */
export function estimateSeconds(text: string): number {
  return (countWords(text) / WORDS_PER_MINUTE) * 60;
}

/**
 * The episode's target length in minutes: the show settings' `targetMinutes` when present and
 * sensible (1–120), else {@link DEFAULT_TARGET_MINUTES}.
 */
export function targetMinutesOf(show: object): number {
  const t = (show as { targetMinutes?: unknown }).targetMinutes;
  return typeof t === 'number' && Number.isFinite(t) && t >= 1 && t <= 120 ? t : DEFAULT_TARGET_MINUTES;
}

/** How the estimated length sits against the target: within 10 % is on target. */
export function lengthVersusTarget(
  estimatedMinutes: number,
  targetMinutes: number,
): 'short' | 'on-target' | 'long' {
  const ratio = estimatedMinutes / targetMinutes;
  if (ratio < 0.9) return 'short';
  if (ratio > 1.1) return 'long';
  return 'on-target';
}

/** Estimated cost of voicing, with how to show it. */
export interface VoiceCost {
  usd: number;
  /** Short label for the status bar, e.g. "offline · free" or "≈ $0.42". */
  label: string;
}

/**
 * Cost of voicing `characters` characters with `engine`. The embedded espeak-ng engine runs
 * offline and costs nothing; a cloud engine's per-character price can be passed in.
 */
export function estimateVoiceCost(engine: string, characters: number, usdPerMillionChars = 0): VoiceCost {
  if (engine === 'espeak') return { usd: 0, label: 'offline · free' };
  const usd = (characters / 1_000_000) * usdPerMillionChars;
  return { usd, label: usd === 0 ? 'free' : `≈ $${usd.toFixed(2)}` };
}
