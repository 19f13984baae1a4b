/**
 * Sample-rate conversion for engine audio: a windowed-sinc (Blackman) low-pass interpolator, in
 * polyphase form when the two rates have a small common ratio (24000 → 22050 is 147/160, 16000 →
 * 22050 is 441/320, 44100 → 22050 is 1/2), computed per sample otherwise. The cut-off sits just
 * below the lower Nyquist frequency, so downsampling does not alias and upsampling adds no images.
 */

/** Zero crossings of the sinc on each side, at the lower of the two rates. */
const HALF_ZEROS = 32;
/** Cut-off as a fraction of the lower Nyquist frequency (leaves room for the transition band). */
const ROLLOFF = 0.92;
/** Largest number of polyphase filters precomputed. */
const MAX_PHASES = 1024;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Blackman window of a position in -1..1. */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  const t = (x + 1) / 2;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * Converts mono samples from `fromRate` to `toRate` Hz. The output has
 * `round(n · toRate / fromRate)` samples, so durations survive exactly (to one sample).
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0 && toRate > 0 && Number.isInteger(fromRate) && Number.isInteger(toRate)))
    throw new RangeError(`resample: rates must be positive integers, got ${fromRate} → ${toRate}`);
  if (fromRate === toRate) return samples.slice();
  const n = samples.length;
  const outLength = Math.round((n * toRate) / fromRate);
  const out = new Float32Array(outLength);
  if (n === 0) return out;
  // Filter cut-off in cycles per input sample, and the kernel's half-width in input samples.
  const cutoff = (ROLLOFF * Math.min(1, toRate / fromRate)) / 2;
  const half = Math.ceil(HALF_ZEROS / (2 * cutoff));
  const gain = 2 * cutoff;
  const tap = (d: number): number => gain * sinc(2 * cutoff * d) * blackman(d / half);

  const g = gcd(fromRate, toRate);
  const up = toRate / g; // output sample i sits at input position i · down / up
  const down = fromRate / g;
  if (up <= MAX_PHASES) {
    // Phase p: fractional position p / up. Taps k = -half+1 .. half around floor(position).
    const width = 2 * half;
    const table = new Float32Array(up * width);
    for (let p = 0; p < up; p++) {
      const frac = p / up;
      let sum = 0;
      for (let k = 0; k < width; k++) sum += table[p * width + k] = tap(frac - (k - half + 1));
      // Normalise each phase to unity DC gain so a constant stays constant.
      for (let k = 0; k < width; k++) table[p * width + k] /= sum;
    }
    for (let i = 0; i < outLength; i++) {
      const pos = i * down;
      const base = Math.floor(pos / up);
      const phase = pos - base * up;
      const row = phase * width;
      let acc = 0;
      const first = base - half + 1;
      if (first >= 0 && first + width <= n) {
        for (let k = 0; k < width; k++) acc += samples[first + k] * table[row + k];
      } else {
        for (let k = 0; k < width; k++) {
          const j = first + k;
          if (j >= 0 && j < n) acc += samples[j] * table[row + k];
        }
      }
      out[i] = acc;
    }
    return out;
  }
  const step = fromRate / toRate;
  for (let i = 0; i < outLength; i++) {
    const pos = i * step;
    const base = Math.floor(pos);
    let acc = 0;
    let sum = 0;
    for (let j = base - half + 1; j <= base + half; j++) {
      const w = tap(pos - j);
      sum += w;
      if (j >= 0 && j < n) acc += samples[j] * w;
    }
    out[i] = acc / sum;
  }
  return out;
}
