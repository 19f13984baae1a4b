// The CLI as a user runs it: real process, real files, ffprobe on the MP3.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeDurationSec } from '../services/test-support/media-probe';

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

function cli(args: string[]) {
  return spawnSync(tsx, ['electron/cli/episode.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('npm run episode', () => {
  it('exits non-zero with a one-line reason for a missing, empty or binary article', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-cli-bad-'));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(
      join(dir, 'bin.txt'),
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0]),
    );
    for (const [file, reason] of [
      ['nope.txt', /no such file/],
      [join(dir, 'empty.txt'), /empty/],
      [join(dir, 'bin.txt'), /binary/],
    ] as const) {
      const r = cli([file, '--out', join(dir, 'out')]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
    expect(cli(['--out', dir]).status).toBe(1);
  });

  it('refuses a bad MP3 mode, channel count, bit rate or quality with a one-line reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-cli-mp3-'));
    const article = join(root, 'resources/sample-article.txt');
    for (const [args, reason] of [
      [['--mode', 'abr'], /--mode must be cbr or vbr/],
      [['--channels', '6'], /--channels must be 1 or 2/],
      [['--bitrate', '192'], /--bitrate must be one of 32, 48, 64, 96, 128, 160/],
      [['--mode', 'vbr', '--quality', '10'], /--quality must be 0 to 9/],
      [['--mode', 'vbr', '--bitrate', '64'], /--bitrate is for --mode cbr/],
      [['--quality', '4'], /--quality is for --mode vbr/],
    ] as const) {
      const r = cli([article, '--out', join(dir, 'out'), ...args]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('writes a VBR dual-mono stereo MP3 with --mode vbr --channels 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-cli-vbr-'));
    const article = join(root, 'resources/sample-article.txt');
    const r = cli([
      article,
      '--out',
      dir,
      '--minutes',
      '1',
      '--format',
      'mp3',
      '--mode',
      'vbr',
      '--channels',
      '2',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { durationSec: number };
    const mp3 = join(dir, 'episode.mp3');
    const channels = spawnSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=channels', '-of', 'csv=p=0', mp3],
      { encoding: 'utf8' },
    ).stdout.trim();
    expect(channels).toBe('2');
    expect(readFileSync(mp3).includes(Buffer.from('Xing'))).toBe(true);
    expect(Math.abs(probeDurationSec(mp3) - summary.durationSec)).toBeLessThan(0.15);
  });

  it('refuses to write into a folder that already holds an episode unless --force is passed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-cli-force-'));
    const article = join(root, 'resources/sample-article.txt');
    writeFileSync(join(dir, 'episode.mp3'), 'an earlier episode');
    const r = cli([article, '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/episode\.mp3" already exists; pass --force/);
    expect(readFileSync(join(dir, 'episode.mp3'), 'utf8')).toBe('an earlier episode');

    // Batches check each listener's folder.
    mkdirSync(join(dir, 'bob'));
    writeFileSync(join(dir, 'bob', 'transcript.txt'), 'Bob, earlier');
    writeFileSync(join(dir, 'names.txt'), 'Ann\nBob\n');
    const b = cli([article, '--out', dir, '--listeners', join(dir, 'names.txt')]);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/bob\/transcript\.txt" already exists; pass --force/);

    const f = cli([article, '--out', dir, '--minutes', '1', '--format', 'transcript', '--force']);
    expect(f.status, f.stderr).toBe(0);
    expect(readFileSync(join(dir, 'transcript.txt'), 'utf8')).toContain('Good morning');
  });

  it('writes a playable MP3, a transcript naming the listener and the episode JSON; batches re-voice only name lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-cli-ok-'));
    const article = join(root, 'resources/sample-article.txt');
    const r = cli([
      article,
      '--out',
      join(dir, 'one'),
      '--listener',
      'norristong',
      '--minutes',
      '1',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { files: { path: string }[]; durationSec: number };
    for (const f of ['episode.mp3', 'transcript.txt', 'episode.json'])
      expect(existsSync(join(dir, 'one', f))).toBe(true);
    const probed = probeDurationSec(join(dir, 'one', 'episode.mp3'));

    expect(Math.abs(probed - summary.durationSec)).toBeLessThan(0.1);
    expect(readFileSync(join(dir, 'one', 'transcript.txt'), 'utf8')).toContain('Good morning norristong');

    writeFileSync(join(dir, 'names.csv'), 'name\nAnn\nBob\n');
    const b = cli([
      article,
      '--out',
      join(dir, 'batch'),
      '--listeners',
      join(dir, 'names.csv'),
      '--minutes',
      '1',
      '--json',
      '--format',
      'mp3,transcript',
    ]);
    expect(b.status, b.stderr).toBe(0);
    const batch = JSON.parse(b.stdout) as {
      episodes: { listener: string; linesVoiced: number; linesFromCache: number }[];
    };
    expect(batch.episodes.map((e) => e.listener)).toEqual(['Ann', 'Bob']);
    expect(batch.episodes[1].linesVoiced).toBe(2); // greeting and sign-off name the listener
    expect(batch.episodes[1].linesFromCache).toBeGreaterThan(2);
    expect(readFileSync(join(dir, 'batch', 'bob', 'transcript.txt'), 'utf8')).toContain('Good morning Bob');
  });
});
