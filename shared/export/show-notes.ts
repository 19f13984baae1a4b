/**
 * Show notes shaped like a Goose Pod episode page, as Markdown (for a feed's description or a
 * static site) and as one self-contained HTML page (inline CSS, no scripts, nothing loaded from
 * elsewhere): title, date and category, summary, "Read original at …", chapters with times, the
 * six analysis sections and the full dialogue.
 */
import { ANALYSIS_TITLES, type Analysis, type Episode } from '../model/episode';
import { spokenDate } from '../draft/spoken-date';
import type { Chapter } from './chapters';

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * A chapter time as `mm:ss` (`h:mm:ss` from one hour on), rounded down to the second, the way
 * podcast apps turn such times into seek links.
 */
export function formatChapterTime(sec: number): string {
  const total = Number.isFinite(sec) && sec > 0 ? Math.floor(sec) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Escapes text for a Markdown paragraph: inline markup characters and raw HTML get a backslash
 * (CommonMark lets any ASCII punctuation be escaped), and a line start that would open a heading,
 * list, quote or rule is defused.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^([#+=-]|\d+[.)])/, (m) => (m.length === 1 ? `\\${m}` : `${m.slice(0, -1)}\\${m.slice(-1)}`));
}

/** The article's source link if it is a plain http(s) URL (never `javascript:` and the like). */
function safeUrl(url: string | undefined): string | undefined {
  const u = oneLine(url ?? '');
  return /^https?:\/\/[^\s<>"'`]+$/i.test(u) ? u : undefined;
}

/** The page's BCP-47 language tag from the show locale (`en_US` → `en-US`); `en` if unusable. */
function langTag(locale: string): string {
  const tag = locale.trim().replace(/_/g, '-');
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(tag) ? tag : 'en';
}

function safeSpokenDate(iso: string, locale: string): string {
  try {
    return spokenDate(iso, locale);
  } catch {
    return iso;
  }
}

interface Notes {
  title: string;
  dateLine: string;
  summary: string;
  source?: { label: string; url?: string };
  chapters: { time: string; title: string }[];
  sections: { title: string; text: string }[];
  dialogue: ({ kind: 'speech'; speaker: string; text: string } | { kind: 'heading'; text: string })[];
}

/** The page's content, plain text, empty parts already left out. */
function collect(episode: Episode, chapters: readonly Chapter[]): Notes {
  const category = oneLine(episode.category);
  // The date in words (as the greeting says it), like the transcript.
  const date = safeSpokenDate(episode.show.date, episode.show.locale);
  const url = safeUrl(episode.article.url);
  const label = oneLine(episode.article.source ?? '') || url || oneLine(episode.article.url ?? '');
  const dialogue: Notes['dialogue'] = [];
  for (const line of episode.lines) {
    if (line.kind === 'pause' || line.kind === 'comment') continue;
    const text = oneLine(line.text);
    if (!text) continue;
    if (line.kind === 'heading') dialogue.push({ kind: 'heading', text });
    else dialogue.push({ kind: 'speech', speaker: oneLine(line.speaker) || 'Unknown speaker', text });
  }
  // A heading with nothing after it before the next heading (or the end) is not worth a title.
  const kept = dialogue.filter((d, i) => d.kind === 'speech' || dialogue[i + 1]?.kind === 'speech');
  return {
    title: oneLine(episode.title) || 'Untitled episode',
    dateLine: category ? `${date} · ${category}` : date,
    summary: oneLine(episode.summary),
    source: label ? { label, url } : undefined,
    chapters: chapters.map((c) => ({ time: formatChapterTime(c.start), title: oneLine(c.title) })),
    sections: (Object.keys(ANALYSIS_TITLES) as (keyof Analysis)[])
      .map((key) => ({ title: ANALYSIS_TITLES[key], text: oneLine(episode.analysis[key]) }))
      .filter((s) => s.text),
    dialogue: kept,
  };
}

/**
 * Show notes as Markdown:
 *
 * ```
 * # {title}
 * {spoken date} · {category}
 * {summary}
 * Read original at [{source}]({url})
 * ## Chapters        - 00:00 Introduction …
 * ## Analysis       ### Conflict … (the six sections that have text)
 * ## Dialogue        **Speaker:** text …, with ### chapter headings
 * ```
 *
 * Every piece of episode text is Markdown-escaped, so a line can neither format nor inject HTML.
 */
export function showNotesMarkdown(episode: Episode, chapters: readonly Chapter[]): string {
  const n = collect(episode, chapters);
  const blocks: string[] = [`# ${escapeMarkdown(n.title)}`, escapeMarkdown(n.dateLine)];
  if (n.summary) blocks.push(escapeMarkdown(n.summary));
  if (n.source) {
    const label = escapeMarkdown(n.source.label);
    // Parentheses and spaces would end a Markdown link destination early.
    const href = n.source.url?.replace(/[() ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    blocks.push(`Read original at ${href ? `[${label}](${href})` : label}`);
  }
  if (n.chapters.length > 0) {
    blocks.push('## Chapters', n.chapters.map((c) => `- ${c.time} ${escapeMarkdown(c.title)}`).join('\n'));
  }
  if (n.sections.length > 0) blocks.push('## Analysis');
  for (const s of n.sections) blocks.push(`### ${s.title}`, escapeMarkdown(s.text));
  if (n.dialogue.length > 0) {
    blocks.push('## Dialogue');
    for (const d of n.dialogue) {
      blocks.push(
        d.kind === 'heading'
          ? `### ${escapeMarkdown(d.text)}`
          : `**${escapeMarkdown(d.speaker)}:** ${escapeMarkdown(d.text)}`,
      );
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2433; --muted: #5b6475; --bg: #fbfaf7; --card: #ffffff;
  --line: #e4e1d8; --accent: #b35c00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e1; --muted: #a3a9b5; --bg: #14192a;
  --card: #1c2236; --line: #2c3450; --accent: #fca311; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2.25rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h3 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; color: var(--accent); }
.meta { color: var(--muted); margin: 0 0 1.5rem; }
.summary { font-size: 1.1rem; }
.source a { color: var(--accent); }
.chapters { list-style: none; padding: 0; margin: 0; }
.chapters li { display: flex; gap: .9rem; padding: .2rem 0; }
.chapters time { font-variant-numeric: tabular-nums; color: var(--muted); min-width: 4.2rem; }
section.analysis { background: var(--card); border: 1px solid var(--line); border-radius: .6rem;
  padding: .25rem 1.1rem .6rem; margin: .9rem 0; }
section.analysis h3 { color: var(--fg); margin: .75rem 0 .25rem; }
.line { margin: 0 0 .9rem; }
.speaker { display: block; font-weight: 650; font-size: .9rem; letter-spacing: .02em; }
`;

/**
 * Show notes as one self-contained HTML5 page (`<!doctype html>`, `lang` from the show locale,
 * inline CSS, a CSP that forbids scripts and any outside resource). All episode text is
 * HTML-escaped; the source link is used only if it is an http(s) URL. Speakers are coloured with
 * their persona's timeline colour.
 */
export function showNotesHtml(episode: Episode, chapters: readonly Chapter[]): string {
  const n = collect(episode, chapters);
  const esc = escapeHtml;
  const colors = new Map(episode.personas.map((p) => [oneLine(p.name), p.color]));
  const speakerClass = new Map<string, string>();
  const speakerRules: string[] = [];
  for (const d of n.dialogue) {
    if (d.kind !== 'speech' || speakerClass.has(d.speaker)) continue;
    const cls = `s${speakerClass.size}`;
    speakerClass.set(d.speaker, cls);
    const color = colors.get(d.speaker);
    if (color && /^#[0-9a-fA-F]{6}$/.test(color)) speakerRules.push(`.${cls} { color: ${color}; }`);
  }

  const body: string[] = [];
  body.push(`<h1>${esc(n.title)}</h1>`);
  body.push(`<p class="meta"><time datetime="${esc(episode.show.date)}">${esc(n.dateLine)}</time></p>`);
  if (n.summary) body.push(`<p class="summary">${esc(n.summary)}</p>`);
  if (n.source) {
    const label = esc(n.source.label);
    const link = n.source.url
      ? `<a href="${esc(n.source.url)}" rel="noopener noreferrer">${label}</a>`
      : label;
    body.push(`<p class="source">Read original at ${link}</p>`);
  }
  if (n.chapters.length > 0) {
    body.push('<h2>Chapters</h2>', '<ol class="chapters">');
    for (const c of n.chapters) body.push(`<li><time>${esc(c.time)}</time><span>${esc(c.title)}</span></li>`);
    body.push('</ol>');
  }
  if (n.sections.length > 0) {
    body.push('<h2>Analysis</h2>');
    for (const s of n.sections) {
      body.push(`<section class="analysis"><h3>${esc(s.title)}</h3><p>${esc(s.text)}</p></section>`);
    }
  }
  if (n.dialogue.length > 0) {
    body.push('<h2>Dialogue</h2>');
    for (const d of n.dialogue) {
      body.push(
        d.kind === 'heading'
          ? `<h3>${esc(d.text)}</h3>`
          : `<p class="line"><span class="speaker ${speakerClass.get(d.speaker)}">${esc(d.speaker)}</span> <span class="text">${esc(d.text)}</span></p>`,
      );
    }
  }

  return [
    '<!doctype html>',
    `<html lang="${esc(langTag(episode.show.locale))}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${esc(n.title)}</title>`,
    `<style>${STYLE}${speakerRules.join('\n')}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<article>',
    ...body,
    '</article>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
