/**
 * Settings (personas, show defaults, recent projects) behind a tiny key-value interface, so the
 * same service runs on electron-store in the app and on `conf` in plain Node (web transport, CLI,
 * tests). Both libraries have this exact get/set shape.
 */
import { SettingsSchema, StudioError, type Settings } from '../../../shared/contract';
import { PersonaSchema, type Persona } from '../../../shared/model/episode';
import { z } from 'zod';

/** The subset of electron-store / conf the service uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Reads and validates settings; damaged values fall back to defaults instead of crashing. */
export class SettingsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly defaults: Settings,
  ) {}

  /** The current settings, each field validated separately so one bad field loses nothing else. */
  get(): Settings {
    const raw = (this.store.get('settings') ?? {}) as Record<string, unknown>;
    const pick = <K extends keyof Settings>(key: K): Settings[K] => {
      const parsed = SettingsSchema.shape[key].safeParse(raw[key]);
      return (parsed.success ? parsed.data : this.defaults[key]) as Settings[K];
    };
    return { personas: pick('personas'), show: pick('show'), recentProjects: pick('recentProjects') };
  }

  /** Merges a partial update, validates the whole, saves and returns it. */
  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.safeParse({ ...this.get(), ...patch });
    if (!next.success) {
      throw new StudioError(
        'bad-request',
        `Settings not saved: ${next.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    this.store.set('settings', next.data);
    return next.data;
  }

  /** Moves a project to the front of the recent list. */
  touchRecent(projectId: string): void {
    const recent = [projectId, ...this.get().recentProjects.filter((p) => p !== projectId)].slice(0, 20);
    this.update({ recentProjects: recent });
  }
}

/** Parses the personas shipped in resources/default-personas.json. */
export function parseDefaultPersonas(json: string): Persona[] {
  return z.array(PersonaSchema).min(2).parse(JSON.parse(json));
}

/** Default settings for a first run. */
export function defaultSettings(personas: Persona[]): Settings {
  return {
    personas,
    show: { showName: 'Goose Pod', listenerName: 'listener', locale: 'en-US' },
    recentProjects: [],
  };
}
