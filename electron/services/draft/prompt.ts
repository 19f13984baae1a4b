/**
 * The drafting prompt: the seed episode's shape (greeting with the listener's name, show and
 * spoken date; the second host joins; hosts alternate; sign-off), the show's language, the
 * personas' roles as voices, facts only from the article, and the JSON reply shape. Also the
 * token heuristics behind cost estimates and the condensing of very long articles.
 */
import type { Article, Persona, ShowSettings } from '../../../shared/model/episode';
import { WORDS_PER_MINUTE } from '../../../shared/draft/offline-drafter';
import { spokenDate } from '../../../shared/draft/spoken-date';
import { expandTemplateVariables } from '../../../shared/script/template';

/** One chat message (the subset of the OpenAI shape the drafter sends). */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** What a draft is about: the article, the show and its hosts. */
export type DraftBrief = {
  article: Article;
  show: ShowSettings;
  personas: Persona[];
  /** Target length in minutes (default 5). */
  targetMinutes?: number;
};

/** Article characters sent to the model before it is condensed (about 15k tokens). */
export const DEFAULT_MAX_ARTICLE_CHARS = 60_000;

/** Languages written without spaces, where one character is roughly one token and one "word". */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

/**
 * Estimated tokens of a text: one per 4 characters (the usual rule of thumb for English and
 * other Latin-script text with BPE tokenizers), but one per Chinese, Japanese or Korean
 * character, where a 4-characters rule would under-count several times. Good to ±30% — enough
 * for a cost shown before drafting, which is replaced by the provider's real usage afterwards.
 */
export function estimateTokens(text: string): number {
  const cjk = (text.match(CJK) ?? []).length;
  return Math.ceil((text.length - cjk) / 4 + cjk);
}

