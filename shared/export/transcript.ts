/**
 * Plain-text transcript of an episode, laid out like a Goose Pod episode page.
 */
import { ANALYSIS_TITLES, type Analysis, type Episode } from '../model/episode';
import { spokenDate } from '../draft/spoken-date';

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Renders the transcript:
 *
 * ```
 * {title}
 *
 * {spoken date} · {category}   (the date in words, as the greeting says it)
 *
 * {speaker}
 * {text}
 * …
 *
 * {summary}
 *
 * Read original at {source or url}
 *
 * Conflict
 * {text}
 * …
 * ```
 *
 * Headings are chapter marks, not speech, so they are left out; so are speech lines with no text.
 * Empty summary, unknown source and empty analysis sections are skipped. Ends with a newline.
 */
export function transcriptText(episode: Episode): string {
  const blocks: string[] = [];
  blocks.push(oneLine(episode.title));
  const category = oneLine(episode.category);
  // The date in words (not ISO digits) so the page states no number the episode does not speak.
  const date = safeSpokenDate(episode.show.date, episode.show.locale);
  blocks.push(category ? `${date} · ${category}` : date);

  const dialogue: string[] = [];
  for (const line of episode.lines) {
    if (line.kind !== 'speech') continue;
    const text = oneLine(line.text);
    if (text === '') continue;
    dialogue.push(oneLine(line.speaker) || 'Unknown speaker', text);
  }
  if (dialogue.length > 0) blocks.push(dialogue.join('\n'));

  const summary = oneLine(episode.summary);
  if (summary) blocks.push(summary);
  const origin = oneLine(episode.article.source ?? '') || oneLine(episode.article.url ?? '');
  if (origin) blocks.push(`Read original at ${origin}`);

  for (const key of Object.keys(ANALYSIS_TITLES) as (keyof Analysis)[]) {
    const text = oneLine(episode.analysis[key]);
    if (text) blocks.push(`${ANALYSIS_TITLES[key]}\n${text}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function safeSpokenDate(iso: string, locale: string): string {
  try {
    return spokenDate(iso, locale);
  } catch {
    return iso;
  }
}
