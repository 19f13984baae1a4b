/**
 * Test support for renderer state tests against the real back end: two projects whose scripts
 * have the same line ids (l1…lN, as every project's have), so a test can open one while work of
 * the other is still on its way.
 */
import type { Article, ScriptLine } from '@shared/model/episode';
import { blankEpisode } from '../state/episode-helpers';
import { studio } from '../state/studio-state';

/** Speech lines l1…lN with the given words, the episode's hosts taking turns. */
export function hostLines(texts: readonly string[]): ScriptLine[] {
  const hosts = blankEpisode(studio.get().settings).personas.map((p) => p.name);
  return texts.map((text, i) => ({ kind: 'speech', id: `l${i + 1}`, speaker: hosts[i % 2]!, text }));
}

/**
 * Creates a project with these lines and another whose lines have the same ids and other words
 * ("Other words for l1."); returns both ids and the other's lines as the back end saved them.
 */
export async function createProjectPair(
  texts: readonly string[],
  article: Article,
): Promise<{ first: string; second: string; lines: ScriptLine[]; otherLines: ScriptLine[] }> {
  const base = blankEpisode(studio.get().settings);
  const lines = hostLines(texts);
  const api = window.studio!;
  const first = await api.projectNew({ episode: { ...base, lines, article } });
  const second = await api.projectNew({
    episode: { ...base, lines: lines.map((l) => ({ ...l, text: `Other words for ${l.id}.` })), article },
  });
  return {
    first: first.projectId,
    second: second.projectId,
    lines: first.episode.lines,
    otherLines: second.episode.lines,
  };
}
