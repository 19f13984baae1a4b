import { describe, expect, it } from 'vitest';
import { mp3ChoicesFrom } from './mp3-choices';

describe('mp3ChoicesFrom', () => {
  it('maps the request fields to the encoder’s names and leaves unset ones out', () => {
    expect(mp3ChoicesFrom({})).toEqual({});
    expect(mp3ChoicesFrom({ bitrateKbps: 96 })).toEqual({ bitrateKbps: 96 });
    expect(mp3ChoicesFrom({ mp3Mode: 'vbr', vbrQuality: 0, channels: 2 })).toEqual({
      mode: 'vbr',
      vbrQuality: 0,
      channels: 2,
    });
  });
});
