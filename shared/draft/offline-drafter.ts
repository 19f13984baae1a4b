/**
 * The offline drafter: turns an article into a two-to-four-host script without any model.
 *
 * It is extractive on purpose. Apart from the greeting, topic intro and sign-off formulas, every
 * spoken sentence is an article sentence, at most prefixed with a fact-free connective ("Right,
 * and …") and with unmatched quotation marks dropped, so a draft never states what the article
 * does not. Deterministic: the same input always gives the same draft.
 */
import type { DraftResult } from '../contract';
import type { Analysis, Article, Persona, ScriptLine, ShowSettings } from '../model/episode';
import { expandTemplateVariables } from '../script/template';
import { cleanArticleText } from './article-text';
import { splitSentences } from './sentences';
import { spokenDate } from './spoken-date';

/** Input of {@link draftOffline}. */
export type OfflineDraftInput = {
  article: Article;
  show: ShowSettings;
  /** Hosts in order: the first greets, the second introduces the topic; 3–4 take turns. */
  personas: Persona[];
  /**
   * Target episode length; speech is sized at 150 words per minute. Default: the show's
   * `targetMinutes`, else 5.
   */
  targetMinutes?: number;
  /** Local hour (0–23) for `{timeOfDay}` in the show's templates. Default 9 (morning). */
  hour?: number;
};

/** Speaking rate used to size drafts. */
export const WORDS_PER_MINUTE = 150;

/**
 * Fact-free openers a host may put before an article sentence. Those ending in "," or "and"
 * run into the sentence; the others stand before it.
 */
export const CONNECTIVES: readonly string[] = [
  'Right, and',
  "Here's the thing:",
  'And',
  'On top of that,',
  'Meanwhile,',
  "What's more,",
  'Also,',
  'Yes, and',
];

/** Sign-off formulas of the second host (each followed by "See you tomorrow."). */
const SIGN_OFFS = [
  'A fascinating topic. We will be back',
  'Thanks for joining us',
  "That's all for today",
  'Until next time',
];

const NUMBER_WORD =
  /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|first|second|third|half|dozen)\b/i;

/**
 * True when a host's catchphrase states no facts, so the offline drafter may speak it: at most
 * 15 words, no digits or number words, no money or percent signs, no quotation marks, and no
 * capitalised word after the first (a name, a place, a company) except "I".
 */
