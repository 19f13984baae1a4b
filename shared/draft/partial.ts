/**
 * Regenerating part of a script: which lines "redraft from here" replaces, which line "rewrite
 * this line" targets, and the offline redraft of a tail.
 *
 * Decisions (documented in docs/script-format.md):
 * - The redrafted region starts at the first speech line at or after the chosen line (a chapter
 *   heading, pause or note the cursor sits on stays) and runs to the end of the dialogue: up to,
 *   not including, a sign-off chapter (`## Sign-off`, `## Outro`, `## Closing`, `## Goodbye`)
 *   after it. Without such a heading the region runs to the end of the script and the new lines
 *   end with a sign-off. A sign-off section is only redrafted from inside it.
 * - Summary and analysis are not touched: they describe the article, not the dialogue.
 * - The offline drafter redrafts extractively from article sentences the kept lines do not
 *   already speak, and cannot follow an instruction; rewriting one line needs a model.
 */
import { StudioError } from '../contract';
import type { Persona, ScriptLine, SpeechLine } from '../model/episode';
import { cleanArticleText } from './article-text';
import {
  byIndex,
  byScore,
  candidates,
  CONNECTIVES,
  ensureStop,
  fallbackTitle,
  groupLines,
  showFormulas,
  WORDS_PER_MINUTE,
  withConnective,
  wordCount,
  type Candidate,
  type OfflineDraftInput,
} from './offline-drafter';

/** The two ways to regenerate part of a script. */
export type PartialMode = 'rewrite-line' | 'redraft-from';

/**
 * Chapter titles that start the sign-off, which "redraft from here" keeps: the whole heading is
 * "Sign-off", "Outro", "Closing" or "Goodbye" (any case, "Sign off"/"Signoff", a trailing "." ":"
 * or "!"), optionally joined to thanks, credits or a goodbye ("Sign-off and thanks", "Outro &
 * credits"). A heading that merely starts with such a word ("Closing the gap") is dialogue.
 */
export const SIGN_OFF_HEADING =
  /^(?:sign[\s-]?off|outro|closing|goodbyes?)(?:\s*(?:&|and)\s*(?:thanks|thank you|credits|goodbyes?))?\s*[.:!]?$/i;

/** Fewest words a redrafted tail aims for, even when the kept lines already fill the target. */
export const MIN_TAIL_WORDS = 60;

/** The lines "redraft from here" replaces: indices `[start, end)` of the script's lines. */
export type RedraftRegion = {
  start: number;
  end: number;
  /** Lines kept above the region, unchanged. */
  head: ScriptLine[];
  /** Lines kept below the region (the sign-off section), unchanged; [] when there is none. */
  after: ScriptLine[];
  /**
   * `kept`: the sign-off section is below and stays; `write`: the new lines end with a sign-off;
   * `only`: the region is inside the sign-off section, so the new lines are just the sign-off.
   */
  signOff: 'kept' | 'write' | 'only';
};

/**
 * The region "redraft from here" replaces when the cursor is on line `fromLineId`.
 *
 * @throws StudioError `not-found` when the line is not in the script, `empty-input` when there
 *   is no dialogue from there on
 */
export function redraftRegion(lines: readonly ScriptLine[], fromLineId: string): RedraftRegion {
  const at = lines.findIndex((l) => l.id === fromLineId);
  if (at < 0) {
    throw new StudioError(
      'not-found',
      'That line is no longer in the script; put the cursor on a line again.',
    );
  }
  let start = at;
  while (start < lines.length && lines[start].kind !== 'speech') start++;
  if (start >= lines.length) {
    throw new StudioError('empty-input', 'There is no dialogue from this line on to redraft.');
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind === 'heading' && SIGN_OFF_HEADING.test(l.text.trim())) {
      end = i;
      break;
    }
  }
  const head = lines.slice(0, start);
  const lastHeading = [...head].reverse().find((l) => l.kind === 'heading');
  const inside = lastHeading?.kind === 'heading' && SIGN_OFF_HEADING.test(lastHeading.text.trim());
  return {
    start,
    end,
    head,
    after: lines.slice(end),
    signOff: end < lines.length ? 'kept' : inside ? 'only' : 'write',
  };
}

/**
 * The script with a redraft's new lines in place of the lines from `fromLineId` up to (not
 * including) `untilLineId` (null: to the end), as a `draft-partial` result names them. Kept lines
 * are the same objects as before; the new lines keep their ids here (the editor's line identity
 * then gives them the replaced lines' ids, see docs/script-format.md).
 *
 * @throws StudioError `not-found` when an anchor line is no longer in the script
 */
export function spliceRedraft(
  lines: readonly ScriptLine[],
  redraft: { fromLineId: string; untilLineId: string | null; lines: readonly ScriptLine[] },
): ScriptLine[] {
  const from = lines.findIndex((l) => l.id === redraft.fromLineId);
  const until =
    redraft.untilLineId === null ? lines.length : lines.findIndex((l) => l.id === redraft.untilLineId);
  if (from < 0 || until < from) {
    throw new StudioError(
      'not-found',
      'The lines around the redraft changed, so it could not be put in place.',
    );
  }
  return [...lines.slice(0, from), ...redraft.lines, ...lines.slice(until)];
}

/**
 * The speech line "rewrite this line" works on, and its host.
 *
 * @throws StudioError `not-found` when the line is gone, `bad-request` when it is not a speech
 *   line of one of the hosts
 */
