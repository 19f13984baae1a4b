/**
 * Cleans article text as producers paste it from news sites: glued sentences, "Recommended
 * Stories" boxes, photo captions with credit brackets, "Source:" lines, words split across
 * paragraph breaks, duplicated headlines.
 */
import { sentenceSpans } from './sentences';

/** Result of {@link cleanArticleText}. */
export type CleanedArticle = {
  /** The headline if the paste started with one, else "". */
  title: string;
  /** Clean body text, paragraphs separated by "\n\n", no title, no boxes or captions. */
  text: string;
  /** Publication named on a "Source: X" line, if any. */
  source?: string;
};

/** Related-stories boxes as Al Jazeera-style pages render them when copied as text. */
const RELATED_BOX =
  /(?:Recommended Stories\s*)?list of \d+ items?\s*list 1 of \d+[\s\S]{0,4000}?end of list|Recommended Stories\s*list of \d+ items?[\s\S]{0,4000}?end of list/gi;

/** Standalone "Source: X" line. */
const SOURCE_LINE = /^[ \t]*source[ \t]*:[ \t]*(\S.{0,118}?)[ \t]*$/im;

/** Agency names that make a bracket a photo credit on their own: "[Reuters]". */
const AGENCY = /^(?:reuters|afp|ap|ap photo|getty images|epa|epa-efe|bloomberg|xinhua|anadolu|ap images)$/i;

function normalizeWhitespace(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b\u2060\ufeff\u00ad]/g, '')
    .replace(/[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/ +\n/g, '\n')
    .replace(/\n +/g, '\n')
    .replace(/ {2,}/g, ' ');
}

/** Comparable form of a headline: case, quote style, whitespace and end punctuation ignored. */
function headlineKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?:;,]+$/, '')
    .trim();
}

/**
 * Splits text into paragraphs. Blank lines always separate paragraphs; a single newline joins
 * hard-wrapped lines (a long line not ending a sentence) and otherwise separates paragraphs.
 */
function toParagraphs(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    let current = '';
    for (const line of lines) {
      if (current === '') {
        current = line;
        continue;
      }
      const wrapped = current.length >= 40 && !/[.!?:;"”’)\]]$/.test(current);
      if (wrapped) {
        current = current.endsWith('-') && /^\p{Ll}/u.test(line) ? current + line : `${current} ${line}`;
      } else {
        out.push(current);
        current = line;
      }
    }
    if (current !== '') out.push(current);
  }
  return out;
}

/**
 * Rejoins paragraphs the paste split in the middle of a sentence or a word: "though Z." + "ai has
 * said …" → "though Z.ai has said …"; a paragraph that starts with a closing quote gives it back.
 */
