/** A small seeded generator (mulberry32): the same seed gives the same pairs on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]; exact for ranges up to 2^53. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, count);
  }
}

// Strings never hold `"` (Event Ruler builds matchers by gluing quotes onto the raw text, so a quote inside a value
// produces artefacts no EventBridge user relies on) nor control characters.
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const PUNCT = ['-', '_', '/', '.', ':', ' ', '@', '+', '=', ',', '*', '\\', '?', '(', ']'];
const UNICODE = ['é', 'É', 'ü', 'Ñ', 'ø', '日', '本', 'Ω', 'ж', '🙂', '€'];

// Strings shaped like IP addresses are special in Event Ruler (an IPv4-shaped string that is not a valid address
// may even send Java to DNS). Random strings avoid both shapes; the CIDR cases make their own addresses.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export function isIpShaped(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

function character(r: Random): string {
  const roll = r.next();
  if (roll < 0.62) return r.pick([...LOWER]);
  if (roll < 0.77) return r.pick([...DIGITS]);
  if (roll < 0.87) return r.pick([...LOWER]).toUpperCase();
  if (roll < 0.96) return r.pick(PUNCT);
  return r.pick(UNICODE);
}

/** A random string of `min`..`max` code points that does not look like an IP address. */
export function text(r: Random, min = 1, max = 8): string {
  for (;;) {
    const length = r.int(min, max);
    let out = '';
    for (let i = 0; i < length; i++) out += character(r);
    if (!isIpShaped(out)) return out;
  }
}

export function codePoints(value: string): string[] {
  return Array.from(value);
}

/** Changes one code point, inserts or deletes one: a near miss. Never returns the input. */
export function mutate(r: Random, value: string): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const points = codePoints(value);
    const at = r.int(0, points.length);
    const roll = r.int(0, 2);
    if (roll === 0 || points.length === 0) points.splice(at, 0, character(r));
    else if (roll === 1) points.splice(Math.min(at, points.length - 1), 1);
    else points.splice(Math.min(at, points.length - 1), 1, character(r));
    const out = points.join('');
    if (out !== value && !isIpShaped(out)) return out;
  }
  return `${value}~`;
}

/** Each code point as itself, its lower case or its upper case: what a case-insensitive match should accept. */
export function recase(r: Random, value: string): string {
  return codePoints(value)
    .map((point) => r.pick([point, point.toLowerCase(), point.toUpperCase()]))
    .join('');
}

/** Letters whose case mappings are not one-to-one (Kelvin sign, long s, final sigma, sharp s, dotted I...). */
export const CASE_TRAPS = [
  'K',
  'k',
  'ſ',
  's',
  'S',
  'ς',
  'σ',
  'Σ',
  'ß',
  'SS',
  'İ',
  'i',
  'ı',
  'I',
  'ǅ',
  'ǆ',
  'Ǆ',
];

// Numbers stay where a double holds them exactly as written: at most 13 significant digits, |x| <= 5e9.
function roundFor(value: number): number {
  const decimals = Math.abs(value) >= 1e6 ? 2 : 6;
  const rounded = Number(value.toFixed(decimals));
  return Object.is(rounded, -0) ? 0 : rounded;
}

const LANDMARKS = [
  0,
  1,
  -1,
  0.5,
  -0.5,
  100,
  301.8,
  5e9,
  -5e9,
  4_999_999_999.99,
  1e-6,
  -1e-6,
  65_535,
  2 ** 31,
];

export function number(r: Random): number {
  switch (r.int(0, 5)) {
    case 0:
      return r.int(-10, 10);
    case 1:
      return r.int(-1000, 1000);
    case 2:
      return r.int(-5e9, 5e9);
    case 3:
      return roundFor(r.int(-1_000_000, 1_000_000) / 10 ** r.int(1, 3));
    case 4:
      return roundFor(r.int(-999_999, 999_999) / 1e6);
    default:
      return r.pick(LANDMARKS);
  }
}

/** A number near `value`: equal, a hair away, or far away. */
export function near(r: Random, value: number): number {
  const step = r.pick([0, 0, 1, 0.5, 0.001, 0.000001, 1000, 1e6]);
  const moved = roundFor(value + (r.chance(0.5) ? step : -step));
  return Math.max(-5e9, Math.min(5e9, moved));
}
