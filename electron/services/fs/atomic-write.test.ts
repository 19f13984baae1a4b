// Producer-facing file errors name the folder the file was going into, whichever folder that is.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, ioError } from './atomic-write';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('ioError', () => {
  it('names the granted export folder, not "the project folder", when permission is refused', () => {
    const granted = join(homedir(), 'Podcasts', '2025-11-15T06-00-00');
    for (const code of ['EACCES', 'EPERM']) {
      const e = ioError(errno(code), join(granted, 'episode.mp3'));
      expect(e.code).toBe('io');
      expect(e.message).toBe(
        `No permission to write "episode.mp3" in ${join('~', 'Podcasts', '2025-11-15T06-00-00')} (it may be read-only). [${code}]`,
      );
      expect(e.message).not.toMatch(/project folder/);
    }
    expect(ioError(errno('EACCES'), '/srv/exports/a/transcript.txt').message).toMatch(
      /"transcript.txt" in \/srv\/exports\/a \(/,
    );
    expect(ioError(errno('ENOENT'), '/srv/exports/a/transcript.txt').message).toMatch(
      /^The folder \/srv\/exports\/a for "transcript.txt" is missing/,
    );
  });

  it('shows paths in the home folder with ~ and leaves others (and look-alikes) whole', () => {
    expect(displayPath(homedir())).toBe('~');
    expect(displayPath(join(homedir(), 'Music'))).toBe(join('~', 'Music'));
    expect(displayPath(`${homedir()}-other/x`)).toBe(`${homedir()}-other/x`);
    expect(displayPath('/srv/x')).toBe('/srv/x');
  });
});
