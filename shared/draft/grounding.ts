/**
 * Grounding checks: does a script line state numbers, percentages, money, dates or quotations
 * that its article does not? Used to flag invented facts in drafted or edited lines.
 */
import type { ScriptLine, SpeechLine } from '../model/episode';

/** A factual claim in a line that the article does not support. Offsets are into the line. */
export type GroundingIssue = {
  kind: 'number' | 'percent' | 'money' | 'date' | 'quote';
  /** The claim as written in the line, e.g. "over 40%", "age six", "“very good, fast”". */
  claim: string;
  /** Start offset in the line text (inclusive). */
  start: number;
  /** End offset in the line text (exclusive). */
  end: number;
  /** A sentence for the producer. */
  message: string;
};

/** Grounding issues of one script line. */
export type LineGrounding = { lineId: string; issues: GroundingIssue[] };

const SMALL: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = {
  hundred: 100,
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};
const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const SMALL_WORDS = Object.keys(SMALL).join('|');
const TENS_WORDS = Object.keys(TENS).join('|');
/** A written-out number: "seven", "forty", "forty-two", "twenty one". */
const WRITTEN = `(?:(?:${TENS_WORDS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|${SMALL_WORDS})`;
/** A digit number with optional thousands separators and decimals: "540", "1,200", "4.6". */
const DIGITS = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const SCALE = String.raw`(?:\s?(?:hundred|thousand|million|billion|trillion)\b|(?:k|m|mn|bn|b|tn)\b)`;
const QUALIFIER = String.raw`(?:(?:over|more than|less than|fewer than|under|about|around|nearly|almost|roughly|approximately|up to|at least|at most)\s+)?`;
const NUM_START = String.raw`(?<![\p{L}\p{N}_.,-])`;
const NUM_END = String.raw`(?![\p{N}]|[.,]\d)`;

