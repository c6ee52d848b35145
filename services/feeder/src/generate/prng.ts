/**
 * A small seeded random source. Everything the generator produces comes from one of these, so a seed reproduces
 * a whole stream byte for byte (a failing load test can be replayed); Math.random would make that impossible.
 */
export interface Rng {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the entries, each as likely as its weight relative to the sum of all weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
  /** An RFC 9562 version 4 UUID built from this source's bits rather than the platform's. */
  uuid(): string;
}

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

/** mulberry32: 32 bits of state, fast, and good enough for test data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const float = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(float() * (max - min + 1));

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };

  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weights must add up to more than zero');
    let remaining = float() * total;
    for (const [value, weight] of entries) {
      remaining -= weight;
      if (remaining < 0) return value;
    }
    // Rounding can leave a sliver after the last entry; it belongs to the last entry with any weight.
    const last = entries.findLast(([, weight]) => weight > 0);
    return (last as readonly [T, number])[0];
  };

  const chars = (alphabet: string, length: number) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet.charAt(int(0, alphabet.length - 1));
    return out;
  };

  const uuid = () => {
    const hex = chars(HEX, 32).split('');
    hex[12] = '4';
    // The variant nibble is 10xx in binary: one of 8, 9, a, b.
    hex[16] = '89ab'.charAt(int(0, 3));
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  return { float, int, chance: (p) => float() < p, pick, weighted, chars, uuid };
}
