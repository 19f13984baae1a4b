/**
 * Provider API keys in the desktop app: sealed with Electron's safeStorage (the OS keychain) and
 * kept, sealed, in electron-store. Plain text never touches the disk or leaves the main process.
 */
import { safeStorage } from 'electron';
import type Store from 'electron-store';
import { assertSecretId, type SecretStore } from '../services/draft/secret-store';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly store: Store<Record<string, unknown>>) {}

  get(id: string): string | undefined {
    assertSecretId(id);
    const sealed = this.store.get(`secrets.${id}`);
    if (typeof sealed !== 'string' || !safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64')) || undefined;
    } catch {
      return undefined;
    }
  }

  set(id: string, value: string): void {
    assertSecretId(id);
    if (value === '') {
      this.store.delete(`secrets.${id}`);
      return;
    }
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('This system offers no encrypted storage for API keys (OS keychain unavailable).');
    }
    this.store.set(`secrets.${id}`, safeStorage.encryptString(value).toString('base64'));
  }
}
