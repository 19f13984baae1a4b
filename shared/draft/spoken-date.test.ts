import { describe, it, expect } from 'vitest';
import { englishOrdinal, spokenDate } from './spoken-date';

describe('spokenDate', () => {
  it('speaks the seed episode date in English', () => {
    expect(spokenDate('2025-11-15', 'en-US')).toBe('Saturday, November 15th');
    expect(spokenDate('2025-11-15', 'en')).toBe('Saturday, November 15th');
    expect(spokenDate('2025-11-15', 'en-GB')).toBe('Saturday, November 15th');
  });

  it('uses the right ordinal suffixes', () => {
    const days: [string, string][] = [
      ['2025-01-01', 'Wednesday, January 1st'],
      ['2025-01-02', 'Thursday, January 2nd'],
      ['2025-01-03', 'Friday, January 3rd'],
      ['2025-01-04', 'Saturday, January 4th'],
      ['2025-01-11', 'Saturday, January 11th'],
      ['2025-01-12', 'Sunday, January 12th'],
      ['2025-01-13', 'Monday, January 13th'],
      ['2025-01-21', 'Tuesday, January 21st'],
      ['2025-01-22', 'Wednesday, January 22nd'],
      ['2025-01-23', 'Thursday, January 23rd'],
      ['2025-01-24', 'Friday, January 24th'],
      ['2025-01-30', 'Thursday, January 30th'],
      ['2025-01-31', 'Friday, January 31st'],
    ];
    for (const [iso, spoken] of days) expect(spokenDate(iso, 'en-US')).toBe(spoken);
  });

  it('computes ordinals beyond calendar days too', () => {
    expect([101, 111, 112, 113, 122, 1000].map(englishOrdinal)).toEqual([
      '101st',
      '111th',
      '112th',
      '113th',
      '122nd',
      '1000th',
    ]);
  });

  it('handles leap days and year boundaries without shifting', () => {
    expect(spokenDate('2024-02-29', 'en-US')).toBe('Thursday, February 29th');
    expect(spokenDate('2025-12-31', 'en-US')).toBe('Wednesday, December 31st');
    expect(spokenDate('2026-01-01', 'en-US')).toBe('Thursday, January 1st');
  });

  it('formats other locales with Intl in UTC', () => {
    expect(spokenDate('2025-11-15', 'de-DE')).toBe('Samstag, 15. November');
    expect(spokenDate('2025-11-15', 'fr-FR')).toBe('samedi 15 novembre');
    expect(spokenDate('2025-11-15', 'zh-CN')).toBe('11月15日星期六');
    expect(spokenDate('2025-01-01', 'es')).toBe('miércoles, 1 de enero');
  });

  it('falls back to English for unknown or malformed locales', () => {
    expect(spokenDate('2025-11-15', 'xx-YY')).toBe('Saturday, November 15th');
    expect(spokenDate('2025-11-15', '')).toBe('Saturday, November 15th');
  });

  it('rejects impossible and malformed dates', () => {
    expect(() => spokenDate('2025-02-30', 'en-US')).toThrow(RangeError);
    expect(() => spokenDate('2025-13-01', 'en-US')).toThrow(RangeError);
    expect(() => spokenDate('15/11/2025', 'en-US')).toThrow(RangeError);
  });
});
