// Granted export folders on a real file system: the folder browser stays inside its root (no `..`,
// no symlink out, also when a granted folder is swapped for a symlink later), grants survive a new
// instance over the same store, and the native chooser's answer becomes a grant.
import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, StudioError } from '../../../shared/contract';
import { dispatchCall } from '../dispatch';
import { createNodeStudio } from '../node-host';
import type { KeyValueStore } from '../settings/settings-service';
import { sampleEpisode } from '../../../shared/model/fixtures/sample-episode';
import { ExportFolders } from './export-folders';

let base: string;
let root: string;
let outside: string;

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, structuredClone(v)) };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof StudioError ? e.code : `other: ${String(e)}`),
  );
}

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'gps-folders-')));
  root = join(base, 'home');
  outside = join(base, 'outside');
  await mkdir(join(root, 'Podcasts', 'Goose Pod'), { recursive: true });
  await mkdir(join(root, 'Music'));
  await mkdir(join(root, '.cache'));
  await writeFile(join(root, 'notes.txt'), 'not a folder');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'x');
  await symlink(outside, join(root, 'escape'));
  await symlink(join(root, 'Music'), join(root, 'music-link'));
  await symlink(join(root, '.cache'), join(root, 'cache-link'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('ExportFolders browser', () => {
  it('lists sub-folders only (no files, no hidden ones, no symlinks out of the root), sorted', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    const top = await f.browse([]);
    expect(top.folders.map((x) => x.name)).toEqual(['Music', 'music-link', 'Podcasts']);
    expect(top.segments).toEqual([]);
    const inner = await f.browse(['Podcasts']);
    expect(inner.folders).toEqual([{ name: 'Goose Pod' }]);
    expect(inner.displayPath).toBe(join(root, 'Podcasts'));
  });

  it('refuses `..`, separators and symlinks that lead out of the root', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    expect(await code(f.browse(['..']))).toBe('bad-request');
    expect(await code(f.browse(['Podcasts', '..', '..']))).toBe('bad-request');
    expect(await code(f.browse(['../outside']))).toBe('bad-request');
    expect(await code(f.browse(['escape']))).toBe('bad-request');
    expect(await code(f.grant(['escape']))).toBe('bad-request');
    expect(await code(f.create(['escape'], 'new'))).toBe('bad-request');
    expect(await code(f.create([], '..'))).toBe('bad-request');
    expect(await code(f.create([], 'a/b'))).toBe('bad-request');
    expect(await code(f.browse(['missing']))).toBe('not-found');
    expect(await code(f.browse(['notes.txt']))).toBe('bad-request');
    // The contract refuses the same names before they reach the service.
    expect(calls.exportFolderBrowse.request.safeParse({ segments: ['..'] }).success).toBe(false);
    expect(calls.exportFolderCreate.request.safeParse({ segments: [], name: 'x/y' }).success).toBe(false);
    expect(calls.exportFolderGrant.request.safeParse({ segments: ['a\\b'] }).success).toBe(false);
    // A symlink that stays inside the root is an ordinary folder.
    expect((await f.browse(['music-link'])).folders).toEqual([]);
  });

  it('creates a folder and opens it; an existing name is just opened', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    const made = await f.create(['Podcasts'], 'Episodes');
    expect(made.segments).toEqual(['Podcasts', 'Episodes']);
    expect(made.folders).toEqual([]);
    expect((await f.browse(['Podcasts'])).folders.map((x) => x.name)).toEqual(['Episodes', 'Goose Pod']);
    expect((await f.create(['Podcasts'], 'Episodes')).segments).toEqual(['Podcasts', 'Episodes']);
  });
});

