// The Drafter panel's cost estimate against the real back end in this process (the renderer's real
// web client over HTTP): a change of model or prices while an estimate is on its way must never
// show that older estimate as the cost of the new choice.
// Browser globals first: the state modules read storage when they load.
import '../test-support/dom-globals';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestBackend, type TestBackend } from '../test-support/backend-client';
import { chooseProvider, draftStore, loadPresets, scheduleEstimate, updateConfig } from './draft-actions';
import { blankEpisode } from './episode-helpers';
import { studio } from './studio-state';

let backend: TestBackend;
const api = () => window.studio!;
const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 20_000, interval: 10 });

beforeAll(async () => {
  backend = await connectTestBackend();
  const [appInfo, settings] = await Promise.all([api().appInfo({}), api().settingsGet({})]);
  studio.set({
    appInfo,
    settings,
    boot: 'ready',
    episode: blankEpisode(settings),
    articleTitle: 'Geese',
    articleText: 'Geese fly south in autumn. They come back in spring. Flocks fly in a V to save energy.',
  });
  await loadPresets();
});

afterAll(async () => {
  await backend?.close();
});

describe('the draft cost estimate', () => {
  it('drops an estimate still on its way when the prices change', async () => {
    chooseProvider('custom');
    updateConfig({
      baseURL: backend.modelBaseURL,
      model: 'test-model',
      inputPricePerM: 1,
      outputPricePerM: 1,
    });
    await waitFor(() => expect(draftStore.get().estimate).not.toBeNull());
    const cheap = draftStore.get().estimate!.costUsd;
    expect(cheap).toBeGreaterThan(0);

    // The next estimate leaves for the back end; the producer raises the prices at that moment.
    const shown: number[] = [];
    let raised = false;
    const off = draftStore.subscribe((s, p) => {
      if (!raised && s.estimateBusy && !p.estimateBusy) {
        raised = true;
        updateConfig({ inputPricePerM: 1000, outputPricePerM: 1000 });
      } else if (raised && s.estimate && s.estimate !== p.estimate) shown.push(s.estimate.costUsd);
    });
    try {
      scheduleEstimate();
      await waitFor(() => expect(raised && !draftStore.get().estimateBusy && shown.length > 0).toBe(true));
    } finally {
      off();
    }
    // Only the new prices' cost was ever shown after the change.
    expect(shown.every((usd) => usd > cheap * 100)).toBe(true);
    expect(draftStore.get().estimate!.costUsd).toBeCloseTo(cheap * 1000, 6);
  });
});
