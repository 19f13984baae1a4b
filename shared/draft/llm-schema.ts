/**
 * The JSON a language model returns for a draft: its zod schema (tolerant, for validation), the
 * JSON Schema sent as `response_format` to providers that support structured outputs (strict:
 * every property required, no extras), and the conversion to a {@link DraftResult}.
 */
import { z } from 'zod';
import type { DraftResult } from '../contract';
import { emptyAnalysis, type Analysis, type ScriptLine } from '../model/episode';

/** One line of dialogue as the model writes it. */
export const LlmLineSchema = z.object({
  /** A host's name, exactly as given in the prompt. */
  speaker: z.string().trim().min(1).max(80),
  /** What the host says: one paragraph, no line breaks needed. */
  text: z.string().trim().min(1).max(20_000),
  /** Article sentences, copied verbatim, that the line relies on ([] for banter and formulas). */
  sources: z.array(z.string().max(5_000)).max(20).default([]),
  /** A chapter title on the first line of a new section, else "" (becomes a `## heading`). */
  chapter: z.string().max(200).default(''),
});
export type LlmLine = z.infer<typeof LlmLineSchema>;

const AnalysisOutSchema = z.object({
  conflict: z.string().default(''),
  relatedInfo: z.string().default(''),
  coreEvent: z.string().default(''),
  background: z.string().default(''),
  impact: z.string().default(''),
  future: z.string().default(''),
});

/** The whole reply. Missing analysis sections become "" rather than failing the draft. */
export const LlmDraftSchema = z.object({
  title: z.string().trim().min(1).max(500),
  category: z.string().trim().max(80).default('News'),
  lines: z.array(LlmLineSchema).min(2).max(2_000),
  summary: z.string().max(20_000).default(''),
  analysis: AnalysisOutSchema.default(emptyAnalysis()),
});
export type LlmDraft = z.infer<typeof LlmDraftSchema>;

/** Keys of the analysis object, in page order. */
const ANALYSIS_KEYS: (keyof Analysis)[] = [
  'conflict',
  'relatedInfo',
  'coreEvent',
  'background',
  'impact',
  'future',
];

/**
 * JSON Schema of the `lines` array of every reply (a whole draft or part of one): line objects of
 * {@link LlmLineSchema}'s shape, strict (every key required, no extras).
 */
export const LLM_LINES_JSON_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['speaker', 'text', 'sources', 'chapter'],
    properties: {
      speaker: { type: 'string', description: 'Host name, exactly as given.' },
      text: { type: 'string', description: 'What the host says.' },
      sources: {
        type: 'array',
        items: { type: 'string' },
        description: 'Article sentences, verbatim, this line relies on.',
      },
      chapter: { type: 'string', description: 'Chapter title when a new section starts, else "".' },
    },
  },
} as const;

/**
 * JSON Schema of the reply for `response_format: { type: 'json_schema', strict: true }`.
 * Strict mode wants every property listed in `required` and `additionalProperties: false`.
 */
export const DRAFT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'category', 'lines', 'summary', 'analysis'],
  properties: {
    title: { type: 'string', description: 'Episode title, in the show language.' },
    category: { type: 'string', description: 'One word, e.g. Technology, Business, Politics.' },
    lines: LLM_LINES_JSON_SCHEMA,
    summary: { type: 'string', description: 'One paragraph summarising the story.' },
    analysis: {
      type: 'object',
      additionalProperties: false,
      required: ANALYSIS_KEYS,
      properties: Object.fromEntries(ANALYSIS_KEYS.map((k) => [k, { type: 'string' }])),
    },
  },
} as const;

