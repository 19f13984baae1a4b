import { describe, expect, it } from 'vitest';
import type { Timeline } from '@shared/contract';
import { sampleEpisode } from '@shared/model/fixtures/sample-episode';
import {
  CHOICES_KEY,
  DEFAULT_CHOICES,
  estimateDuration,
  estimateSizes,
  listenerNames,
  loadChoices,
  parseChoices,
  requestOptions,
  saveChoices,
} from './export-options';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('export choices', () => {
  it('round-trips through storage and keeps only known values', () => {
    const store = memoryStorage();
    saveChoices(
      { ...DEFAULT_CHOICES, formats: ['srt', 'mp3'], bitrateKbps: 96, loudness: 'streaming' },
      store,
    );
    expect(JSON.parse(store.getItem(CHOICES_KEY)!)).toEqual({
      ...DEFAULT_CHOICES,
      formats: ['srt', 'mp3'],
      bitrateKbps: 96,
      loudness: 'streaming',
    });
    expect(requestOptions(loadChoices(store))).toEqual({
      formats: ['mp3', 'srt'],
      bitrateKbps: 96,
      loudness: 'streaming',
    });
    expect(
      parseChoices(
        '{"formats":["exe","vtt"],"bitrateKbps":320,"loudness":"loud","mode":"abr","channels":6,"vbrQuality":12,"folder":{"folderId":3}}',
      ),
    ).toEqual({ ...DEFAULT_CHOICES, formats: ['vtt'] });
    expect(parseChoices('not json').formats).toHaveLength(7);
    expect(parseChoices('{"formats":[]}').formats).toHaveLength(7);
  });

  it('estimates duration from clips and pauses, or takes the current timeline', () => {
    const ep = sampleEpisode({
      clips: { l1: { hash: 'a', durationSec: 2 }, l2: { hash: 'b', durationSec: 3 } },
      pauseSec: 0.5,
    });
    ep.lines.push({ kind: 'pause', id: 'p1', seconds: 1.5 });
    // l3 (6 words) is unvoiced: 6 / 150 min = 2.4 s, and the estimate says so.
    expect(estimateDuration(ep, null)).toEqual({ durationSec: 2 + 3 + 2.4 + 2 * 0.5 + 1.5, exact: false });
    const voiced = { ...ep, clips: { ...ep.clips, l3: { hash: 'c', durationSec: 4 } } };
    expect(estimateDuration(voiced, null)).toEqual({ durationSec: 2 + 3 + 4 + 1 + 1.5, exact: true });
    const timeline = {
      durationSec: 99,
      missing: [],
      regions: [{}, {}, {}],
    } as unknown as Timeline;
    expect(estimateDuration(voiced, timeline)).toEqual({ durationSec: 99, exact: true });
  });

  it('sizes the MP3 by bitrate × duration and lists only chosen formats', () => {
    const ep = sampleEpisode();
    const sizes = estimateSizes(
      ep,
      { formats: ['transcript', 'mp3'], bitrateKbps: 64, loudness: 'none' },
      600,
    );
    expect(sizes.map((s) => s.format)).toEqual(['mp3', 'transcript']);
    const mp3 = sizes[0].bytes;
    expect(mp3).toBeGreaterThan(64_000 * 75); // 4.8 MB of audio for 10 min at 64 kbps
    expect(mp3).toBeLessThan(64_000 * 75 + 100_000);
    const at128 = estimateSizes(ep, { formats: ['mp3'], bitrateKbps: 128, loudness: 'none' }, 600)[0];
    expect(at128.bytes - mp3).toBe(64_000 * 75);
  });

  it('remembers VBR, stereo and the export folder, and asks for exactly that', () => {
    const store = memoryStorage();
    const folder = { folderId: 'abcdefgh12345678', displayPath: '~/Podcasts' };
    saveChoices({ ...DEFAULT_CHOICES, mode: 'vbr', channels: 2, vbrQuality: 4, folder }, store);
    const back = loadChoices(store);
    expect(back).toMatchObject({ mode: 'vbr', channels: 2, vbrQuality: 4, folder });
    expect(requestOptions(back)).toEqual({
      formats: DEFAULT_CHOICES.formats,
      mp3Mode: 'vbr',
      vbrQuality: 4,
      channels: 2,
      loudness: 'podcast',
      folderId: folder.folderId,
    });
    // CBR mono into the project: no VBR, channel or folder fields at all.
    expect(requestOptions(DEFAULT_CHOICES)).toEqual({
      formats: DEFAULT_CHOICES.formats,
      bitrateKbps: 64,
      loudness: 'podcast',
    });
  });

  it('gives a VBR MP3 a size range around its quality, smaller for a lower quality', () => {
    const ep = sampleEpisode();
    const v6 = estimateSizes(
      ep,
      { ...DEFAULT_CHOICES, formats: ['mp3'], mode: 'vbr', vbrQuality: 6 },
      600,
    )[0];
    const v9 = estimateSizes(
      ep,
      { ...DEFAULT_CHOICES, formats: ['mp3'], mode: 'vbr', vbrQuality: 9 },
      600,
    )[0];
    expect(v6.low).toBeLessThan(v6.bytes);
    expect(v6.high).toBeGreaterThan(v6.bytes);
    expect(v6.high / v6.low).toBeGreaterThan(1.4);
    expect(v9.bytes).toBeLessThan(v6.bytes);
    const cbr = estimateSizes(ep, { ...DEFAULT_CHOICES, formats: ['mp3'] }, 600)[0];
    expect(cbr.low).toBe(cbr.bytes);
    expect(cbr.high).toBe(cbr.bytes);
  });

  it('reads typed listener names one per line', () => {
    expect(listenerNames(' Ann \n\nBob\r\nAnn\n')).toEqual(['Ann', 'Bob']);
  });
});
