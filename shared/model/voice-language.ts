/**
 * The embedded espeak-ng voice for the show's language: a host keeps its voice variant (+f3,
 * +m3 …) but speaks the language of the show's locale, so a Chinese show is not read with English
 * phonetics. English locales keep the host's own accent (en-us, en-gb …).
 */

/** espeak-ng voice names for languages whose id is not the ISO code itself. */
const ESPEAK_LANGUAGE: Record<string, string> = { zh: 'cmn', yue: 'yue', nb: 'nb', no: 'nb' };

/** The espeak-ng voice id to use for `voice` in a show whose locale is `locale`. */
export function espeakVoiceForLocale(voice: string, locale: string): string {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(lang) || lang === 'en') return voice;
  const [base = '', variant] = voice.split('+');
  const baseLang = base.split('/').pop()?.split('-')[0] ?? '';
  const wanted = ESPEAK_LANGUAGE[lang] ?? lang;
  if (baseLang === lang || baseLang === wanted) return voice;
  return variant ? `${wanted}+${variant}` : wanted;
}