/** Folds a key for loose matching: "Related Info", "related_info" and "relatedInfo" meet. */
function foldKey(k: string): string {
  return k.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Looks a value up under any spelling of `key` (models vary case and separators). */
function loose(obj: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (key in obj) return obj[key];
  const wanted = new Set(keys.map(foldKey));
  for (const [k, v] of Object.entries(obj)) if (wanted.has(foldKey(k))) return v;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A line object with loose keys ("Speaker", "host", "content"), sources as a string or list. */
export function normalizeLlmLine(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const sources = loose(raw, 'sources', 'source', 'evidence', 'citations');
  return {
    speaker: loose(raw, 'speaker', 'host', 'name', 'role'),
    text: loose(raw, 'text', 'content', 'line', 'dialogue', 'says'),
    sources: typeof sources === 'string' ? [sources] : Array.isArray(sources) ? sources.map(String) : [],
    chapter: typeof loose(raw, 'chapter', 'section') === 'string' ? loose(raw, 'chapter', 'section') : '',
  };
}

/**
 * Brings a parsed reply into the schema's key spelling before validation: top-level keys in any
 * case, "script"/"dialogue" for `lines`, analysis keys like "Related Info", analysis sections
 * given as lists of sentences.
 */
export function normalizeLlmDraft(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const analysisRaw = loose(raw, 'analysis');
  const analysis: Record<string, string> = {};
  if (isRecord(analysisRaw)) {
    for (const key of ANALYSIS_KEYS) {
      const v = loose(analysisRaw, key);
      analysis[key] = Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : '';
    }
  }
  const lines = loose(raw, 'lines', 'script', 'dialogue', 'conversation');
  return {
    title: loose(raw, 'title', 'headline'),
    category: loose(raw, 'category') ?? 'News',
    lines: Array.isArray(lines) ? lines.map(normalizeLlmLine) : lines,
    summary: loose(raw, 'summary') ?? '',
    analysis: isRecord(analysisRaw) ? analysis : emptyAnalysis(),
  };
}

/** A reply of new lines only ("rewrite this line", "redraft from here"): `{ "lines": [...] }`. */
export const LlmLinesSchema = z.object({ lines: z.array(LlmLineSchema).min(1).max(2_000) });

/**
 * Brings a partial reply into the schema's spelling: `lines` under any spelling (or "script",
 * "dialogue"), a single `line` object, or a bare line object at the top level.
 */
export function normalizeLlmLines(raw: unknown): unknown {
  if (Array.isArray(raw)) return { lines: raw.map(normalizeLlmLine) };
  if (!isRecord(raw)) return raw;
  const lines = loose(raw, 'lines', 'script', 'dialogue', 'conversation');
  if (Array.isArray(lines)) return { lines: lines.map(normalizeLlmLine) };
  const one = loose(raw, 'line');
  if (isRecord(one)) return { lines: [normalizeLlmLine(one)] };
  if (loose(raw, 'text', 'content') !== undefined) return { lines: [normalizeLlmLine(raw)] };
  return { lines };
}

/** Flattens line breaks (the script format holds one entry per line). */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * Turns model lines into script lines: a `chapter` becomes a `## heading` before its line, ids
 * run "l1", "l2", … in order (as the offline drafter's do). Returns the lines and, per speech
 * line id, the article sentences it relies on.
 */
export function toScriptLines(lines: readonly LlmLine[]): {
  lines: ScriptLine[];
  sources: Record<string, string[]>;
} {
  const out: ScriptLine[] = [];
  const sources: Record<string, string[]> = {};
  let lastChapter = '';
  for (const l of lines) {
    const chapter = oneLine(l.chapter ?? '');
    if (chapter !== '' && chapter !== lastChapter) {
      out.push({ kind: 'heading', id: `l${out.length + 1}`, text: chapter.slice(0, 500) });
      lastChapter = chapter;
    }
    const id = `l${out.length + 1}`;
    out.push({ kind: 'speech', id, speaker: oneLine(l.speaker).replace(/:+$/, ''), text: oneLine(l.text) });
    const s = (l.sources ?? []).map(oneLine).filter((x) => x !== '');
    if (s.length > 0) sources[id] = s;
  }
  return { lines: out, sources };
}

/** A validated reply as the studio's draft result (plus the per-line sources). */
export function toDraftResult(draft: LlmDraft): { draft: DraftResult; sources: Record<string, string[]> } {
  const { lines, sources } = toScriptLines(draft.lines);
  return {
    draft: {
      title: oneLine(draft.title),
      category: oneLine(draft.category) || 'News',
      lines,
      summary: draft.summary.trim(),
      analysis: { ...emptyAnalysis(), ...draft.analysis },
    },
    sources,
  };
}
