/**
 * Projects: one folder per episode under the projects root, holding the versioned `episode.json`,
 * the article as `article.txt`, content-addressed voice clips in `clips/` and exports in `exports/`.
 * Projects are addressed by id (the folder name), never by a path from the UI.
 */
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProjectIdSchema, StudioError } from '../../../shared/contract';
import { migrateEpisode, type Episode } from '../../../shared/model/episode';
import { writeFileAtomic } from '../fs/atomic-write';

export class ProjectService {
  constructor(private readonly deps: { root: string; now?: () => Date }) {}

  /** Absolute folder of a project (id validated: no traversal possible). */
  dir(projectId: string): string {
    const id = ProjectIdSchema.safeParse(projectId);
    if (!id.success) throw new StudioError('bad-request', `"${projectId}" is not a project id.`);
    return join(this.deps.root, id.data);
  }

  /** Creates a new project folder named after the episode title and saves the episode in it. */
  async create(episode: Episode): Promise<{ projectId: string; episode: Episode }> {
    await mkdir(this.deps.root, { recursive: true });
    const base = slug(episode.title) || 'episode';
    const date = episode.show.date;
    let projectId = `${date}-${base}`.slice(0, 70).replace(/-+$/, '');
    for (let n = 2; await exists(join(this.deps.root, projectId)); n++) {
      projectId = `${`${date}-${base}`.slice(0, 66).replace(/-+$/, '')}-${n}`;
    }
    await mkdir(join(this.deps.root, projectId, 'clips'), { recursive: true });
    const saved = await this.save(projectId, episode);
    return { projectId, episode: saved };
  }

  /** Reads and migrates `episode.json`; a damaged or too-new file gets a clear error. */
  async open(projectId: string): Promise<Episode> {
    const file = join(this.dir(projectId), 'episode.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new StudioError('not-found', `No project "${projectId}" (episode.json is missing).`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new StudioError(
        'corrupt',
        `The project "${projectId}" has a damaged episode.json (not valid JSON).`,
      );
    }
    const migrated = migrateEpisode(raw);
    if (!migrated.ok) {
      const tooNew = migrated.message.includes('newer');
      throw new StudioError(tooNew ? 'too-new' : 'corrupt', migrated.message);
    }
    await sweepStaleTemp(this.dir(projectId));
    return migrated.episode;
  }

  /** Saves atomically (temp file + rename) so a crash never leaves a half-written episode.json. */
  async save(projectId: string, episode: Episode): Promise<Episode> {
    const dir = this.dir(projectId);
    if (!(await exists(dir))) throw new StudioError('not-found', `No project "${projectId}".`);
    const saved: Episode = { ...episode, updatedAt: (this.deps.now?.() ?? new Date()).toISOString() };
    try {
      await writeFileAtomic(join(dir, 'article.txt'), saved.article.text);
      await writeFileAtomic(join(dir, 'episode.json'), `${JSON.stringify(saved, null, 2)}\n`);
    } catch (err) {
      throw new StudioError('io', `Could not save the project: ${(err as Error).message}`);
    }
    return saved;
  }

  /** Projects under the root, newest first; unreadable folders are skipped. */
  async list(): Promise<{ projectId: string; title: string; updatedAt: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.deps.root);
    } catch {
      return [];
    }
    const out: { projectId: string; title: string; updatedAt: string }[] = [];
    for (const name of names) {
      if (!ProjectIdSchema.safeParse(name).success) continue;
      try {
        const ep = await this.open(name);
        out.push({ projectId: name, title: ep.title, updatedAt: ep.updatedAt });
      } catch {
        // A damaged project is reported when opened, not in the list.
      }
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }
}

/**
 * Removes temp files a killed save left beside the project's files (`.<name>.<hex>.tmp`, see
 * atomic-write.ts). Only ones older than a minute, so a save in flight keeps its temp file.
 */
async function sweepStaleTemp(dir: string, maxAgeMs = 60_000): Promise<void> {
  try {
    for (const name of await readdir(dir)) {
      if (!/^\..+\.[0-9a-f]{12}\.tmp$/.test(name)) continue;
      const full = join(dir, name);
      const s = await stat(full);
      if (s.isFile() && Date.now() - s.mtimeMs > maxAgeMs) await rm(full, { force: true });
    }
  } catch {
    // Best effort: a read-only or vanished folder is not a reason to fail opening.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Lower-case ASCII slug for folder names. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}
