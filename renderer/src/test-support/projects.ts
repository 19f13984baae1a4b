/**
 * Test support for renderer state tests against the real back end: two projects whose scripts
 * have the same line ids (l1…lN, as every project's have), so a test can open one while work of
 * the other is still on its way.
 */
import type { Article, ScriptLine } from '@shared/model/episode';
import { blankEpisode } from '../state/episode-helpers';
import { studio } from '../state/studio-state';

/**
 * Creates a project with these lines and another whose lines have the same ids and other words
 * ("Other words for l1."); returns both ids and the other's lines as the back end saved them.
 */
export async function createProjectPair(
  texts: readonly string[],
  article: Article,
): Promise<{ first: string; second: string; lines: ScriptLine[]; otherLines: ScriptLine[] }> {
  const base = blankEpisode(studio.get().settings);
  const hosts = base.personas.map((p) => p.name);
  // Speech lines l1…lN, the episode's hosts taking turns.
  const lines: ScriptLine[] = texts.map((text, i) => ({
    kind: 'speech',
    id: `l${i + 1}`,
    speaker: hosts[i % 2]!,
    text,
  }));
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
