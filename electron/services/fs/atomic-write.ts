/** Crash-safe file writes: a final name only ever holds a complete file. */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { StudioError } from '../../../shared/contract';

/**
 * Writes to a temp file beside `path`, flushes it to disk, then renames it over `path`.
 * File-system failures come back as `StudioError('io')` with a sentence a producer can act on
 * (disk full, read-only, no permission) instead of a bare errno.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'w');
  } catch (err) {
    throw ioError(err, path);
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw ioError(err, path);
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw ioError(err, path);
  }
}

/** A path as the producer reads it: `~/…` inside the home folder. */
export function displayPath(path: string): string {
  const home = homedir();
  if (path === home) return '~';
  const rel = relative(home, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `~${sep}${rel}` : path;
}

/**
 * A file-system error as a producer-facing sentence (the errno code kept in brackets). It names
 * the file and the folder it was in (a project's, or a granted export folder), as the producer
 * reads it.
 */
export function ioError(err: unknown, path: string): StudioError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const name = `"${basename(path)}"`;
  const folder = displayPath(dirname(path));
  const why: Record<string, string> = {
    ENOSPC: `The disk is full: could not write ${name}. Free some space and try again.`,
    EDQUOT: `The disk quota is used up: could not write ${name}. Free some space and try again.`,
    EROFS: `The disk is read-only: could not write ${name} in ${folder}.`,
    EACCES: `No permission to write ${name} in ${folder} (it may be read-only).`,
    EPERM: `No permission to write ${name} in ${folder} (it may be read-only).`,
    ENOENT: `The folder ${folder} for ${name} is missing (was it moved or deleted?).`,
    ENOTDIR: `The folder ${folder} for ${name} is missing (was it moved or deleted?).`,
    EISDIR: `Could not write ${name}: a folder of that name is in the way.`,
  };
  const message = why[code] ?? `Could not write ${name}: ${err instanceof Error ? err.message : String(err)}`;
  return new StudioError('io', code && why[code] ? `${message} [${code}]` : message);
}