/** The language of a BCP-47 locale in English ("Chinese (China)"), for the prompt. */
export function languageName(locale: string): string {
  const tag = locale.trim().replace(/_/g, '-') || 'en';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** True for Chinese, Japanese and Korean locales (length is counted in characters there). */
export function isCjkLocale(locale: string): boolean {
  return /^(?:zh|ja|ko)\b/i.test(locale.trim());
}

/**
 * Shortens a very long article to about `maxChars` for the model, keeping whole paragraphs in
 * order: the opening paragraphs (a news story's most important facts) take up to half the room,
 * the rest is filled with paragraphs spread evenly over the remainder, preferring those with
 * numbers and quotations; each gap is marked "[…]". Grounding still checks the full article.
 */
export function condenseArticle(text: string, maxChars: number): { text: string; condensed: boolean } {
  if (text.length <= maxChars) return { text, condensed: false };
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  const keep = new Set<number>();
  let used = 0;
  for (let i = 0; i < paragraphs.length && used + paragraphs[i].length <= maxChars / 2; i++) {
    keep.add(i);
    used += paragraphs[i].length + 2;
  }
  const rest = paragraphs.map((p, i) => ({ p, i })).filter(({ i }) => !keep.has(i));
  const informative = (p: string) => (/\d/.test(p) ? 1 : 0) + (/[“"«「]/.test(p) ? 1 : 0);
  // Buckets spread evenly over the rest; from each, the most informative paragraph that fits.
  const room = maxChars - used;
  const average = rest.reduce((n, r) => n + r.p.length, 0) / Math.max(1, rest.length);
  const buckets = Math.max(1, Math.floor(room / Math.max(1, average)));
  for (let b = 0; b < buckets; b++) {
    const slice = rest.slice(
      Math.floor((b * rest.length) / buckets),
      Math.floor(((b + 1) * rest.length) / buckets),
    );
    const pick = [...slice].sort((x, y) => informative(y.p) - informative(x.p) || x.i - y.i)[0];
    if (pick && used + pick.p.length <= maxChars) {
      keep.add(pick.i);
      used += pick.p.length + 2;
    }
  }
  if (keep.size === 0) return { text: text.slice(0, maxChars), condensed: true };
  const out: string[] = [];
  let last = -1;
  for (let i = 0; i < paragraphs.length; i++) {
    if (!keep.has(i)) continue;
    if (i !== last + 1) out.push('[…]');
    out.push(paragraphs[i]);
    last = i;
  }
  if (last !== paragraphs.length - 1) out.push('[…]');
  return { text: out.join('\n\n'), condensed: true };
}

/** Target length of the dialogue, in words (or characters for CJK languages). */
export function targetLength(brief: DraftBrief): { amount: number; unit: 'words' | 'characters' } {
  const minutes = brief.targetMinutes ?? brief.show.targetMinutes ?? 5;
  return isCjkLocale(brief.show.locale)
    ? { amount: Math.round(minutes * 250), unit: 'characters' }
    : { amount: Math.round(minutes * WORDS_PER_MINUTE), unit: 'words' };
}

/** About how many lines a draft of the target length has (55 words or 90 characters each). */
export function expectedLineCount(brief: DraftBrief): number {
  const length = targetLength(brief);
  return Math.max(6, Math.round(length.amount / (length.unit === 'words' ? 55 : 90)));
}

/** The show's date as the greeting speaks it (the ISO date when it cannot be spoken). */
export function dateSpoken(show: ShowSettings): string {
  try {
    return spokenDate(show.date, show.locale);
  } catch {
    return show.date;
  }
}

/** The system message: who the model is and the rules it must keep. */
export function systemMessage(brief: DraftBrief): string {
  const lang = languageName(brief.show.locale);
  return [
    `You are the head writer of "${brief.show.showName}", a daily news podcast in which ${brief.personas.length} hosts discuss one news article for a listener.`,
    `Write everything — title, dialogue, summary and analysis — in ${lang} (locale ${brief.show.locale}).`,
    'Use only facts from the ARTICLE the producer gives you. Every number, percentage, amount of money, date, name and quotation you write must appear in the article; quote people only with their exact words from it. Hosts may react, argue and give opinions in character, but must never invent facts, figures or quotes.',
    'Reply with one JSON object and nothing else: no code fences, no comments, no text before or after it.',
  ].join('\n');
}

/** The show's greeting or sign-off template filled in (as the offline drafter does), else `standard`. */
export function fromTemplate(
  template: string | undefined,
  show: ShowSettings,
  host: Persona,
  standard: string,
): string {
  return template?.trim()
    ? expandTemplateVariables(template, show, host.name, 9).replace(/\s+/g, ' ').trim()
    : standard;
}

/** The first host's sign-off sentence: the show's sign-off template, else the standard one. */
export function signOffSentence(show: ShowSettings, host: Persona): string {
  return fromTemplate(
    show.signOffTemplate,
    show,
    host,
    `That's the end of today's discussion. Thank you for listening to ${show.showName}, ${show.listenerName}.`,
  );
}

/** One host in the HOSTS list: role, speaking style and catchphrases when the persona has them. */
export function hostLine(p: Persona): string {
  const parts = [`- ${p.name}: ${p.role.trim() || 'a co-host'}`];
  const style = p.style?.replace(/\s+/g, ' ').trim();
  if (style) parts.push(`  Speaking style: ${style}`);
  const phrases = (p.catchphrases ?? []).map((c) => c.replace(/\s+/g, ' ').trim()).filter((c) => c !== '');
  if (phrases.length > 0) {
    parts.push(
      `  Catchphrases (use one or two where they fit naturally, never to state a fact): ${phrases.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  return parts.join('\n');
}

/** The user message: show, hosts, structure, length, JSON shape and the article. */
function userMessage(brief: DraftBrief, articleText: string, condensed: boolean): string {
  const { show, personas, article } = brief;
  const lang = languageName(show.locale);
  const english = /^en\b/i.test(show.locale);
  const a = personas[0];
  const b = personas[1] ?? personas[0];
  const date = dateSpoken(show);
  const order = personas.map((p) => p.name).join(', ');
  const length = targetLength(brief);
  const lineCount = expectedLineCount(brief);
  const translate = english
    ? ''
    : ` (translated naturally into ${lang}; keep the names and the date as given)`;
  const hosts = personas.map(hostLine).join('\n');
  return `SHOW
- Show name: ${show.showName}
- Listener: ${show.listenerName}
- Date spoken in the greeting: ${date}
- Language: ${lang}

HOSTS (the "speaker" of every line must be one of these names, spelled exactly)
${hosts}
Each host's role and speaking style are their voice: it decides what they notice, how they argue, their vocabulary and their rhythm. Keep the hosts clearly different from one another, as in a real two-person show.

STRUCTURE
1. ${a.name} opens with the greeting${translate}: "${fromTemplate(show.greetingTemplate, show, a, `Good morning ${show.listenerName}, I'm ${a.name}, and this is ${show.showName} for you. Today is ${date}.`)}"
2. ${b.name} answers${translate}: "And I'm ${b.name}." and introduces today's topic in a sentence or two.
3. The hosts then take turns in this order: ${order}, ${order}, … Together they cover the core event, the key facts with the article's own numbers and quotes, the background, the conflict or debate, the impact, and what may come next.
4. ${a.name} signs off${translate}: "${signOffSentence(show, a)}" Then ${b.name} says a short goodbye ending with "See you tomorrow."

LENGTH
About ${length.amount} ${length.unit} of dialogue in total (${brief.targetMinutes ?? show.targetMinutes ?? 5} minutes read aloud), in about ${lineCount} lines.

JSON REPLY
{
  "title": "episode title",
  "category": "one word such as Technology, Business, Politics, Science, Health, World, Sports, Culture",
  "lines": [
    { "speaker": "${a.name}", "text": "what the host says", "sources": ["article sentence this line relies on, copied verbatim"], "chapter": "Introduction" }
  ],
  "summary": "one paragraph of 60 to 100 words summarising the story",
  "analysis": {
    "conflict": "2-4 sentences", "relatedInfo": "2-4 sentences", "coreEvent": "2-4 sentences",
    "background": "2-4 sentences", "impact": "2-4 sentences", "future": "2-4 sentences"
  }
}
- "sources": the article sentences (verbatim, at most two) that the line's facts come from; [] for the greeting, banter and the sign-off.
- "chapter": a short chapter title on the first line of each new section (for example Introduction, The story, Key points, Context, What it means, Sign-off — in ${lang}); "" on every other line.
- Write "lines" first in the object, then "summary" and "analysis".

ARTICLE
Title: ${article.title}${article.source ? `\nSource: ${article.source}` : ''}${condensed ? '\n(This long article was condensed; "[…]" marks omitted paragraphs.)' : ''}
<<<
${articleText}
>>>`;
}

/** The messages of a draft request, with what was sent of the article. */
export function buildDraftMessages(
  brief: DraftBrief,
  maxArticleChars = DEFAULT_MAX_ARTICLE_CHARS,
): { messages: ChatMessage[]; condensed: boolean } {
  const { text, condensed } = condenseArticle(brief.article.text, maxArticleChars);
  return {
    messages: [
      { role: 'system', content: systemMessage(brief) },
      { role: 'user', content: userMessage(brief, text, condensed) },
    ],
    condensed,
  };
}

/** The follow-up asking for valid JSON after a reply that could not be parsed. */
export function repairMessage(detail: string): ChatMessage {
  return {
    role: 'user',
    content: `Your reply could not be used: ${detail}. Reply again with the complete draft as one valid JSON object in exactly the shape asked for — every line, then "summary" and "analysis" — and nothing else.`,
  };
}

/** The follow-up after a reply that used speakers who are not hosts of the show. */
export function speakersMessage(unknown: string[], personas: Persona[]): ChatMessage {
  return {
    role: 'user',
    content: `These speakers are not hosts of the show: ${unknown.map((u) => `"${u}"`).join(', ')}. The only hosts are ${personas.map((p) => `"${p.name}"`).join(', ')}. Reply again with the complete JSON, every "speaker" being exactly one of those names.`,
  };
}

/**
 * Expected size of the reply in tokens: the dialogue at the target length, its sources (models
 * cite about half as much article text as they speak), JSON keys per line, and the summary and
 * analysis (about 250 words).
 */
export function estimateOutputTokens(brief: DraftBrief): number {
  const length = targetLength(brief);
  const cjk = length.unit === 'characters';
  const dialogueTokens = cjk ? length.amount : (length.amount * 6) / 4;
  const lines = expectedLineCount(brief);
  const analysisTokens = cjk ? 500 : 350;
  return Math.ceil(dialogueTokens * 1.5 + lines * 20 + analysisTokens);
}
