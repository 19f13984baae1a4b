import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../../shared/contract';
import { EPISODE_VERSION } from '../../../shared/model/episode';
import { ProjectService } from './project-service';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';

async function service(): Promise<{ svc: ProjectService; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'gp-proj-'));
  return { svc: new ProjectService({ root }), root };
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof StudioError ? err.code : 'other';
  }
  return undefined;
}

describe('ProjectService', () => {
  it('creates a folder, saves and reopens the same episode', async () => {
    const { svc, root } = await service();
    const { projectId, episode } = await svc.create(sampleEpisode());
    expect(projectId).toMatch(/^2025-11-15-/);
    expect((await readdir(join(root, projectId))).sort()).toEqual(['article.txt', 'clips', 'episode.json']);
    const reopened = await svc.open(projectId);
    expect(reopened).toEqual(episode);
    expect(await readFile(join(root, projectId, 'article.txt'), 'utf8')).toBe(episode.article.text);
    const second = await svc.create(sampleEpisode());
    expect(second.projectId).not.toBe(projectId);
    expect((await svc.list()).map((p) => p.projectId)).toContain(projectId);
  });

  it('leaves no temp files behind and refuses traversal ids', async () => {
    const { svc, root } = await service();
    const { projectId, episode } = await svc.create(sampleEpisode());
    for (let i = 0; i < 5; i++) await svc.save(projectId, { ...episode, title: `v${i}` });
    expect((await readdir(join(root, projectId))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await svc.open(projectId)).title).toBe('v4');
    expect(await errorCode(svc.open('../etc'))).toBe('bad-request');
    expect(await errorCode(svc.open('nope'))).toBe('not-found');
  });

  it('explains a damaged or newer episode.json instead of crashing', async () => {
    const { svc, root } = await service();
    const { projectId } = await svc.create(sampleEpisode());
    const file = join(root, projectId, 'episode.json');
    await writeFile(file, '{"version": 1, "title": ');
    expect(await errorCode(svc.open(projectId))).toBe('corrupt');
    await writeFile(file, JSON.stringify({ ...sampleEpisode(), version: 99 }));
    expect(await errorCode(svc.open(projectId))).toBe('too-new');
    // A version-1 project (before pause/comment lines) opens as the current version.
    await writeFile(file, JSON.stringify({ ...sampleEpisode(), version: 1 }));
    expect((await svc.open(projectId)).version).toBe(EPISODE_VERSION);
  });
});
