import { describe, expect, it } from 'vitest';
import {
  countWords,
  DEFAULT_TARGET_MINUTES,
  estimateSeconds,
  estimateVoiceCost,
  lengthVersusTarget,
  targetMinutesOf,
} from './estimate';

describe('estimates', () => {
  it('counts words and speaks them at 150 per minute', () => {
    expect(countWords('  one two\tthree\n ')).toBe(3);
    expect(countWords('')).toBe(0);
    expect(estimateSeconds('word '.repeat(150))).toBe(60);
    expect(estimateSeconds('a b c d e')).toBe(2);
  });

  it('takes the target from the show settings when it is sensible', () => {
    expect(targetMinutesOf({ showName: 'x' })).toBe(DEFAULT_TARGET_MINUTES);
    expect(targetMinutesOf({ targetMinutes: 12 })).toBe(12);
    expect(targetMinutesOf({ targetMinutes: 0 })).toBe(5);
    expect(targetMinutesOf({ targetMinutes: '12' })).toBe(5);
  });

  it('compares with the target within 10 %', () => {
    expect(lengthVersusTarget(4, 5)).toBe('short');
    expect(lengthVersusTarget(4.6, 5)).toBe('on-target');
    expect(lengthVersusTarget(5.6, 5)).toBe('long');
  });

  it('prices the embedded engine at nothing and cloud engines per character', () => {
    expect(estimateVoiceCost('espeak', 1e6)).toEqual({ usd: 0, label: 'offline · free' });
    expect(estimateVoiceCost('openai', 100_000, 15)).toEqual({ usd: 1.5, label: '≈ $1.50' });
  });
});
