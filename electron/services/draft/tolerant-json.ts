/**
 * Reading JSON the way language models write it: wrapped in code fences or prose, with
 * `<think>` blocks before it, trailing commas, raw line breaks inside strings, or cut off
 * mid-way. Plus a streaming scanner that picks complete `lines` entries out of a reply while it
 * is still arriving, so the editor can show them one by one.
 */
import { LlmLineSchema, normalizeLlmLine, type LlmLine } from '../../../shared/draft/llm-schema';

/** Outcome of {@link parseTolerantJson}. */
export type TolerantParse =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** `empty`: no JSON object at all; `truncated`: it stops before closing; `malformed`: other. */
      reason: 'empty' | 'truncated' | 'malformed';
      /** What went wrong, for the repair prompt and logs. */
      detail: string;
    };

/** Removes reasoning blocks some models print before the answer (`<think>…</think>`). */
export function stripThinking(text: string): string {
  const out = text.replace(/<think>[\s\S]*?<\/think>/gi, '');
  // An unclosed block means the answer never came; nothing after <think> is JSON.
  const open = out.search(/<think>/i);
  return open >= 0 ? out.slice(0, open) : out;
}

/**
 * Where the JSON object of a reply starts: after any reasoning block, inside a code fence when
 * there is one, at the first "{". Returns the text from there on ("" when there is none);
 * {@link parseTolerantJson} stops where that object closes, so prose after it is ignored.
 */
export function extractJsonText(text: string): string {
  let t = stripThinking(text);
  const fence = /```[a-zA-Z]*[ \t]*\n?([\s\S]*?)(?:```|$)/.exec(t);
  if (fence && fence[1].includes('{')) t = fence[1];
  const start = t.indexOf('{');
  return start < 0 ? '' : t.slice(start);
}

/**
 * String-aware clean-up of the object that starts `json`: drops trailing commas before "}" or
 * "]", escapes raw control characters inside strings, stops where the object closes, and
 * reports whether the text ended inside a string or with brackets still open.
 */
function normalizeJson(json: string): { text: string; open: number; inString: boolean } {
  let out = '';
  let inString = false;
  let escape = false;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (escape) escape = false;
      else if (c === '\\') escape = true;
      else if (c === '"') inString = false;
      else if (c === '\n') {
        out += '\\n';
        continue;
      } else if (c === '\r') continue;
      else if (c === '\t') {
        out += '\\t';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { text: out + c, open: 0, inString: false };
    } else if (c === ',') {
      let j = i + 1;
      while (j < json.length && /\s/.test(json[j])) j++;
      if (json[j] === '}' || json[j] === ']') continue;
    }
    out += c;
  }
  return { text: out, open: depth, inString };
}

/**
 * Parses a model's reply as JSON, forgiving fences, prose around the object, reasoning blocks,
 * trailing commas and raw line breaks in strings. Tells a truncated reply (one that stops
 * before its object closes) from a malformed one, so the caller can ask for a repair.
 */
export function parseTolerantJson(reply: string): TolerantParse {
  const json = extractJsonText(reply);
  if (json === '') return { ok: false, reason: 'empty', detail: 'the reply contains no JSON object' };
  const { text, open, inString } = normalizeJson(json);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    if (open > 0 || inString) {
      return {
        ok: false,
        reason: 'truncated',
        detail: 'the JSON stops before it is complete (it was cut off)',
      };
    }
    return { ok: false, reason: 'malformed', detail: `the JSON is invalid: ${(err as Error).message}` };
  }
}

/** Keys a model may put the dialogue under (see normalizeLlmDraft). */
const LINES_KEYS = new Set(['lines', 'script', 'dialogue', 'conversation']);

/**
 * Finds complete entries of the top-level `lines` array in a reply while it streams in.
 * Feed it the text as it grows with {@link push}; it scans each character once.
 */
export class StreamingLinesScanner {
  private buf = '';
  private i = 0;
  private readonly stack: string[] = [];
  private inString = false;
  private escape = false;
  private stringStart = -1;
  /** Last string closed directly inside the top-level object (a key when ":" follows). */
  private lastTopString = '';
  /** True between a top-level key's ":" and its value. */
  private afterColon = false;
  private linesDepth = -1;
  private elementStart = -1;
  private thinking = false;
  private readonly found: LlmLine[] = [];

  /** Every complete, valid line found so far. */
  get lines(): readonly LlmLine[] {
    return this.found;
  }

  /** Adds newly arrived text; returns the lines completed by it (possibly none). */
  push(chunk: string): LlmLine[] {
    this.buf += chunk;
    const added: LlmLine[] = [];
    const buf = this.buf;
    while (this.i < buf.length) {
      if (this.thinking) {
        const end = buf.indexOf('</think>', this.i);
        if (end < 0) {
          this.i = Math.max(this.i, buf.length - 8);
          return added;
        }
        this.thinking = false;
        this.i = end + 8;
        continue;
      }
      const c = buf[this.i];
      if (this.stack.length === 0 && !this.inString) {
        if (c === '<') {
          if (buf.length - this.i < 7) return added; // wait to see whether "<think>" follows
          if (buf.startsWith('<think>', this.i)) {
            this.thinking = true;
            this.i += 7;
            continue;
          }
        }
        if (c === '{') this.stack.push('{');
        this.i++;
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === '\\') this.escape = true;
        else if (c === '"') {
          this.inString = false;
          if (this.stack.length === 1) this.lastTopString = buf.slice(this.stringStart + 1, this.i);
        }
        this.i++;
        continue;
      }
      const valueOfLines = this.afterColon && LINES_KEYS.has(this.lastTopString.toLowerCase());
      if (this.stack.length === 1 && !/\s/.test(c)) this.afterColon = c === ':';
      switch (c) {
        case '"':
          this.inString = true;
          this.stringStart = this.i;
          break;
        case '{':
          if (this.linesDepth > 0 && this.stack.length === this.linesDepth) this.elementStart = this.i;
          this.stack.push('{');
          break;
        case '[':
          this.stack.push('[');
          if (this.stack.length === 2 && valueOfLines) this.linesDepth = 2;
          break;
        case '}':
        case ']':
          this.stack.pop();
          if (c === '}' && this.elementStart >= 0 && this.stack.length === this.linesDepth) {
            const line = parseLine(buf.slice(this.elementStart, this.i + 1));
            this.elementStart = -1;
            if (line) {
              this.found.push(line);
              added.push(line);
            }
          }
          if (c === ']' && this.stack.length === this.linesDepth - 1) this.linesDepth = -1;
          break;
      }
      this.i++;
    }
    return added;
  }
}

/** Parses one `lines` entry; undefined when it is not a valid line (the final check reports). */
function parseLine(json: string): LlmLine | undefined {
  const parsed = parseTolerantJson(json);
  if (!parsed.ok) return undefined;
  const line = LlmLineSchema.safeParse(normalizeLlmLine(parsed.value));
  return line.success ? line.data : undefined;
}