describe('ExportFolders hidden folders', () => {
  it('refuses hidden folders by name and through symlinks, not only leaves them unlisted', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    for (const p of [
      f.browse(['.cache']),
      f.grant(['.cache']),
      f.create([], '.cache'),
      f.create([], '.ssh'),
      f.create(['.cache'], 'Episodes'),
      f.browse(['cache-link']),
      f.grant(['cache-link']),
    ]) {
      await expect(p).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/hidden/),
      });
    }
    expect((await f.browse([])).folders.map((x) => x.name)).not.toContain('cache-link');
    expect(await readdir(root)).not.toContain('.ssh');
    // A grant whose folder became a link into a hidden folder is refused at export time.
    await mkdir(join(root, 'Later'));
    const later = (await f.grant(['Later']))!;
    await rm(join(root, 'Later'), { recursive: true });
    await symlink(join(root, '.cache'), join(root, 'Later'));
    await expect(f.resolve(later.folderId)).rejects.toMatchObject({ code: 'bad-request' });
    await rm(join(root, 'Later'));
    // The contract refuses dot-names before they reach the service.
    expect(calls.exportFolderBrowse.request.safeParse({ segments: ['.cache'] }).success).toBe(false);
    expect(calls.exportFolderCreate.request.safeParse({ segments: [], name: '.config' }).success).toBe(false);
    expect(calls.exportFolderGrant.request.safeParse({ segments: ['a', '.ssh'] }).success).toBe(false);
  });
});

describe('ExportFolders at write time', () => {
  it('removes the dated folder and refuses when the granted folder is swapped just before the mkdir', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    await mkdir(join(root, 'Race'));
    const race = (await f.grant(['Race']))!;
    const before = await readdir(outside);
    const err = await f
      .makeInside(race.folderId, async (parent) => {
        // The swap lands between the check of the grant and the mkdir of the dated folder.
        await rm(parent, { recursive: true });
        await symlink(outside, parent);
        await mkdir(join(parent, 'stamp'));
        return 'stamp';
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/changed while exporting/),
    });
    expect(await readdir(outside)).toEqual(before);
    await rm(join(root, 'Race'));
  });
});

describe('ExportFolders grants', () => {
  it('grants a browser folder as an opaque id, resolves it, and remembers it across instances', async () => {
    const store = memoryStore();
    const f = new ExportFolders({ store, browseRoot: root });
    const g = (await f.grant(['Podcasts', 'Goose Pod']))!;
    expect(g.folderId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(g.folderId).not.toContain('Podcasts');
    expect(g.displayPath).toBe(join(root, 'Podcasts', 'Goose Pod'));
    expect(await f.resolve(g.folderId)).toBe(join(root, 'Podcasts', 'Goose Pod'));
    // Granting it again keeps the id; the last granted comes first.
    const music = (await f.grant(['Music']))!;
    expect((await f.grant(['Podcasts', 'Goose Pod']))!.folderId).toBe(g.folderId);
    const again = new ExportFolders({ store, browseRoot: root });
    expect((await again.list()).folders.map((x) => x.folderId)).toEqual([g.folderId, music.folderId]);
    expect(await code(again.resolve('nosuchfolderid00'))).toBe('not-found');
    // Another root (another server) does not see these grants.
    const other = new ExportFolders({ store, browseRoot: outside });
    expect((await other.list()).folders).toEqual([]);
    expect(await code(other.resolve(g.folderId))).toBe('not-found');
  });

  it('refuses a granted folder that was removed or swapped for a symlink out of the root', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    await mkdir(join(root, 'Swap'));
    await mkdir(join(root, 'Gone'));
    const swap = (await f.grant(['Swap']))!;
    const gone = (await f.grant(['Gone']))!;
    await rm(join(root, 'Gone'), { recursive: true });
    expect(await code(f.resolve(gone.folderId))).toBe('not-found');
    await rm(join(root, 'Swap'), { recursive: true });
    await symlink(outside, join(root, 'Swap'));
    expect(await code(f.resolve(swap.folderId))).toBe('bad-request');
  });

  it('turns the native chooser’s folder into a grant, and its cancel into null', async () => {
    const answers: (string | null)[] = [join(root, 'Music'), null, join(root, 'notes.txt')];
    const f = new ExportFolders({ store: memoryStore(), chooseFolder: async () => answers.shift() ?? null });
    expect(await f.list()).toMatchObject({ native: true, browser: false, folders: [] });
    const g = (await f.grant())!;
    expect(await f.resolve(g.folderId)).toBe(join(root, 'Music'));
    expect(await f.grant()).toBeNull();
    expect(await code(f.grant())).toBe('bad-request');
    // Without a browser root the browser calls are refused in words.
    expect(await code(f.browse([]))).toBe('bad-request');
  });

  it('refuses a grant without a folder when there is neither a dialog nor a selection', async () => {
    const f = new ExportFolders({ store: memoryStore(), browseRoot: root });
    expect(await code(f.grant())).toBe('bad-request');
  });
});

