import { describe, expect, it } from 'vitest';
import { concatFloat32, durationSec, float32ToInt16, int16ToFloat32, trimSilence } from './pcm';

describe('int16 ↔ float32', () => {
  it('maps the full scale and round-trips every int16 value', () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < all.length; i++) all[i] = i - 32768;
    const f = int16ToFloat32(all);
    expect(f[0]).toBe(-1);
    expect(f[32768]).toBe(0);
    expect(Math.max(...f)).toBeLessThan(1);
    const back = float32ToInt16(f);
    expect(Array.from(back.subarray(0, 5))).toEqual([-32768, -32767, -32766, -32765, -32764]);
    let mismatches = 0;
    for (let i = 0; i < all.length; i++) if (Math.abs(back[i] - all[i]) > 1) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('clamps out-of-range floats instead of wrapping', () => {
    expect(Array.from(float32ToInt16(new Float32Array([2, -2, 1, -1, NaN])))).toEqual([
      32767, -32768, 32767, -32768, 0,
    ]);
  });
});

describe('concatFloat32', () => {
  it('joins in order', () => {
    const out = concatFloat32([new Float32Array([1, 2]), new Float32Array(0), new Float32Array([3])]);
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });
});

describe('trimSilence', () => {
  const sr = 1000;
  function padded(lead: number, body: number, tail: number): Float32Array {
    const s = new Float32Array(lead + body + tail);
    s.fill(0.5, lead, lead + body);
    return s;
  }

  it('keeps keepMs of silence on both sides', () => {
    const out = trimSilence(padded(400, 100, 700), sr, { keepMs: 30 });
    expect(out.length).toBe(30 + 100 + 30);
    expect(out[29]).toBe(0);
    expect(out[30]).toBe(0.5);
    expect(out[129]).toBe(0.5);
    expect(out[130]).toBe(0);
  });

  it('gives the same margins whatever the original padding was', () => {
    const a = trimSilence(padded(50, 100, 900), sr);
    const b = trimSilence(padded(900, 100, 50), sr);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('treats samples below the threshold as silence', () => {
    const s = padded(100, 100, 100);
    s[10] = 0.001; // -60 dBFS: noise floor, below the default -50 dB
    s[290] = 0.01; // -40 dBFS: audible
    const out = trimSilence(s, sr, { keepMs: 0 });
    expect(out.length).toBe(291 - 100);
  });

  it('does not pad beyond the input and returns empty for silence', () => {
    expect(trimSilence(padded(5, 10, 5), sr, { keepMs: 30 }).length).toBe(20);
    expect(trimSilence(new Float32Array(500), sr).length).toBe(0);
  });

  it('returns a compact copy', () => {
    const out = trimSilence(padded(100, 100, 100), sr);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(out.byteLength);
  });
});

describe('durationSec', () => {
  it('divides by the sample rate', () => {
    expect(durationSec(new Float32Array(22050 * 3), 22050)).toBe(3);
    expect(durationSec(11025, 22050)).toBe(0.5);
  });
});
