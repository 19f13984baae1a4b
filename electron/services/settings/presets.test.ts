// Presets export/import through the composed back end and the contract's validation
// (dispatchCall, as every transport uses it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PresetsFileSchema, type Settings } from '../../../shared/contract';
import { dispatchCall, type Envelope } from '../dispatch';
import { MemorySecretStore } from '../draft/secret-store';
import { RESOURCES_DIR } from '../node-host';
import { nodeWorkerFactory } from '../node-workers';
import { createStudio, type Studio } from '../studio';
import { EspeakEngine } from '../voice/espeak-engine';

const KEY = 'sk-live-presets-secret-1a2b3c4d5e';
let studio: Studio;
const store: Record<string, unknown> = {};

async function call(name: string, payload: unknown): Promise<Envelope> {
  return dispatchCall(studio.backend, name, payload);
}
function value<T>(e: Envelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value as T;
}

beforeAll(async () => {
  studio = await createStudio({
    transport: 'web',
    version: 'test',
    projectsRoot: await mkdtemp(join(tmpdir(), 'gp-presets-')),
    resourcesDir: RESOURCES_DIR,
    store: { get: (k) => store[k], set: (k, v) => void (store[k] = v) },
    engine: new EspeakEngine({
      createWorker: nodeWorkerFactory(new URL('../voice/espeak-worker.ts', import.meta.url)),
      size: 1,
    }),
    createMp3Worker: nodeWorkerFactory(new URL('../audio/mp3-worker.ts', import.meta.url)),
    mediaUrl: (id, rel) => `/media/${id}/${rel}`,
    secrets: new MemorySecretStore(),
  });
});
afterAll(async () => {
  await studio.close();
});

describe('presetsExport and presetsImport', () => {
  it('exports hosts and show defaults without keys or recent projects, and imports them back', async () => {
    const base = value<Settings>(await call('settingsGet', {}));
    const personas = base.personas.map((p, i) =>
      i === 0 ? { ...p, style: 'dry wit', catchphrases: ['Stay curious'] } : p,
    );
    value(
      await call('settingsUpdate', {
        personas,
        show: {
          ...base.show,
          showName: 'Morning Brief',
          greetingTemplate: 'Hi {listener}!',
          targetMinutes: 8,
        },
        recentProjects: ['secret-project'],
      }),
    );
    value(await call('settingsSetApiKey', { providerId: 'openai', apiKey: KEY }));
    const { json } = value<{ json: string }>(await call('presetsExport', {}));
    expect(json).not.toContain(KEY);
    expect(json).not.toContain('secret-project');
    const file = PresetsFileSchema.parse(JSON.parse(json));
    expect(file.personas).toEqual(personas);
    expect(file.show).toMatchObject({
      showName: 'Morning Brief',
      greetingTemplate: 'Hi {listener}!',
      targetMinutes: 8,
    });

    // Change the settings, then import the file: hosts and show come back, recent projects stay.
    value(
      await call('settingsUpdate', { show: { ...base.show, showName: 'Other' }, personas: base.personas }),
    );
    const imported = value<Settings>(await call('presetsImport', { json }));
    expect(imported.personas).toEqual(personas);
    expect(imported.show.showName).toBe('Morning Brief');
    expect(imported.recentProjects).toEqual(['secret-project']);
    expect(value<Settings>(await call('settingsGet', {}))).toEqual(imported);
  });

  it('refuses malformed JSON or the wrong shape with a clear error and saves nothing', async () => {
    const before = structuredClone(store.settings);
    const good = JSON.parse(value<{ json: string }>(await call('presetsExport', {})).json) as Record<
      string,
      unknown
    >;
    const cases: [string, RegExp][] = [
      ['{ not json', /not valid JSON/],
      ['[]', /not a Goose Pod presets file/],
      [JSON.stringify({ ...good, format: 'other' }), /not a Goose Pod presets file \(format: /],
      [JSON.stringify({ ...good, personas: [] }), /personas/],
      [
        JSON.stringify({ ...good, show: { ...(good.show as object), showName: 'Changed', locale: '' } }),
        /show\.locale/,
      ],
    ];
    for (const [json, message] of cases) {
      const e = await call('presetsImport', { json });
      expect(e.ok, json).toBe(false);
      if (!e.ok) {
        expect(e.error.code).toBe('bad-request');
        expect(e.error.message).toMatch(message);
      }
    }
    expect(store.settings).toEqual(before);
  });

  it('drops unknown keys, such as a smuggled API key', async () => {
    const good = JSON.parse(value<{ json: string }>(await call('presetsExport', {})).json) as {
      personas: Record<string, unknown>[];
    };
    good.personas[0] = { ...good.personas[0], apiKey: KEY };
    value(await call('presetsImport', { json: JSON.stringify({ ...good, apiKey: KEY }) }));
    expect(JSON.stringify(store.settings)).not.toContain(KEY);
  });
});
