/**
 * Prompts for regenerating part of a script with a model: "rewrite this line" (the article, the
 * speaker's persona, the neighbouring lines and the producer's instruction; one line back) and
 * "redraft from here" (the kept script above, the sign-off below when it stays, an optional
 * instruction; the next lines back). Both replies use the draft's line shape inside
 * `{ "lines": [...] }`, so the streaming scanner, tolerant parsing and repair work unchanged.
 */
import type { ScriptLine } from '../../../shared/model/episode';
import {
  nextHost,
  redraftRegion,
  rewriteTarget,
  tailTargetWords,
  type RedraftRegion,
} from '../../../shared/draft/partial';
import { LLM_LINES_JSON_SCHEMA } from '../../../shared/draft/llm-schema';
import { printScript } from '../../../shared/script/format';
import {
  condenseArticle,
  DEFAULT_MAX_ARTICLE_CHARS,
  estimateTokens,
  hostLine,
  languageName,
  systemMessage,
  dateSpoken,
  signOffSentence,
  targetLength,
  type ChatMessage,
  type DraftBrief,
} from './prompt';

/** A partial request: the brief, the script as it is, the chosen line and the instruction. */
export type PartialBrief = DraftBrief & {
  lines: ScriptLine[];
  lineId: string;
  instruction?: string;
};

/** Lines shown before and after a rewritten line. */
const CONTEXT_BEFORE = 4;
const CONTEXT_AFTER = 3;
/** CJK characters a redrafted tail aims for at least (words: `MIN_TAIL_WORDS`). */
const MIN_TAIL_CHARACTERS = 150;

/**
 * JSON Schema of a partial reply for `response_format: json_schema` (strict): the draft's line
 * objects inside `lines`, nothing else.
 */
export const LINES_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: { lines: LLM_LINES_JSON_SCHEMA },
} as const;

/** The script as the prompt quotes it (headings, pauses and notes included, one entry a line). */
function quote(lines: readonly ScriptLine[]): string {
  return printScript(lines).trimEnd() || '(nothing yet)';
}

function articleBlock(brief: DraftBrief, maxArticleChars: number): { text: string; condensed: boolean } {
  const { text, condensed } = condenseArticle(brief.article.text, maxArticleChars);
  const { article } = brief;
  return {
    condensed,
    text: `ARTICLE
Title: ${article.title}${article.source ? `\nSource: ${article.source}` : ''}${condensed ? '\n(This long article was condensed; "[…]" marks omitted paragraphs.)' : ''}
<<<
${text}
>>>`,
  };
}

function showBlock(brief: DraftBrief): string {
  const { show, personas } = brief;
  return `SHOW
- Show name: ${show.showName}
- Listener: ${show.listenerName}
- Date spoken in the greeting: ${dateSpoken(show)}
- Language: ${languageName(show.locale)}

HOSTS (the "speaker" of every line must be one of these names, spelled exactly)
${personas.map(hostLine).join('\n')}`;
}

const LINE_RULES = `- "text": what the host says, in the show's language, as it will be read aloud.
- "sources": the article sentences (verbatim, at most two) the line's facts come from; [] for banter.
- "chapter": "" unless the line starts a new section (then a short chapter title).`;

/** The reply's shape as the prompt shows it: one example line by `speaker`, then what each key holds. */
function replyShape(speaker: string, exampleText: string): string {
  return `{ "lines": [ { "speaker": "${speaker}", "text": "${exampleText}", "sources": ["article sentence this line relies on, copied verbatim"], "chapter": "" } ] }
${LINE_RULES}`;
}

/** The chat of a partial request: the system message, then the task with the article after it. */
function partialChat(
  brief: DraftBrief,
  task: string,
  article: { text: string; condensed: boolean },
): { messages: ChatMessage[]; condensed: boolean } {
  return {
    messages: [
      { role: 'system', content: systemMessage(brief) },
      { role: 'user', content: `${task}\n\n${article.text}` },
    ],
    condensed: article.condensed,
  };
}

/**
 * The messages of "rewrite this line": the speaker's persona, the neighbouring lines with the
 * line marked, the instruction, and the article.
 *
 * @throws StudioError when the line is not a speech line of a host (see `rewriteTarget`)
 */
export function buildRewriteMessages(
  brief: PartialBrief,
  maxArticleChars = DEFAULT_MAX_ARTICLE_CHARS,
): { messages: ChatMessage[]; condensed: boolean; speaker: string; lineText: string } {
  const { line, index, persona } = rewriteTarget(brief.lines, brief.lineId, brief.personas);
  const before = brief.lines.slice(Math.max(0, index - CONTEXT_BEFORE), index);
  const after = brief.lines.slice(index + 1, index + 1 + CONTEXT_AFTER);
  const instruction = brief.instruction?.trim() || 'improve it';
  const article = articleBlock(brief, maxArticleChars);
  const task = `TASK: REWRITE ONE LINE
Rewrite the one line marked ">>>" below, spoken by ${persona.name}, following the producer's instruction. Keep ${persona.name}'s voice (role, speaking style), keep it fitting between the lines before and after it, and keep to facts from the ARTICLE.
- Speaker: ${persona.name}
- Instruction: ${instruction.replace(/\s+/g, ' ')}

${showBlock(brief)}

SPEAKER OF THE LINE
${hostLine(persona)}

CONTEXT
${[...(before.length > 0 ? [quote(before)] : []), `>>> ${persona.name}: ${line.text}`, ...(after.length > 0 ? [quote(after)] : [])].join('\n')}

JSON REPLY (exactly one line, spoken by ${persona.name})
${replyShape(persona.name, 'the rewritten line')}`;
  return {
    ...partialChat(brief, task, article),
    speaker: persona.name,
    lineText: line.text,
  };
}

