/**
 * The date as a host says it in the greeting ("Today is Saturday, November 15th.").
 */

const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** English ordinal of a day number: 1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 31st. */
export function englishOrdinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/**
 * Parses `YYYY-MM-DD` as a UTC calendar date. Throws a RangeError for malformed or impossible
 * dates (2025-02-30) instead of letting `Date` roll them over.
 */
function parseIsoDate(isoDate: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate.trim());
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${isoDate}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`Not a real calendar date: ${isoDate}`);
  }
  return date;
}

/**
 * Speaks a calendar date for the greeting.
 *
 * English locales (`en`, `en-US`, `en-GB` …) give "Saturday, November 15th"; other locales use
 * `Intl.DateTimeFormat` with weekday, month and day (e.g. de-DE "Samstag, 15. November").
 * The date is evaluated in UTC so it never shifts by a day with the machine's time zone; an
 * unknown locale falls back to English.
 *
 * @param isoDate `YYYY-MM-DD`
 * @throws RangeError when `isoDate` is not a real date
 */
export function spokenDate(isoDate: string, locale: string): string {
  const date = parseIsoDate(isoDate);
  const english = () =>
    `${EN_WEEKDAYS[date.getUTCDay()]}, ${EN_MONTHS[date.getUTCMonth()]} ${englishOrdinal(date.getUTCDate())}`;
  if (/^en(\b|[-_])/i.test(locale.trim()) || locale.trim() === '') return english();
  try {
    const tag = locale.trim().replace(/_/g, '-');
    // An unsupported tag would silently use the machine's default locale; keep output portable.
    if (Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 0) return english();
    return new Intl.DateTimeFormat(tag, {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(date);
  } catch {
    return english();
  }
}