export function rewriteTarget(
  lines: readonly ScriptLine[],
  lineId: string,
  personas: readonly Persona[],
): { line: SpeechLine; index: number; persona: Persona } {
  const index = lines.findIndex((l) => l.id === lineId);
  const line = lines[index];
  if (!line) {
    throw new StudioError(
      'not-found',
      'That line is no longer in the script; put the cursor on a line again.',
    );
  }
  if (line.kind !== 'speech') {
    throw new StudioError('bad-request', 'Only a speech line (“Name: words”) can be rewritten.');
  }
  const persona = personas.find((p) => p.name === line.speaker);
  if (!persona) {
    throw new StudioError(
      'bad-request',
      line.speaker
        ? `“${line.speaker}” is not a host of the show; give the line to a host before rewriting it.`
        : 'This line has no speaker; give it to a host before rewriting it.',
    );
  }
  return { line, index, persona };
}

/** The host who speaks after the last speech line of `head` (the first host when there is none). */
export function nextHost(head: readonly ScriptLine[], personas: readonly Persona[]): number {
  for (let i = head.length - 1; i >= 0; i--) {
    const l = head[i];
    if (l.kind !== 'speech') continue;
    const at = personas.findIndex((p) => p.name === l.speaker);
    return at < 0 ? 0 : (at + 1) % personas.length;
  }
  return 0;
}

/** Words of speech in some lines. */
export function speechWords(lines: readonly ScriptLine[]): number {
  return lines.reduce((n, l) => n + (l.kind === 'speech' ? wordCount(l.text) : 0), 0);
}

/** Words the redrafted tail aims for: the target less what the kept lines already say. */
export function tailTargetWords(targetMinutes: number, kept: readonly ScriptLine[]): number {
  return Math.max(MIN_TAIL_WORDS, Math.round(targetMinutes * WORDS_PER_MINUTE - speechWords(kept)));
}

/** Fresh line ids `l{n}` above every `l{n}` id in `lines`, as the editor would assign them. */
export function freshIds(lines: readonly ScriptLine[]): () => string {
  let next = 0;
  for (const l of lines) {
    const m = /^l(\d+)$/.exec(l.id);
    if (m) next = Math.max(next, Number(m[1]));
  }
  return () => `l${++next}`;
}

const fold = (s: string) =>
  s
    .replace(/[“”"‘’']/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** Input of {@link redraftOffline}. */
export type OfflineRedraftInput = OfflineDraftInput & {
  /** The script as it is now. */
  lines: ScriptLine[];
  /** The line the producer chose ("from here"). */
  fromLineId: string;
};

/**
 * "Redraft from here" without a model: the region's lines are replaced by new lines made of the
 * best-scoring article sentences that no kept line already speaks, in article order, 1–3
 * sentences a line, hosts taking turns from the one after the last kept speaker, sized to the
 * target length less the kept lines (at least {@link MIN_TAIL_WORDS} words). When the region
 * runs to the end of the script the new lines end with the show's sign-off. New lines get fresh
 * ids. Deterministic.
 *
 * @returns the new lines of the region (kept lines are never in it) and the region
 * @throws StudioError `empty-input` when every usable article sentence is already spoken above
 */
export function redraftOffline(input: OfflineRedraftInput): { lines: ScriptLine[]; region: RedraftRegion } {
  const { article, show, personas } = input;
  if (personas.length === 0) throw new StudioError('bad-request', 'The show needs at least one host.');
  const region = redraftRegion(input.lines, input.fromLineId);
  const kept = [...region.head, ...region.after];
  const spoken = fold(
    kept
      .filter((l) => l.kind === 'speech')
      .map((l) => l.text)
      .join(' \u0000 '),
  );
  const lang = show.locale.split(/[-_]/)[0].toLowerCase();
  const cleaned = cleanArticleText(article.text);
  const all = candidates(cleaned.text, lang);
  const unused = region.signOff === 'only' ? [] : all.filter((c) => !spoken.includes(fold(c.text)));
  if (unused.length === 0 && region.signOff !== 'only') {
    throw new StudioError(
      'empty-input',
      'Every article sentence the offline drafter can use is already in the lines above, so there is nothing new to draft from here. Redraft from an earlier line, or pick a model in Drafter.',
    );
  }
  const budget = tailTargetWords(input.targetMinutes ?? show.targetMinutes ?? 5, kept);
  const selected: Candidate[] = [];
  let words = 0;
  for (const c of [...unused].sort(byScore)) {
    if (words >= budget * 0.97) break;
    if (selected.length > 0 && words + c.words + 1 > budget * 1.05) continue;
    selected.push(c);
    words += c.words + 1;
  }
  const id = freshIds(input.lines);
  const out: ScriptLine[] = [];
  let turn = nextHost(region.head, personas);
  groupLines(selected.sort(byIndex)).forEach((group, li) => {
    const sentences = group.map((c) => ensureStop(c.text));
    // The same rhythm as a full draft: a connective on most lines, every fourth goes bare.
    if (li > 0 && li % 4 !== 3)
      sentences[0] = withConnective(sentences[0], CONNECTIVES[li % CONNECTIVES.length]);
    out.push({
      kind: 'speech',
      id: id(),
      speaker: personas[turn % personas.length].name,
      text: sentences.join(' '),
    });
    turn++;
  });
  if (region.signOff !== 'kept') {
    const title = article.title.trim() || cleaned.title.trim() || fallbackTitle(all[0]?.text);
    const { signOffA, signOffB } = showFormulas(input, title);
    if (region.signOff === 'write') out.push({ kind: 'heading', id: id(), text: 'Sign-off' });
    out.push({ kind: 'speech', id: id(), speaker: personas[0].name, text: signOffA });
    out.push({ kind: 'speech', id: id(), speaker: (personas[1] ?? personas[0]).name, text: signOffB });
  }
  return { lines: out, region };
}
