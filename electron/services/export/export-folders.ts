/**
 * Granted export folders. The renderer never sends a filesystem path: it asks for a folder to be
 * granted and gets back an opaque id (plus a path to show), and exports name that id.
 *
 * Two ways to grant one: in Electron a native folder dialog in main (`chooseFolder`, an adapter
 * from electron/platform); in the web transport a small folder browser restricted to one root
 * (the home folder by default). The browser takes folder names, never paths: each name is checked
 * (no separators, no `.`/`..`, no hidden dot-names), and every folder is resolved through symlinks and refused unless
 * it is still inside the root, so neither `..` nor a symlink can lead out of it. A grant made by
 * the browser is re-checked against its root at every export, inside the export job right before
 * its dated folder is made, and that new folder is checked again (see {@link ExportFolders.makeInside}),
 * so a folder swapped for a symlink after it was granted, or while the export waited, is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, realpath, rmdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { StudioError, type ExportFolder, type FolderListing } from '../../../shared/contract';
import { displayPath, ioError } from '../fs/atomic-write';
import type { KeyValueStore } from '../settings/settings-service';

/** A stored grant: where it points and, for browser grants, the root it must stay inside. */
interface Grant {
  id: string;
  path: string;
  root?: string;
  usedAt: string;
}

/** Store key of the grants (kept with the settings, so a chosen folder survives a restart). */
const STORE_KEY = 'exportFolders';
/** How many grants are kept; the least recently used go first. */
const MAX_GRANTS = 12;

/** What {@link ExportFolders} needs from its host. */
export interface ExportFoldersDeps {
  store: KeyValueStore;
  /** Root of the back-end folder browser (web transport); none: no browser. */
  browseRoot?: string;
  /** The native folder dialog (Electron): an absolute path, or null when canceled. */
  chooseFolder?: () => Promise<string | null>;
  now?: () => Date;
}

/** The granted export folders, and the browser and native dialog that grant them (see the module comment). */
export class ExportFolders {
  private rootReal: Promise<string> | undefined;

  constructor(private readonly deps: ExportFoldersDeps) {}

  /** Granted folders this transport can use, most recently used first, and how to grant more. */
  async list(): Promise<{ folders: ExportFolder[]; native: boolean; browser: boolean }> {
    return {
      folders: (await this.usable()).map((g) => ({ folderId: g.id, displayPath: this.display(g.path) })),
      native: !!this.deps.chooseFolder,
      browser: !!this.deps.browseRoot,
    };
  }