/** Length of a redrafted tail: the target less what the kept lines say (at least a few lines). */
export function tailLength(
  brief: DraftBrief,
  kept: readonly ScriptLine[],
): { amount: number; unit: 'words' | 'characters'; lines: number } {
  const full = targetLength(brief);
  if (full.unit === 'characters') {
    const said = kept.reduce((n, l) => n + (l.kind === 'speech' ? l.text.length : 0), 0);
    const amount = Math.max(MIN_TAIL_CHARACTERS, full.amount - said);
    return { amount, unit: 'characters', lines: Math.max(2, Math.round(amount / 90)) };
  }
  const amount = tailTargetWords(brief.targetMinutes ?? brief.show.targetMinutes ?? 5, kept);
  return { amount, unit: 'words', lines: Math.max(2, Math.round(amount / 55)) };
}

/**
 * The messages of "redraft from here": the kept script so far, the sign-off that stays (or how
 * to end), who speaks next, the length, the instruction, and the article.
 *
 * @throws StudioError when the line is gone or there is no dialogue from it on
 */
export function buildRedraftMessages(
  brief: PartialBrief,
  maxArticleChars = DEFAULT_MAX_ARTICLE_CHARS,
): {
  messages: ChatMessage[];
  condensed: boolean;
  region: RedraftRegion;
  length: ReturnType<typeof tailLength>;
  nextSpeaker: string;
} {
  const region = redraftRegion(brief.lines, brief.lineId);
  const { personas, show } = brief;
  const length = tailLength(brief, [...region.head, ...region.after]);
  const a = personas[0];
  const b = personas[1] ?? personas[0];
  // The same turn order as the offline redraft: after an unknown speaker, the first host.
  const nextSpeaker = personas[nextHost(region.head, personas)].name;
  const closing = signOffSentence(show, a);
  const signOff =
    region.signOff === 'kept'
      ? `The show already ends with the lines under ENDING; do not write a sign-off or a goodbye.`
      : region.signOff === 'only'
        ? `Write only the sign-off: ${a.name} says "${closing}" and ${b.name} says a short goodbye ending with "See you tomorrow."`
        : `End with the sign-off: ${a.name} says "${closing}" (chapter "Sign-off"), then ${b.name} says a short goodbye ending with "See you tomorrow."`;
  const instruction = brief.instruction?.trim();
  const article = articleBlock(brief, maxArticleChars);
  const task = `TASK: CONTINUE THE SCRIPT
The producer keeps the script under SCRIPT SO FAR and wants the rest of the conversation written again from there. Write the lines that come next: they continue the conversation naturally (no new greeting, nothing repeated), cover what the kept lines have not yet covered from the ARTICLE, and keep each host's voice.
- Start with: ${nextSpeaker}
- Turn order: ${personas.map((p) => p.name).join(', ')}, then again
- Length: about ${length.amount} ${length.unit} in about ${length.lines} lines
- Sign-off: ${region.signOff}
${instruction ? `- Instruction: ${instruction.replace(/\s+/g, ' ')}\n` : ''}- ${signOff}

${showBlock(brief)}

SCRIPT SO FAR (already written; keep it, do not repeat it)
"""
${quote(region.head)}
"""
${
  region.signOff === 'kept'
    ? `
ENDING (already written; comes after your lines)
"""
${quote(region.after)}
"""
`
    : ''
}
JSON REPLY (only the new lines)
${replyShape(nextSpeaker, 'what the host says')}`;
  return {
    ...partialChat(brief, task, article),
    region,
    length,
    nextSpeaker,
  };
}

/** Expected reply tokens of a rewrite: the line (an instruction may lengthen it) and its sources. */
export function estimateRewriteOutputTokens(lineText: string): number {
  return Math.max(60, Math.ceil(estimateTokens(lineText) * 2.5 + 40));
}

/** Expected reply tokens of a redraft: the tail's words, its sources and JSON keys per line. */
export function estimateRedraftOutputTokens(length: ReturnType<typeof tailLength>): number {
  const dialogue = length.unit === 'characters' ? length.amount : (length.amount * 6) / 4;
  return Math.ceil(dialogue * 1.5 + length.lines * 20);
}

/** The follow-up asking for valid JSON after a partial reply that could not be used. */
export function partialRepairMessage(detail: string, mode: 'rewrite-line' | 'redraft-from'): ChatMessage {
  return {
    role: 'user',
    content: `Your reply could not be used: ${detail}. Reply again with one valid JSON object { "lines": [...] } in exactly the shape asked for${mode === 'rewrite-line' ? ', with exactly one line' : ''}, and nothing else.`,
  };
}

/** The follow-up after a partial reply with lines for the wrong speakers. */
export function partialSpeakersMessage(unknown: string[], allowed: string[]): ChatMessage {
  return {
    role: 'user',
    content: `These speakers are not allowed here: ${unknown.map((u) => `"${u}"`).join(', ')}. ${allowed.length === 1 ? `The line must be spoken by "${allowed[0]}".` : `The only hosts are ${allowed.map((p) => `"${p}"`).join(', ')}.`} Reply again with the complete JSON, every "speaker" being exactly ${allowed.length === 1 ? 'that name' : 'one of those names'}.`,
  };
}
