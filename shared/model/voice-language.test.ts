import { describe, expect, it } from 'vitest';
import { espeakVoiceForLocale } from './voice-language';

describe('espeakVoiceForLocale', () => {
  it('keeps English voices for English shows, whatever the accent', () => {
    expect(espeakVoiceForLocale('en-us+f3', 'en-US')).toBe('en-us+f3');
    expect(espeakVoiceForLocale('en-gb-x-rp+m1', 'en-GB')).toBe('en-gb-x-rp+m1');
  });
  it('switches to the show language and keeps the variant', () => {
    expect(espeakVoiceForLocale('en-us+f3', 'zh-CN')).toBe('cmn+f3');
    expect(espeakVoiceForLocale('en-us+m3', 'es-ES')).toBe('es+m3');
    expect(espeakVoiceForLocale('en-us', 'de-DE')).toBe('de');
  });
  it('leaves a voice that already speaks the language alone', () => {
    expect(espeakVoiceForLocale('fr-fr+f2', 'fr-FR')).toBe('fr-fr+f2');
    expect(espeakVoiceForLocale('cmn+f3', 'zh-TW')).toBe('cmn+f3');
  });
});