const MONEY_RE = new RegExp(
  String.raw`${QUALIFIER}(?:(?:US|A|C|HK)?[$€£¥]|\b(?:USD|EUR|GBP|CNY|RMB)\s?)\s?(${DIGITS})(${SCALE})?${NUM_END}` +
    String.raw`|${QUALIFIER}${NUM_START}(${DIGITS})(${SCALE})?\s(?:dollars|euros|pounds|yuan|yen|rupees|USD|EUR)\b`,
  'giu',
);
const PERCENT_RE = new RegExp(
  String.raw`${QUALIFIER}(?:${NUM_START}(${DIGITS})|\b(${WRITTEN}))\s?(?:%|percent\b|per cent\b|percentage points?\b)`,
  'giu',
);
const MONTH_NAMES = String.raw`January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec`;
const MONTH_DAY_RE = new RegExp(
  String.raw`\b(${MONTH_NAMES})\.?\s(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s(\d{4})\b)?` +
    String.raw`|\b(\d{1,2})(?:st|nd|rd|th)?\s(?:of\s)?(${MONTH_NAMES})\b(?:,?\s(\d{4})\b)?`,
  'gu',
);
const MONTH_RE = /\b(January|February|March|April|June|July|August|September|October|November|December)\b/gu;
const YEAR_RE = /(?<![\p{L}\p{N}_.,$€£¥-])((?:1[5-9]|20)\d\d)(?:s|’s|'s)?(?![\p{N}]|[.,]\d)/gu;
const NUMBER_RE = new RegExp(
  String.raw`(?:\b(?:age|aged)\s)?(?:${NUM_START}(${DIGITS})(?:st|nd|rd|th|x)?|\b(${WRITTEN})\b)(${SCALE})?${NUM_END}(?![\p{L}])`,
  'giu',
);
/** Written numbers too common as pronouns or articles to count as claims in a line. */
const NOT_CLAIMS = new Set(['one', 'zero']);

/**
 * A claim and the keys that support it ("num:40", "pct:83", "date:-401"): a line's claim is
 * supported when the article has every one of its keys.
 */
type Claim = { kind: GroundingIssue['kind']; claim: string; start: number; end: number; keys: string[] };

function parseDigits(s: string): number {
  return Number(s.replace(/,/g, ''));
}

function parseWritten(s: string): number | undefined {
  const w = s.toLowerCase().trim();
  if (w in SMALL) return SMALL[w];
  const m = /^([a-z]+)(?:[- ]([a-z]+))?$/.exec(w);
  if (!m) return undefined;
  const tens = TENS[m[1]];
  if (tens === undefined) return undefined;
  if (!m[2]) return tens;
  const unit = SMALL[m[2]];
  return unit !== undefined && unit > 0 && unit < 10 ? tens + unit : undefined;
}

function scaleOf(s: string | undefined): number {
  if (!s) return 1;
  return SCALES[s.trim().toLowerCase()] ?? 1;
}

/** Rounds away float noise so 4.6e9 from "4.6 billion" equals 4.6e9 from "4,600,000,000". */
function round(v: number): number {
  return Number(v.toPrecision(12));
}

function numberValue(digits: string | undefined, written: string | undefined): number | undefined {
  if (digits) return parseDigits(digits);
  if (written) return parseWritten(written);
  return undefined;
}

/**
 * Keys of a number phrase. In a line, "540 million" means 540e6 only; in the article it also
 * supports a bare "540" (the same figure, quoted without its scale).
 */
function numberKeys(base: number | undefined, scale: string | undefined, forArticle: boolean): string[] {
  if (base === undefined || Number.isNaN(base)) return [];
  const s = scaleOf(scale);
  if (s === 1) return [`num:${round(base)}`];
  return forArticle ? [`num:${round(base * s)}`, `num:${round(base)}`] : [`num:${round(base * s)}`];
}

/** Extracts numeric claims in priority order; later kinds skip text an earlier kind took. */
function extractNumericClaims(text: string, forArticle: boolean): Claim[] {
  const taken = new Uint8Array(text.length);
  const claims: Claim[] = [];
  const free = (a: number, b: number) => {
    for (let i = a; i < b; i++) if (taken[i]) return false;
    return true;
  };
  const take = (kind: Claim['kind'], start: number, end: number, keys: string[]) => {
    if (keys.length === 0 || !free(start, end)) return;
    taken.fill(1, start, end);
    claims.push({ kind, claim: text.slice(start, end), start, end, keys });
  };

  for (const m of text.matchAll(MONEY_RE)) {
    const base = parseDigits(m[1] ?? m[3]);
    take('money', m.index, m.index + m[0].length, numberKeys(base, m[2] ?? m[4], forArticle));
  }
  for (const m of text.matchAll(PERCENT_RE)) {
    const v = numberValue(m[1], m[2]);
    if (v === undefined) continue;
    // "40%" in a line needs a percentage in the article; "40 times" is a different figure.
    const keys = forArticle ? [`pct:${round(v)}`, `num:${round(v)}`] : [`pct:${round(v)}`];
    take('percent', m.index, m.index + m[0].length, keys);
  }
  for (const m of text.matchAll(MONTH_DAY_RE)) {
    const month = MONTHS[(m[1] ?? m[5]).toLowerCase()];
    const day = Number(m[2] ?? m[4]);
    const year = m[3] ?? m[6];
    if (day < 1 || day > 31) continue;
    // "April 1" and "1 April" share a key; the year, when given, must be there too.
    const keys = [`date:${month}-${day}`];
    if (year) keys.push(`num:${Number(year)}`);
    if (forArticle) keys.push(`month:${month}`);
    take('date', m.index, m.index + m[0].length, keys);
  }
  for (const m of text.matchAll(YEAR_RE)) {
    take('date', m.index, m.index + m[0].length, [`num:${Number(m[1])}`]);
  }
  for (const m of text.matchAll(MONTH_RE)) {
    take('date', m.index, m.index + m[0].length, [`month:${MONTHS[m[1].toLowerCase()]}`]);
  }
  for (const m of text.matchAll(NUMBER_RE)) {
    const written = m[2];
    if (written && !forArticle && NOT_CLAIMS.has(written.toLowerCase())) continue;
    const v = numberValue(m[1], written);
    take('number', m.index, m.index + m[0].length, numberKeys(v, m[3], forArticle));
  }
  return claims.sort((a, b) => a.start - b.start);
}

/** Lowercased word tokens with curly apostrophes straightened, for quote matching. */
function wordTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[‘’‛′`]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((t) => t.replace(/^'+|'+$/g, ''))
    .filter((t) => t !== '');
}

/** Quoted phrases in a line: “…”, "…" and ‘…’ (the latter only when not an apostrophe). */
function extractQuotes(text: string): { claim: string; start: number; end: number; inner: string }[] {
  const out: { claim: string; start: number; end: number; inner: string }[] = [];
  const patterns = [
    /“([^“”\n]{1,1000})”/gu,
    /"([^"\n]{1,1000})"/gu,
    /(?<![\p{L}\p{N}])‘([^‘’\n]{1,300}?)’(?![\p{L}\p{N}])/gu,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      if (wordTokens(m[1]).length === 0) continue;
      out.push({ claim: m[0], start: m.index, end: m.index + m[0].length, inner: m[1] });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Longest common subsequence length of two short token lists. */
function lcs(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

/** The article, indexed once for many checks. */
type PreparedArticle = {
  keys: Set<string>;
  tokens: string[];
  joined: string;
  positions: Map<string, number[]>;
};

function prepareArticle(articleText: string): PreparedArticle {
  const keys = new Set<string>();
  for (const c of extractNumericClaims(articleText, true)) for (const k of c.keys) keys.add(k);
  const tokens = wordTokens(articleText);
  const positions = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const list = positions.get(t);
    if (list) list.push(i);
    else positions.set(t, [i]);
  });
  return { keys, tokens, joined: ` ${tokens.join(' ')} `, positions };
}

/**
 * Whether the article contains the quote: verbatim (ignoring case, quote style, punctuation and
 * whitespace) or with at least 80% of its words in order inside a nearby window.
 */
function quoteSupported(inner: string, article: PreparedArticle): boolean {
  const q = wordTokens(inner);
  if (q.length === 0) return true;
  if (article.joined.includes(` ${q.join(' ')} `)) return true;
  const needed = Math.ceil(q.length * 0.8);
  const windowSize = q.length * 2;
  const starts = new Set<number>();
  for (const t of q) for (const p of article.positions.get(t) ?? []) starts.add(p);
  for (const p of starts) {
    if (lcs(q, article.tokens.slice(p, p + windowSize)) >= needed) return true;
  }
  return false;
}

const KIND_LABEL: Record<GroundingIssue['kind'], string> = {
  number: 'Number',
  percent: 'Percentage',
  money: 'Amount',
  date: 'Date',
  quote: 'Quote',
};

function checkPrepared(lineText: string, article: PreparedArticle): GroundingIssue[] {
  const issues: GroundingIssue[] = [];
  for (const c of extractNumericClaims(lineText, false)) {
    if (c.keys.every((k) => article.keys.has(k))) continue;
    issues.push({
      kind: c.kind,
      claim: c.claim,
      start: c.start,
      end: c.end,
      message: `${KIND_LABEL[c.kind]} “${c.claim}” does not appear in the article.`,
    });
  }
  for (const q of extractQuotes(lineText)) {
    if (quoteSupported(q.inner, article)) continue;
    issues.push({
      kind: 'quote',
      claim: q.claim,
      start: q.start,
      end: q.end,
      message: `Quote ${q.claim} is not in the article; quotes must be the source's own words.`,
    });
  }
  return issues.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Finds the claims in `lineText` that `articleText` does not support.
 *
 * Claims: numbers (digits and written-out words: "six", "age six", "forty"), percentages ("83%",
 * "83 percent"), money ("$4 billion"), years and dates ("2025", "April 1", "October"), and quoted
 * phrases (“…”, "…", ‘…’). Numbers compare by value, so "40 times" matches "40", "seven" matches
 * "7", "1,200" matches "1200" and "540 million" matches "540 million" or "540,000,000". Quotes
 * match case-insensitively after normalising quote style and whitespace, verbatim or with ≥ 80%
 * of their words in order.
 */
export function checkGrounding(lineText: string, articleText: string): GroundingIssue[] {
  return checkPrepared(lineText, prepareArticle(articleText));
}

/** The greeting formula ("Good morning …, Today is …") states the show's date, not the article's. */
export function isGreetingLine(line: SpeechLine): boolean {
  return /^\s*good (?:morning|afternoon|evening)\b/i.test(line.text);
}

/**
 * Grounding issues for every speech line of a script, in script order; lines without issues are
 * left out. Pass the article's title and text together (`articleGroundingText` in model/episode: a title's
 * numbers are fair to repeat).
 *
 * @param exempt lines to skip; defaults to {@link isGreetingLine}.
 */
export function groundingForScript(
  lines: readonly ScriptLine[],
  articleText: string,
  exempt: (line: SpeechLine) => boolean = isGreetingLine,
): LineGrounding[] {
  const article = prepareArticle(articleText);
  const out: LineGrounding[] = [];
  for (const line of lines) {
    if (line.kind !== 'speech' || exempt(line)) continue;
    const issues = checkPrepared(line.text, article);
    if (issues.length > 0) out.push({ lineId: line.id, issues });
  }
  return out;
}
