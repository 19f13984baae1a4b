/**
 * Sentence splitting for article text: abbreviation-, decimal- and quote-aware, with CJK
 * sentence punctuation. Pure and deterministic; no locale data needed.
 */

/** A sentence's place in the text it came from: `text.slice(start, end)`. */
export type SentenceSpan = { start: number; end: number };

const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»', '」', '』', '）', '】']);
const LATIN_TERMINATORS = new Set(['.', '!', '?', '…']);
const CJK_TERMINATORS = new Set(['。', '！', '？', '｡', '．']);

/** A set from a space-separated word list (keeps long lists compact). */
function wordSet(list: string): Set<string> {
  return new Set(list.split(' '));
}

/** Abbreviations that never end a sentence ("Mr. Smith", "e.g. this", "No. 5"). */
const NEVER_BREAK = wordSet(
  'mr mrs ms mx dr prof st sen rep gov gen col ' +
    'lt capt cpt sgt adm cmdr rev hon pres supt insp mt ' +
    'ft vs cf e.g i.e approx fig figs vol vols pp ed ' +
    'eds al',
);

/** Abbreviations that end a sentence only when a typical sentence opener follows. */
const SOFT_BREAK = wordSet(
  'inc ltd corp co plc llc etc jr sr bros dept univ assn ave blvd rd ' +
    'jan feb apr jun jul aug sep sept oct nov dec mon tue thu fri',
);

/** Words that usually open a sentence; used to decide "in the U.S. The …" style ambiguities. */
const SENTENCE_OPENERS = wordSet(
  'the a an this that these those it its he she they ' +
    'we i you but and or so yet in on at for ' +
    'as if when while after before since although though however meanwhile there ' +
    'here what why how who some many most other such our their ' +
    'his her my your still now then also yes instead both each ' +
    'all one last earlier later under among despite unlike with according',
);

function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/.test(ch);
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** The word that follows position `k` (letters only), e.g. "The" in "The company". */
function wordAt(text: string, k: number): string {
  const m = /^[\p{L}]+/u.exec(text.slice(k, k + 40));
  return m ? m[0] : '';
}

/**
 * Whether the period at `dot` belongs to an abbreviation rather than ending a sentence.
 * `next` is the index of the first non-space character after it.
 */
function isAbbreviation(text: string, dot: number, next: number): boolean {
  let s = dot;
  while (s > 0 && !isSpace(text[s - 1])) s--;
  const token = text.slice(s, dot).replace(/^[^\p{L}\p{N}]+/u, '');
  if (!token) return false;
  const lower = token.toLowerCase();
  const nextWord = wordAt(text, next);
  const opener = SENTENCE_OPENERS.has(nextWord.toLowerCase());
  if (NEVER_BREAK.has(lower)) return true;
  // "No. 5" is a number sign; "the answer was no. Critics …" ends a sentence.
  if ((lower === 'no' || lower === 'nos') && /\d/.test(text[next] ?? '')) return true;
  if (SOFT_BREAK.has(lower)) return !opener;
  // A single capital: an initial ("John F. Kennedy") unless a sentence clearly starts ("Plan B. The").
  if (/^\p{Lu}$/u.test(token)) return !opener;
  // Initialisms with inner dots: "U.S", "a.m", "U.K".
  if (/^(\p{L}\.)+\p{L}$/u.test(token)) return !opener;
  return false;
}

/**
 * Finds sentence spans in `text`. Paragraph breaks (blank lines) always end a sentence.
 * Offsets are into `text`; spans exclude surrounding whitespace.
 */
export function sentenceSpans(text: string, lang = 'en'): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const cjkMode = /^(zh|ja)\b/i.test(lang);
  const n = text.length;
  let start = 0;

  const push = (end: number) => {
    let a = start;
    let b = end;
    while (a < b && isSpace(text[a])) a++;
    while (b > a && isSpace(text[b - 1])) b--;
    if (b > a) spans.push({ start: a, end: b });
  };

  let i = 0;
  while (i < n) {
    const ch = text[i];
    if (ch === '\n') {
      // A blank line (paragraph break) ends the sentence regardless of punctuation.
      let k = i + 1;
      let newlines = 1;
      while (k < n && isSpace(text[k])) {
        if (text[k] === '\n') newlines++;
        k++;
      }
      if (newlines >= 2) {
        push(i);
        start = k;
        i = k;
        continue;
      }
      i++;
      continue;
    }
    if (CJK_TERMINATORS.has(ch) && (ch !== '．' || cjkMode || isCjk(text[i - 1]))) {
      let j = i + 1;
      while (j < n && (CJK_TERMINATORS.has(text[j]) || LATIN_TERMINATORS.has(text[j]))) j++;
      while (j < n && CLOSERS.has(text[j])) j++;
      push(j);
      start = j;
      i = j;
      continue;
    }
    if (LATIN_TERMINATORS.has(ch)) {
      let j = i + 1;
      while (j < n && LATIN_TERMINATORS.has(text[j])) j++;
      while (j < n && CLOSERS.has(text[j])) j++;
      if (j >= n) break;
      if (!isSpace(text[j])) {
        // "4.6", "Z.ai", "U.S." stay whole; in CJK text "!" directly before a CJK character ends it.
        if (cjkMode && ch !== '.' && isCjk(text[j])) {
          push(j);
          start = j;
          i = j;
          continue;
        }
        i = j;
        continue;
      }
      let k = j;
      while (k < n && isSpace(text[k]) && text[k] !== '\n') k++;
      if (k < n && text[k] === '\n') {
        // Let the newline branch decide whether this is a paragraph break.
        let m = k + 1;
        while (m < n && text[m] !== '\n' && isSpace(text[m])) m++;
        if (m < n && text[m] === '\n') {
          i = k;
          continue;
        }
        while (k < n && isSpace(text[k])) k++;
      }
      if (k >= n) break;
      const next = text[k];
      const single = ch === '.' && j === i + 1;
      const lowerNext = /\p{Ll}/u.test(next);
      if (lowerNext || (single && isAbbreviation(text, i, k))) {
        i = k;
        continue;
      }
      push(j);
      start = k;
      i = k;
      continue;
    }
    i++;
  }
  push(n);
  return spans;
}

/**
 * Splits text into sentences. Handles abbreviations (Mr., Dr., U.S., e.g.), decimals and dotted
 * names (4.6, V3.2, Z.ai), sentence-ending quotes (“…cheap”. / “…cheap.”), and CJK punctuation
 * (。！？). Each sentence has its inner whitespace collapsed to single spaces.
 *
 * @param lang BCP-47 language; `zh`/`ja` also end sentences at "!"/"?" directly before CJK text.
 */
export function splitSentences(text: string, lang = 'en'): string[] {
  return sentenceSpans(text, lang).map((s) => text.slice(s.start, s.end).replace(/\s+/g, ' '));
}