  /** The sub-folders (no hidden ones) of the browser folder at `segments`. */
  async browse(segments: readonly string[]): Promise<FolderListing> {
    const dir = await this.inside(segments);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw ioError(err, dir);
    }
    const root = await this.root();
    const folders: { name: string }[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) folders.push({ name: e.name });
      else if (e.isSymbolicLink()) {
        // A symlinked folder is listed only when it leads somewhere inside the root.
        const target = await realpath(join(dir, e.name)).catch(() => null);
        if (target && visibleWithin(root, target) && (await isDir(target))) folders.push({ name: e.name });
      }
    }
    folders.sort((a, b) => a.name.localeCompare(b.name));
    return { displayPath: this.display(dir), segments: [...segments], folders };
  }

  /** Creates `name` inside the browser folder at `segments` (an existing one is just opened). */
  async create(segments: readonly string[], name: string): Promise<FolderListing> {
    checkName(name);
    const parent = await this.inside(segments);
    const dir = join(parent, name);
    let made = true;
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(err, dir);
      made = false;
    }
    // `parent` may have been swapped for a symlink between the check and the mkdir.
    await confirmFolder(dir, await this.root(), made, this.display(dir));
    return this.browse([...segments, name]);
  }

  /**
   * Grants the browser folder at `segments`, or, without segments, the folder the native dialog
   * returns (null when the producer cancels it). Granting a folder again reuses its id.
   */
  async grant(segments?: readonly string[]): Promise<ExportFolder | null> {
    let path: string;
    let root: string | undefined;
    if (segments) {
      path = await this.inside(segments);
      root = await this.root();
    } else if (this.deps.chooseFolder) {
      const chosen = await this.deps.chooseFolder();
      if (!chosen) return null;
      path = await realpath(chosen).catch((err: unknown) => {
        throw ioError(err, chosen);
      });
      if (!(await isDir(path)))
        throw new StudioError('bad-request', `"${basename(chosen)}" is not a folder.`);
    } else {
      throw new StudioError('bad-request', 'Choose a folder in the list first.');
    }
    const grants = this.grants();
    const found = grants.find((g) => g.path === path && g.root === root);
    const grant: Grant = {
      id: found?.id ?? randomBytes(12).toString('base64url'),
      path,
      ...(root ? { root } : {}),
      usedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    this.save([grant, ...grants.filter((g) => g.id !== grant.id)]);
    return { folderId: grant.id, displayPath: this.display(path) };
  }

  /**
   * The absolute folder behind a grant, checked now: it must still exist, be a folder and, for a
   * browser grant, still resolve inside the browser's root. Marks the grant as just used.
   */
  async resolve(folderId: string): Promise<string> {
    return (await this.check(folderId)).real;
  }

  /**
   * Makes a new folder inside the granted folder `folderId` and returns its absolute, real path.
   * Call it inside the export job, right before the first file is written: the grant is resolved
   * and checked now, `make` creates the folder in it and returns the new name (the dated folder),
   * and the new folder is resolved through symlinks again. Unless it is exactly where it was made
   * (so inside the granted folder, and for a browser grant inside the root) it is removed again
   * (rmdir: nothing is in it yet) and the export refused: the granted folder was swapped for a
   * symlink between the check and the mkdir.
   */
  async makeInside(folderId: string, make: (parent: string) => Promise<string>): Promise<string> {
    const { grant, real } = await this.check(folderId);
    const dir = join(real, await make(real));
    await confirmFolder(dir, grant.root ?? real, true, this.display(grant.path));
    return dir;
  }

  private async check(folderId: string): Promise<{ grant: Grant; real: string }> {
    const grant = (await this.usable()).find((g) => g.id === folderId);
    if (!grant) {
      throw new StudioError(
        'not-found',
        'That export folder is no longer available; choose the folder again.',
      );
    }
    const real = await realpath(grant.path).catch(() => null);
    if (!real || !(await isDir(real))) {
      throw new StudioError(
        'not-found',
        `The export folder ${this.display(grant.path)} no longer exists; choose another folder.`,
      );
    }
    if (grant.root && !visibleWithin(grant.root, real)) {
      throw new StudioError(
        'bad-request',
        `The export folder ${this.display(grant.path)} now leads outside ${this.display(grant.root)}; choose it again.`,
      );
    }
    this.save([
      { ...grant, usedAt: (this.deps.now?.() ?? new Date()).toISOString() },
      ...this.grants().filter((g) => g.id !== grant.id),
    ]);
    return { grant, real };
  }

  /** The browser folder at `segments`, resolved through symlinks and refused outside the root. */
  private async inside(segments: readonly string[]): Promise<string> {
    segments.forEach(checkName);
    const root = await this.root();
    const wanted = join(root, ...segments);
    const real = await realpath(wanted).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StudioError('not-found', `The folder ${this.display(wanted)} does not exist.`);
      }
      throw ioError(err, wanted);
    });
    if (!within(root, real)) {
      throw new StudioError(
        'bad-request',
        `That folder leads outside ${this.display(root)}; choose one inside it.`,
      );
    }
    // A visible name may still be a symlink into a hidden folder (`cfg` -> `.config`).
    if (!visibleWithin(root, real)) {
      throw new StudioError('bad-request', 'That folder leads into a hidden folder; choose another one.');
    }
    if (!(await isDir(real)))
      throw new StudioError('bad-request', `${this.display(wanted)} is not a folder.`);
    return real;
  }

  private root(): Promise<string> {
    const root = this.deps.browseRoot;
    if (!root) {
      return Promise.reject(
        new StudioError('bad-request', 'This studio has no folder browser; use Choose folder.'),
      );
    }
    this.rootReal ??= realpath(root).catch((err: unknown) => {
      this.rootReal = undefined;
      throw ioError(err, root);
    });
    return this.rootReal;
  }

  /** Grants this transport can use: browser grants of the current root, native ones with a dialog. */
  private async usable(): Promise<Grant[]> {
    const root = this.deps.browseRoot ? await this.root().catch(() => undefined) : undefined;
    return this.grants().filter((g) => (g.root ? g.root === root : !!this.deps.chooseFolder));
  }

  private grants(): Grant[] {
    const raw = this.deps.store.get(STORE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (g): g is Grant =>
        !!g &&
        typeof g === 'object' &&
        typeof (g as Grant).id === 'string' &&
        typeof (g as Grant).path === 'string' &&
        typeof (g as Grant).usedAt === 'string',
    );
  }

  private save(grants: Grant[]): void {
    this.deps.store.set(STORE_KEY, grants.slice(0, MAX_GRANTS));
  }

  /** A path as the producer reads it: `~/…` inside the home folder. */
  private display(path: string): string {
    return displayPath(path);
  }
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Checks that the folder just made (or found) at `dir`, a path built from real (symlink-free)
 * parts, still resolves to `dir` itself and stays visible inside `root`. If not, a folder this
 * call made (`made`) is removed again — rmdir, so only while it is empty — and the write refused;
 * `shown` names the folder for the producer.
 */
export async function confirmFolder(dir: string, root: string, made: boolean, shown: string): Promise<void> {
  const real = await realpath(dir).catch(() => null);
  if (real === dir && visibleWithin(root, real)) return;
  if (made) await rmdir(dir).catch(() => undefined);
  throw new StudioError(
    'bad-request',
    `The folder ${shown} changed while exporting (it now leads somewhere else), so nothing was written there; choose the folder again.`,
  );
}

/** `path` is inside `root` and no folder on the way down (root excluded) is hidden. */
function visibleWithin(root: string, path: string): boolean {
  return (
    within(root, path) &&
    !relative(root, path)
      .split(sep)
      .some((s) => s.startsWith('.'))
  );
}

function checkName(name: string): void {
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new StudioError('bad-request', `"${name}" is not a folder name.`);
  }
  // Hidden folders (.ssh, .config …) hold settings and keys, never episodes: the browser does not
  // list them, and no call can create, open, grant or export into one by typing its name either.
  if (name.startsWith('.')) {
    throw new StudioError(
      'bad-request',
      `"${name}" is a hidden folder; export folders cannot be hidden (names starting with a dot).`,
    );
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