describe('export folder calls through the back end', () => {
  it('browses, grants and refuses over the contract; a stale folder id is refused before a job starts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gps-folders-studio-'));
    const studio = await createNodeStudio({ dataDir, exportRoot: root });
    try {
      const call = (name: string, payload: unknown) => dispatchCall(studio.backend, name, payload);
      expect(await call('exportFolders', {})).toMatchObject({
        ok: true,
        value: { browser: true, native: false },
      });
      const listed = await call('exportFolderBrowse', { segments: ['Podcasts'] });
      expect(listed).toMatchObject({ ok: true, value: { segments: ['Podcasts'] } });
      expect(await call('exportFolderBrowse', { segments: ['..'] })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await call('exportFolderBrowse', { segments: ['escape'] })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      // A raw path is not a folder id.
      const { projectId } = await studio.backend.projectNew({ episode: sampleEpisode() });
      const start = (folderId: string) =>
        call('exportStart', { projectId, episode: sampleEpisode(), formats: ['transcript'], folderId });
      expect(await start('/etc/passwd')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(await start('nosuchfolderid00')).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect(studio.jobs.list()).toEqual([]);
      const granted = await call('exportFolderGrant', { segments: ['Podcasts', 'Goose Pod'] });
      expect(granted.ok).toBe(true);
      const { folder } = (granted as { value: { folder: { folderId: string } } }).value;
      const started = await start(folder.folderId);
      expect(started.ok).toBe(true);
      const end = await studio.jobs.wait((started as { value: { jobId: string } }).value.jobId);
      expect(end.status).toBe('done');
      const result = end.result as { folder: string };
      expect(result.folder.startsWith(join(root, 'Podcasts', 'Goose Pod') + '/')).toBe(true);

      // Asked for while the folder was fine, then swapped for a symlink out of the root before the
      // job ran: the job checks again when it writes, and nothing lands outside.
      await mkdir(join(root, 'Later'));
      const later = await call('exportFolderGrant', { segments: ['Later'] });
      const laterId = (later as { value: { folder: { folderId: string } } }).value.folder.folderId;
      const before = await readdir(outside);
      for (const name of ['exportStart', 'exportBatch'] as const) {
        const req = { projectId, episode: sampleEpisode(), formats: ['transcript'], folderId: laterId };
        const { jobId } =
          name === 'exportStart'
            ? await studio.backend.exportStart(req as never)
            : await studio.backend.exportBatch({ ...req, listeners: ['Ann'] } as never);
        // The job starts on setImmediate, so this synchronous swap lands before it runs.
        rmSync(join(root, 'Later'), { recursive: true, force: true });
        symlinkSync(outside, join(root, 'Later'));
        const ended = await studio.jobs.wait(jobId);
        expect(ended.status).toBe('failed');
        expect(ended.error?.code).toBe('bad-request');
        expect(await readdir(outside)).toEqual(before);
        rmSync(join(root, 'Later'));
        mkdirSync(join(root, 'Later'));
      }
    } finally {
      await studio.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