export function factFreePhrase(phrase: string): boolean {
  const text = phrase.replace(/\s+/g, ' ').trim();
  if (text === '' || wordCount(text) > 15) return false;
  if (/\p{N}/u.test(text) || NUMBER_WORD.test(text)) return false;
  if (/[%$€£¥“”"«»「」{}]/.test(text)) return false;
  return !text
    .split(' ')
    .slice(1)
    .some((w) => /^[^\p{L}]*\p{Lu}/u.test(w) && !/^I(?:['’]\p{L}+)?\W*$/u.test(w));
}

/** The host's first fact-free catchphrase, ending in a stop; null when there is none. */
export function signOffCatchphrase(persona: Persona): string | null {
  const phrase = (persona.catchphrases ?? []).find(factFreePhrase);
  return phrase ? ensureStop(phrase.replace(/\s+/g, ' ').trim()) : null;
}

/** A set from a space-separated word list (keeps long lists compact). */
function wordSet(list: string): Set<string> {
  return new Set(list.split(' '));
}

/** Opening words that read naturally in lower case after a connective. */
const LOWERABLE = wordSet(
  'the this that these those it its their they there some many ' +
    'most among in on at with for as a an unlike while ' +
    'when after before since such several both each other another two three ' +
    'four five his her our we he she programmers developers industry',
);
/** Openers that already connect; a connective before them would stutter ("And but …"). */
const SELF_CONNECTED = wordSet(
  'but and or so yet however meanwhile indeed also still moreover furthermore ' +
    'plus nevertheless instead then',
);

const CUES: Record<Exclude<keyof Analysis, 'coreEvent' | 'relatedInfo'>, RegExp> = {
  conflict:
    /\b(?:but|however|critic\w*|fight\w*|controls?|failure|fail\w*|oppos\w*|disput\w*|clash\w*|tension\w*|rival\w*|against|bans?|banned|threat\w*|war|reluctant|concern\w*|accus\w*|lawsuit|compet\w*)\b/gi,
  background:
    /\b(?:years?|history|historic\w*|since|earlier|previously|long|decades?|ago|began|originally|traditionally|founded|in (?:19|20)\d\d|last (?:year|month|week)|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b/gi,
  impact:
    /\b(?:prices?|pricing|costs?|cheap\w*|market\w*|users?|customers?|consumers?|jobs?|econom\w*|revenue|industr\w*|sectors?|afford\w*|fees?|startups?|companies)\b/gi,
  future:
    /\b(?:will|could|may|might|longer term|long term|likely|future|expect\w*|plans?|planned|next|possible|forecast\w*|ahead|soon|imminent|trajectory)\b/gi,
};

const CATEGORIES: { name: string; re: RegExp }[] = [
  {
    name: 'Technology',
    re: /\b(?:AI|A\.I\.|artificial intelligence|tech|technology|software|chips?|semiconductors?|apps?|startups?|internet|computer\w*|digital|cyber\w*|smartphones?|silicon valley|algorithms?|robot\w*|openai|google|microsoft|apple|meta|models?|developers?|programm\w*|data)\b/gi,
  },
  {
    name: 'Business',
    re: /\b(?:business\w*|compan(?:y|ies)|markets?|shares?|stocks?|revenue|profits?|ceo|investors?|economy|economic|prices?|trade|deals?|banks?|earnings|retail\w*|brands?|sales)\b/gi,
  },
  {
    name: 'Politics',
    re: /\b(?:elections?|government|president|minister|parliament|congress|senate|polic(?:y|ies)|votes?|voters?|party|sanctions?|law(?:makers)?|campaign|democra\w*|republican\w*|legislation|white house)\b/gi,
  },
  {
    name: 'Science',
    re: /\b(?:research\w*|scientists?|study|studies|space|nasa|physics|biology|species|experiment\w*|telescope|planet\w*|laboratory|discover\w*|climate)\b/gi,
  },
  {
    name: 'Health',
    re: /\b(?:health|hospitals?|disease\w*|virus\w*|vaccin\w*|patients?|medical|doctors?|cancer|drugs?|treatment\w*|pandemic|nurses?|mental)\b/gi,
  },
  {
    name: 'World',
    re: /\b(?:war|countr(?:y|ies)|international|united nations|border\w*|refugees?|military|troops|conflict|diplomat\w*|embassy|ceasefire|allies)\b/gi,
  },
  {
    name: 'Sports',
    re: /\b(?:match(?:es)?|teams?|league|goals?|championship|tournament|players?|coach\w*|season|olympic\w*|football|soccer|tennis|cricket|basketball|world cup)\b/gi,
  },
  {
    name: 'Culture',
    re: /\b(?:film\w*|movies?|music\w*|art|artists?|books?|museum\w*|festival\w*|actors?|actress\w*|albums?|television|celebrit\w*|theatre|theater|novel\w*)\b/gi,
  },
];

/** An article sentence with what the drafter knows about it. */
export type Candidate = {
  index: number;
  paragraph: number;
  text: string;
  words: number;
  score: number;
};

/** Words in a text (whitespace-separated). */
export function wordCount(s: string): number {
  const t = s.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

function countMatches(text: string, re: RegExp): number {
  re.lastIndex = 0;
  return (text.match(re) ?? []).length;
}

/** A small stable string hash (FNV-1a) for deterministic choices. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Drops quotation marks that have no partner inside the sentence (a quote that spans two
 * sentences), so every quote a line carries is whole and verbatim.
 */
function balanceQuotes(s: string): string {
  const drop = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '“') open.push(i);
    else if (s[i] === '”') {
      if (open.length > 0) open.pop();
      else drop.add(i);
    }
  }
  for (const i of open) drop.add(i);
  let out = '';
  for (let i = 0; i < s.length; i++) if (!drop.has(i)) out += s[i];
  if ((out.match(/"/g) ?? []).length % 2 === 1) out = out.replace(/"/g, '');
  return out.replace(/\s+/g, ' ').trim();
}

/** Capitalised words that are not the sentence's first word: a cheap named-entity count. */
function entityCount(s: string): number {
  const words = s
    .replace(/[“”"‘’]/g, '')
    .split(/\s+/)
    .slice(1);
  return words.filter((w) => /^\p{Lu}[\p{L}\p{N}.’'-]*/u.test(w) && w !== 'I').length;
}

function scoreSentence(text: string, index: number, total: number, words: number): number {
  let score = 0;
  if (index === 0) score += 4;
  else if (index === 1) score += 2.5;
  else if (index === 2) score += 1.5;
  score += 2 * (1 - index / Math.max(1, total));
  if (
    /\d/.test(text) ||
    /\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|thousand|million|billion)\b/i.test(
      text,
    )
  ) {
    score += 1.5;
  }
  if (/%|\bper ?cent\b|[$€£¥]|\b(?:million|billion|trillion)\b/i.test(text)) score += 1.5;
  if (/“[^”]{8,}”|"[^"]{8,}"/.test(text)) score += 1.5;
  score += Math.min(3, entityCount(text) * 0.4);
  if (/\b(?:said|told|according to|revealed|reported)\b/.test(text)) score += 0.5;
  if (words < 8) score -= 2;
  else if (words > 45) score -= 1.5;
  return score;
}

/** Article sentences usable as speech, with scores. */
export function candidates(text: string, lang: string): Candidate[] {
  const out: Candidate[] = [];
  const paragraphs = text.split(/\n{2,}/);
  const raw: { paragraph: number; text: string }[] = [];
  paragraphs.forEach((p, paragraph) => {
    for (const s of splitSentences(p, lang)) raw.push({ paragraph, text: balanceQuotes(s) });
  });
  raw.forEach((r, index) => {
    const words = wordCount(r.text);
    if (words < 4 || words > 80) return;
    if (!/\p{L}{2}/u.test(r.text)) return;
    if (/^(?:read more|subscribe|sign up|click|follow us|advertisement|share this)\b/i.test(r.text)) return;
    out.push({
      index,
      paragraph: r.paragraph,
      text: r.text.replace(/^#+\s*/, ''),
      words,
      score: scoreSentence(r.text, index, raw.length, words),
    });
  });
  return out;
}

/** Best score first, then article order. */
export function byScore(a: Candidate, b: Candidate): number {
  return b.score - a.score || a.index - b.index;
}

/** Article order. */
export function byIndex(a: Candidate, b: Candidate): number {
  return a.index - b.index;
}

/** Connectives that stand before a capitalised sentence (used when lower-casing would be wrong). */
export const STANDALONE_CONNECTIVES: readonly string[] = [
  "There's more:",
  'Consider this:',
  'Listen to this:',
];

/** Prefixes a fact-free connective, lower-casing the first word when that reads naturally. */
export function withConnective(sentence: string, connective: string): string {
  const first = /^[\p{L}’']+/u.exec(sentence)?.[0] ?? '';
  if (SELF_CONNECTED.has(first.toLowerCase())) return sentence;
  const runsOn = /(?:,|\band)$/i.test(connective);
  if (!runsOn) return `${connective} ${sentence}`;
  if (first !== '' && LOWERABLE.has(first.toLowerCase()) && first !== 'I') {
    return `${connective} ${sentence[0].toLowerCase()}${sentence.slice(1)}`;
  }
  // "And Visitors book…" reads wrong, and a name must keep its capital: use a connective that
  // ends in a colon instead, picked deterministically from the sentence.
  const pick = STANDALONE_CONNECTIVES[sentence.length % STANDALONE_CONNECTIVES.length];
  return `${pick} ${sentence}`;
}

/** Ends a sentence with a stop when it has none. */
export function ensureStop(s: string): string {
  return /[.!?…]["”’)]?$/.test(s) ? s : `${s}.`;
}

/** Splits the ordered sentences into 1–3 contiguous chunks (one chapter each). */
function chunk<T>(items: T[]): T[][] {
  const k = items.length >= 9 ? 3 : items.length >= 2 ? 2 : 1;
  const out: T[][] = [];
  for (let c = 0; c < k; c++) {
    out.push(items.slice(Math.round((c * items.length) / k), Math.round(((c + 1) * items.length) / k)));
  }
  return out.filter((c) => c.length > 0);
}

function chapterTitles(chunks: Candidate[][]): string[] {
  const titles = ['The story'];
  if (chunks.length <= 1) return titles.slice(0, chunks.length);
  const cue = (c: Candidate[], re: RegExp) => c.reduce((n, s) => n + countMatches(s.text, re), 0);
  const numbers = (c: Candidate[]) => c.filter((s) => /\d/.test(s.text)).length;
  const middle = chunks.slice(1, -1).map((c) => {
    const options: [string, number][] = [
      ['Key points', numbers(c) * 2],
      ['Context', cue(c, CUES.background)],
      ['The debate', cue(c, CUES.conflict)],
    ];
    return options.reduce((best, o) => (o[1] > best[1] ? o : best))[0];
  });
  const last = chunks[chunks.length - 1];
  const lastTitle =
    cue(last, CUES.impact) + cue(last, CUES.future) > 0
      ? 'What it means'
      : middle.includes('Key points')
        ? 'Context'
        : 'Key points';
  return [...titles, ...middle, lastTitle];
}

/** Groups a chapter's sentences into lines of 1–3 sentences. */
export function groupLines(sentences: Candidate[]): Candidate[][] {
  const lines: Candidate[][] = [];
  let i = 0;
  while (i < sentences.length) {
    const line = [sentences[i]];
    let words = sentences[i].words;
    i++;
    while (i < sentences.length && line.length < 3 && words < 28 && words + sentences[i].words <= 60) {
      words += sentences[i].words;
      line.push(sentences[i]);
      i++;
    }
    lines.push(line);
  }
  return lines;
}

/** Extractive pick: up to `max` sentences by `score`, at least one cue hit, in article order. */
function pickSentences(
  pool: Candidate[],
  score: (c: Candidate) => number,
  max: number,
  used: Set<number>,
  maxWords = 90,
): Candidate[] {
  const ranked = pool
    .map((c) => ({ c, s: score(c) - (used.has(c.index) ? 100 : 0) }))
    .filter((r) => r.s > 0)
    .sort((a, b) => b.s - a.s || a.c.index - b.c.index);
  const out: Candidate[] = [];
  let words = 0;
  for (const r of ranked) {
    if (out.length >= max) break;
    if (out.length > 0 && words + r.c.words > maxWords) continue;
    out.push(r.c);
    words += r.c.words;
  }
  if (out.length === 0) {
    // No cue anywhere: fall back to the best sentence not used elsewhere (still extractive).
    const fallback = [...pool].sort(byScore).find((c) => !used.has(c.index)) ?? [...pool].sort(byScore)[0];
    if (fallback) out.push(fallback);
  }
  for (const c of out) used.add(c.index);
  return out.sort(byIndex);
}

function joinText(cs: Candidate[]): string {
  return cs.map((c) => ensureStop(c.text)).join(' ');
}

function analysisOf(pool: Candidate[], title: string): Analysis {
  const used = new Set<number>();
  const cueScore = (re: RegExp) => (c: Candidate) => {
    const hits = countMatches(c.text, re);
    return hits === 0 ? 0 : hits * 2 + c.score * 0.2;
  };
  const lead = [...pool].sort(byIndex).slice(0, 2);
  for (const c of lead) used.add(c.index);
  const coreEvent = joinText(lead);
  const conflict = joinText(pickSentences(pool, cueScore(CUES.conflict), 2, used));
  const background = joinText(pickSentences(pool, cueScore(CUES.background), 2, used));
  const impact = joinText(pickSentences(pool, cueScore(CUES.impact), 2, used));
  const future = joinText(pickSentences(pool, cueScore(CUES.future), 2, used));
  const titleWords = new Set(title.toLowerCase().split(/\W+/));
  const related = (c: Candidate) => {
    const names = c.text
      .split(/\s+/)
      .slice(1)
      .filter((w) => /^\p{Lu}/u.test(w) && !titleWords.has(w.toLowerCase().replace(/\W+$/, '')));
    return names.length + (/\d/.test(c.text) ? 1 : 0) + (/\baccording to\b/i.test(c.text) ? 1 : 0);
  };
  const relatedInfo = joinText(pickSentences(pool, related, 2, used));
  return { conflict, relatedInfo, coreEvent, background, impact, future };
}

/** A simple keyword classifier over title (weighted) and text; "News" when nothing stands out. */
export function classifyCategory(title: string, text: string): string {
  let best = 'News';
  let bestScore = 0;
  for (const { name, re } of CATEGORIES) {
    const score = countMatches(title, re) * 3 + countMatches(text, re);
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return bestScore >= 3 ? best : 'News';
}

/** The first sentence cut to a headline length, for articles without a title. */
export function fallbackTitle(first: string | undefined): string {
  if (!first) return 'Today’s story';
  const words = first.replace(/[“”"]/g, '').split(/\s+/);
  const cut = words.slice(0, 12).join(' ');
  return cut.replace(/[\s,;:.!?–—-]+$/, '');
}

function oneLine(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^#+\s*/, '');
}

/** The fixed lines of an episode: host A's greeting, host B's topic intro and both sign-offs. */
export type ShowFormulas = { greeting: string; intro: string; signOffA: string; signOffB: string };

/**
 * The greeting, topic intro and sign-offs the offline drafter speaks (the show's templates when
 * set, else the standard formulas; a fact-free catchphrase may close a host's sign-off).
 */
export function showFormulas(input: OfflineDraftInput, title: string): ShowFormulas {
  const { show, personas } = input;
  const hour = input.hour ?? 9;
  const hostA = personas[0];
  const hostB = personas[1] ?? personas[0];
  let date: string;
  try {
    date = spokenDate(show.date, show.locale);
  } catch {
    date = show.date;
  }
  const listener = oneLine(show.listenerName);
  const showName = oneLine(show.showName);
  // A show template replaces the standard formula; either way a fact-free catchphrase may close
  // the host's sign-off.
  const fromTemplate = (template: string | undefined, host: Persona, standard: string): string =>
    template?.trim() ? oneLine(expandTemplateVariables(template, show, host.name, hour)) : standard;
  const withPhrase = (line: string, host: Persona): string => {
    const phrase = signOffCatchphrase(host);
    return phrase ? `${line} ${phrase}` : line;
  };
  const greeting = fromTemplate(
    show.greetingTemplate,
    hostA,
    `Good morning ${listener}, I'm ${hostA.name}, and this is ${showName} for you. Today is ${date}.`,
  );
  const intro = `And I'm ${hostB.name}. Today's story: ${ensureStop(title)}`;
  const signOffA = withPhrase(
    fromTemplate(
      show.signOffTemplate,
      hostA,
      `That's the end of today's discussion. Thank you for listening to ${showName}, ${listener}.`,
    ),
    hostA,
  );
  const signOffB =
    hostB === hostA
      ? `${SIGN_OFFS[hash(title) % SIGN_OFFS.length]}. See you tomorrow.`
      : withPhrase(`${SIGN_OFFS[hash(title) % SIGN_OFFS.length]}. See you tomorrow.`, hostB);
  return { greeting, intro, signOffA, signOffB };
}

/**
 * Drafts an episode script offline from an article.
 *
 * Shape: "## Introduction" with the greeting (host A) and topic intro (host B); two or three
 * chapters ("## The story", "## Key points" / "## Context" / "## The debate", "## What it
 * means") in which the hosts take turns over the article's key sentences in article order;
 * "## Sign-off" with the closing formulas. Sentences are picked by a deterministic score
 * (position, numbers, money and percentages, quotes, named entities) until the speech reaches
 * `targetMinutes` × 150 words (±15%), or the article runs out. Summary and analysis are
 * extractive too. Line ids are "l1", "l2", … in order.
 *
 * @throws Error when `personas` is empty
 */
export function draftOffline(input: OfflineDraftInput): DraftResult {
  const { article, show, personas } = input;
  if (personas.length === 0) throw new Error('draftOffline needs at least one persona');
  const targetWords = Math.max(1, input.targetMinutes ?? show.targetMinutes ?? 5) * WORDS_PER_MINUTE;
  const lang = show.locale.split(/[-_]/)[0].toLowerCase();

  const cleaned = cleanArticleText(article.text);
  const pool = candidates(cleaned.text, lang);
  const title = oneLine(article.title) || oneLine(cleaned.title) || fallbackTitle(pool[0]?.text);

  const hostA = personas[0];
  const hostB = personas[1] ?? personas[0];
  const { greeting, intro, signOffA, signOffB } = showFormulas(input, title);
  const formulaWords = wordCount(greeting) + wordCount(intro) + wordCount(signOffA) + wordCount(signOffB);

  type Built = { lines: ScriptLine[]; words: number };
  const build = (selected: Candidate[]): Built => {
    const ordered = [...selected].sort(byIndex);
    const chunks = chunk(ordered);
    const titles = chapterTitles(chunks);
    let groups = chunks.map(groupLines);
    // With two hosts, end the discussion on host B so host A's sign-off keeps the alternation.
    const count = groups.reduce((n, g) => n + g.length, 0);
    if (count % personas.length === 1 && personas.length > 1) {
      const flat = groups.flatMap((g, gi) => g.map((line, li) => ({ gi, li, line })));
      const split = [...flat].reverse().find((x) => x.line.length > 1);
      if (split) {
        groups = groups.map((g, gi) =>
          gi === split.gi
            ? g.flatMap((line, li) => (li === split.li ? [line.slice(0, 1), line.slice(1)] : [line]))
            : g,
        );
      }
    }
    const raw: ({ kind: 'heading'; text: string } | { kind: 'speech'; speaker: string; text: string })[] = [
      { kind: 'heading', text: 'Introduction' },
      { kind: 'speech', speaker: hostA.name, text: greeting },
      { kind: 'speech', speaker: hostB.name, text: intro },
    ];
    let turn = 0;
    groups.forEach((lines, gi) => {
      raw.push({ kind: 'heading', text: titles[gi] });
      lines.forEach((line, li) => {
        const speaker = personas[turn % personas.length];
        const sentences = line.map((c) => ensureStop(c.text));
        // Vary connectives by position; the first line of a chapter and every fourth line go bare.
        if (li > 0 && turn % 4 !== 3) {
          sentences[0] = withConnective(sentences[0], CONNECTIVES[(turn + gi) % CONNECTIVES.length]);
        }
        raw.push({ kind: 'speech', speaker: speaker.name, text: sentences.join(' ') });
        turn++;
      });
    });
    raw.push({ kind: 'heading', text: 'Sign-off' });
    raw.push({ kind: 'speech', speaker: hostA.name, text: signOffA });
    raw.push({ kind: 'speech', speaker: hostB.name, text: signOffB });
    const lines: ScriptLine[] = raw.map((r, i) =>
      r.kind === 'heading'
        ? { kind: 'heading', id: `l${i + 1}`, text: r.text }
        : { kind: 'speech', id: `l${i + 1}`, speaker: r.speaker, text: oneLine(r.text) },
    );
    const words = lines.reduce((n, l) => n + (l.kind === 'speech' ? wordCount(l.text) : 0), 0);
    return { lines, words };
  };

  // Greedy by score towards the target, then trim or top up on the measured script.
  const ranked = [...pool].sort(byScore);
  const budget = targetWords - formulaWords;
  const selected: Candidate[] = [];
  let estimate = 0;
  for (const c of ranked) {
    if (estimate >= budget * 0.97) break;
    const cost = c.words + 1;
    if (selected.length > 0 && estimate + cost > budget * 1.05) continue;
    selected.push(c);
    estimate += cost;
  }
  let built = build(selected);
  const high = targetWords * 1.12;
  while (built.words > high && selected.length > 1) {
    selected.sort(byScore).pop();
    built = build(selected);
  }

  const summaryPicks = pickSentences(pool, (c) => c.score + 1, pool.length >= 6 ? 3 : 2, new Set(), 90);
  return {
    title,
    category: show.category?.trim() || classifyCategory(title, cleaned.text),
    lines: built.lines,
    summary: joinText(summaryPicks),
    analysis: analysisOf(pool, title),
  };
}