function rejoinSplitParagraphs(paragraphs: string[], whole: string): string[] {
  const out: string[] = [];
  for (let p of paragraphs) {
    const prev = out.length > 0 ? out[out.length - 1] : undefined;
    if (prev !== undefined) {
      const closing = /^([”’»]+)\s*/.exec(p);
      if (closing) {
        out[out.length - 1] = prev + closing[1];
        p = p.slice(closing[0].length);
        if (p === '') continue;
      }
    }
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    const continues = last !== undefined && /^\p{Ll}+(?=[\s,.;:’'!?)]|$)/u.test(p);
    if (last !== undefined && continues) {
      const shortToken = /(?:^|\s)([\p{L}\p{N}]{1,3})\.$/u.exec(last);
      const nextWord = /^\p{Ll}+/u.exec(p)?.[0] ?? '';
      if (shortToken) {
        // "Z." + "ai": a dotted name, if it is written that way elsewhere or the stem is one letter.
        const joined = `${shortToken[1]}.${nextWord}`;
        const seenElsewhere = whole.split(joined).length > 1;
        if (seenElsewhere || shortToken[1].length === 1) {
          out[out.length - 1] = last + p;
          continue;
        }
      }
      if (!/[.!?]["”’)]?$/.test(last)) {
        out[out.length - 1] = last.endsWith('-') ? last + p : `${last} ${p}`;
        continue;
      }
    }
    out.push(p);
  }
  return out;
}

function isUrlLike(token: string): boolean {
  return /^[("“‘]*(?:https?:|www\.)/i.test(token) || /[/@]/.test(token);
}

/**
 * Inserts the missing space between glued sentences: "leaders.Their", "cheap”.Social",
 * "invention.”With", "Jazeera.“I’ve", "”“". Leaves "Z.ai", "U.S.", "4.6", "V3.2" and URLs alone.
 */
function splitGluedSentences(p: string): string {
  let out = '';
  let straightQuotes = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    out += ch;
    if (ch === '"') straightQuotes++;
    const next = p[i + 1];
    if (next === undefined || /\s/.test(next)) continue;
    const tokenStart = Math.max(out.lastIndexOf(' '), out.lastIndexOf('\n')) + 1;
    const token = out.slice(tokenStart);
    if (isUrlLike(token)) continue;
    const prev = p[i - 1];
    const afterNext = p[i + 2] ?? '';

    if (ch === '”' && /[\p{L}\p{N}“‘]/u.test(next)) {
      // A closing quote glued to the next word or quotation: ".”With", "”“In".
      out += ' ';
      continue;
    }
    if (ch === '’' && /[.!?…]/.test(prev ?? '') && /[\p{Lu}“"]/u.test(next)) {
      out += ' ';
      continue;
    }
    if (ch === '"' && /[.!?…]/.test(prev ?? '') && straightQuotes % 2 === 0 && /\p{L}/u.test(next)) {
      // An even count means this straight quote just closed a quotation.
      out += ' ';
      continue;
    }
    if (!/[.!?]/.test(ch)) continue;
    if (next === '“' || next === '‘') {
      out += ' ';
      continue;
    }
    if (next === '"' && straightQuotes % 2 === 0 && /\p{L}/u.test(afterNext)) {
      out += ' ';
      continue;
    }
    if (!/\p{Lu}/u.test(next)) continue;
    const stem = token.slice(0, -1).replace(/^[^\p{L}\p{N}]+/u, '');
    const nextIsWord = /\p{Ll}/u.test(afterNext);
    if (prev !== undefined && /\p{Ll}/u.test(prev)) {
      // "leaders.Their", "tech.AI" — but not "e.g.The"-style dotted tokens.
      if (stem.length >= 2 && !stem.includes('.')) out += ' ';
    } else if (prev !== undefined && /\p{Lu}/u.test(prev)) {
      // "US.The" splits; "U.S.Army", "ASP.NET" do not.
      if (stem.length >= 2 && !stem.includes('.') && nextIsWord) out += ' ';
    } else if (prev !== undefined && /[\p{N}%)\]”’]/u.test(prev)) {
      if (nextIsWord || /[”’)\]]/.test(prev)) out += ' ';
    }
  }
  return out;
}

function isCreditBracket(inner: string): boolean {
  const s = inner.trim();
  if (/^(?:file|photo|image|pictured)(?: photo)?\s*:/i.test(s)) return true;
  if (AGENCY.test(s)) return true;
  const slash = s.indexOf('/');
  if (slash > 0) {
    const [left, right] = [s.slice(0, slash), s.slice(slash + 1)];
    return /\p{L}{2}/u.test(left) && /\p{L}{2}/u.test(right) && s.length <= 120 && !/https?:/i.test(s);
  }
  return false;
}

/**
 * Removes photo captions: the sentence that ends in a credit bracket such as
 * "[Kirill Kudryavtsev/AFP]" or "[File: Mark Schiefelbein/AP Photo]", with the bracket.
 */
function removeCaptions(p: string): string {
  const bracket = /\[([^[\]\n]{1,160})\]/g;
  let result = p;
  const matches = [...p.matchAll(bracket)].filter((m) => isCreditBracket(m[1]));
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k];
    const at = m.index ?? 0;
    const before = result.slice(0, at);
    const after = result.slice(at + m[0].length);
    const spans = sentenceSpans(before);
    const lastSpan = spans.length > 0 ? spans[spans.length - 1] : undefined;
    // A caption is a single short sentence; a long one means the credit sits on real text.
    const captionStart = lastSpan && at - lastSpan.start <= 400 ? lastSpan.start : at;
    const head = before.slice(0, captionStart).trimEnd();
    const tail = after.trimStart();
    result = head && tail ? `${head} ${tail}` : head + tail;
  }
  return result;
}

/**
 * Cleans pasted article text.
 *
 * - normalises newlines and odd spaces; paragraphs come out separated by "\n\n";
 * - splits glued sentences ("leaders.Their" → "leaders. Their", "cheap”.Social", ".”With") but
 *   not "Z.ai", "U.S.", "4.6", "V3.2" or URLs;
 * - rejoins sentences and dotted names split by a paragraph break ("Z.\n\nai has said");
 * - removes "Recommended Stories list of N items … end of list" boxes and photo captions (a
 *   sentence ending in a [Photographer/Agency] or [File: …] credit);
 * - takes a "Source: X" line into `source`;
 * - takes the first line as `title` when it looks like a headline (short, no terminal period) and
 *   drops a duplicated copy of it.
 */
export function cleanArticleText(raw: string): CleanedArticle {
  let text = normalizeWhitespace(raw).replace(RELATED_BOX, '\n\n');

  let source: string | undefined;
  const sourceMatch = SOURCE_LINE.exec(text);
  if (sourceMatch) {
    source = sourceMatch[1].trim();
    text = text.slice(0, sourceMatch.index) + text.slice(sourceMatch.index + sourceMatch[0].length);
  }

  let paragraphs = toParagraphs(text);

  let title = '';
  const first = paragraphs[0];
  if (first !== undefined && paragraphs.length > 1) {
    const candidate = first.replace(/^#{1,6}\s+/, '').trim();
    const words = candidate.split(/\s+/).length;
    const headline =
      candidate.length > 0 &&
      candidate.length <= 200 &&
      words <= 30 &&
      /\p{L}/u.test(candidate) &&
      !/[.,;:]$/.test(candidate) &&
      sentenceSpans(candidate).length === 1;
    if (headline) {
      title = candidate;
      const key = headlineKey(title);
      paragraphs = paragraphs.slice(1).filter((p, idx) => !(idx < 3 && headlineKey(p) === key));
    }
  }

  paragraphs = rejoinSplitParagraphs(paragraphs, text)
    .map((p) => removeCaptions(splitGluedSentences(p)).replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '' && !/^advertisement$/i.test(p));

  const result: CleanedArticle = { title, text: paragraphs.join('\n\n') };
  if (source) result.source = source;
  return result;
}
