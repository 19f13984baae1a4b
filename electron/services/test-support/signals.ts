/**
 * Test and bench support: deterministic pseudo-random audio, so a failing property or a bench
 * table can be reproduced from its seed.
 */

/**
 * A xorshift32 generator of numbers in [0, 1) from `seed` (0 is taken as 1, which xorshift
 * needs to leave the all-zero state).
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** `length` samples of white noise in [-amplitude, amplitude), drawn from `rand`. */
export function noise(rand: () => number, length: number, amplitude = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (rand() * 2 - 1) * amplitude;
  return out;
}
