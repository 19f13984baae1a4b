/**
 * Where provider API keys live: only in the back end, behind {@link SecretStore}. The Electron
 * app implements it with `safeStorage` (the OS keychain); plain Node (web transport, CLI, tests)
 * uses {@link MemorySecretStore} or {@link FileSecretStore}. Keys are never logged, never written
 * to settings or projects, and never sent back to the UI except masked ({@link maskKey}).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';

/** A value or a promise of it (safeStorage is synchronous, file stores are not). */
export type MaybePromise<T> = T | Promise<T>;

/** Stores secrets by id (the provider id). An empty string means "no secret". */
export interface SecretStore {
  get(id: string): MaybePromise<string | undefined>;
  set(id: string, value: string): MaybePromise<void>;
}

/** Secret ids are provider ids: short, no separators. */
export function assertSecretId(id: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(id)) throw new Error('not a secret id');
}

/**
 * A key as it may be shown again: the vendor prefix and the last four characters, e.g.
 * "sk-…abcd". Short keys show nothing of themselves.
 */
export function maskKey(key: string): string {
  const k = key.trim();
  if (k.length < 12) return '…';
  const prefix = /^[A-Za-z]{2,4}-/.exec(k)?.[0] ?? '';
  return `${prefix}…${k.slice(-4)}`;
}

/** Keeps secrets in memory for the life of the process (tests, throwaway sessions). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  get(id: string): string | undefined {
    return this.values.get(id) || undefined;
  }

  set(id: string, value: string): void {
    assertSecretId(id);
    if (value === '') this.values.delete(id);
    else this.values.set(id, value);
  }
}

type Sealed = { iv: string; tag: string; data: string };

/**
 * Secrets in a JSON file, each sealed with AES-256-GCM under a key derived (HKDF-SHA256) from a
 * random 32-byte install key kept in a separate file with owner-only permissions.
 *
 * What it protects against: keys showing up in plain text in settings, backups, support bundles
 * or screenshots of files, and a secrets file copied without its key file. What it does not: a
 * program running as the same user, which can read both files — in the desktop app, Electron's
 * `safeStorage` (the OS keychain) covers that and should be used instead.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: string;
  private readonly keyFile: string;
  private key: Buffer | undefined;
  /** Serialises writes so two quick `set`s cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  /** @param dir folder for `secrets.json` and `secrets.key` (created when missing) */
  constructor(dir: string) {
    this.file = join(dir, 'secrets.json');
    this.keyFile = join(dir, 'secrets.key');
  }

  async get(id: string): Promise<string | undefined> {
    const sealed = (await this.readAll())[id];
    if (!sealed) return undefined;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        await this.installKey(),
        Buffer.from(sealed.iv, 'base64'),
      );
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const value = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return value.toString('utf8') || undefined;
    } catch {
      // A damaged entry or a replaced key file: treat as "no key" so the producer re-enters it.
      return undefined;
    }
  }

  set(id: string, value: string): Promise<void> {
    assertSecretId(id);
    const run = this.queue.then(async () => {
      const all = await this.readAll();
      if (value === '') delete all[id];
      else {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', await this.installKey(), iv);
        const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
        all[id] = {
          iv: iv.toString('base64'),
          tag: cipher.getAuthTag().toString('base64'),
          data: data.toString('base64'),
        };
      }
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, secrets: all }, null, 1));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readAll(): Promise<Record<string, Sealed>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { secrets?: Record<string, Sealed> };
      return parsed.secrets ?? {};
    } catch {
      return {};
    }
  }

  /** The AES key: HKDF of the install key, created on first use. */
  private async installKey(): Promise<Buffer> {
    if (this.key) return this.key;
    let raw: Buffer;
    try {
      raw = await readFile(this.keyFile);
      if (raw.length !== 32) throw new Error('bad key file');
    } catch {
      raw = randomBytes(32);
      await mkdir(dirname(this.keyFile), { recursive: true });
      // 'wx': never overwrite a key file another process just created.
      await writeFile(this.keyFile, raw, { mode: 0o600, flag: 'wx' }).catch(async () => {
        raw = await readFile(this.keyFile);
      });
    }
    this.key = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'goose-pod-studio api keys v1', 32));
    return this.key;
  }
}
