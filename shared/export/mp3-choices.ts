/**
 * How an export's MP3 is encoded, in one shape from the request to the encoder: the studio maps
 * the contract's fields once ({@link mp3ChoicesFrom}), exports and batches pass it on whole, and
 * the encoder, the CLI and the export dialog share the per-channel default bit rate.
 */

/** The CBR bit rate when none is given: 64 kbps mono, 128 kbps stereo (the defaults). */
export const MP3_DEFAULT_BITRATE = { 1: 64, 2: 128 } as const satisfies Record<1 | 2, number>;

/** How the MP3 of an export is encoded (every field optional; the encoder fills the defaults). */
export interface Mp3Choices {
  /** CBR bit rate in kbps; default {@link MP3_DEFAULT_BITRATE} for the channel count. */
  bitrateKbps?: number;
  /** Constant (default) or variable bit rate. */
  mode?: 'cbr' | 'vbr';
  /** 2 = dual-mono stereo (the mix is mono). */
  channels?: 1 | 2;
  /** VBR quality 0 (best, largest) … 9 (smallest). */
  vbrQuality?: number;
}

/** The MP3 fields of an `exportStart`/`exportBatch` request as {@link Mp3Choices} (only those set). */
export function mp3ChoicesFrom(req: {
  bitrateKbps?: number;
  mp3Mode?: 'cbr' | 'vbr';
  channels?: 1 | 2;
  vbrQuality?: number;
}): Mp3Choices {
  return {
    ...(req.bitrateKbps ? { bitrateKbps: req.bitrateKbps } : {}),
    ...(req.mp3Mode ? { mode: req.mp3Mode } : {}),
    ...(req.channels ? { channels: req.channels } : {}),
    ...(req.vbrQuality !== undefined ? { vbrQuality: req.vbrQuality } : {}),
  };
}
