import {
  type Bits,
  formatIpv4,
  formatIpv6,
  formatIpv6Randomly,
  inside,
  outside,
  randomIpv4,
  randomIpv6,
} from './addresses.js';
import { CASE_TRAPS, mutate, near, number, type Random, recase, text } from './random.js';

/** Marks a field the event should not have. */
export const MISSING: unique symbol = Symbol('missing');
export type EventValue = unknown;

/**
 * One condition of a pattern's value array, with ways to make event values for it. `hit` aims at a value the
 * condition accepts and `miss` at one it refuses; they only steer the mix towards half matching: Event Ruler is
 * the judge of what actually matches.
 */
export interface Leaf {
  condition: unknown;
  hit(): EventValue;
  miss(): EventValue;
  /** A sub-case worth naming in the report (e.g. `unicode-case`). */
  note?: string;
}

export const LEAF_OPERATORS = [
  'exact-string',
  'exact-number',
  'exact-boolean',
  'exact-null',
  'empty-string',
  'prefix',
  'prefix-ignore-case',
  'suffix',
  'suffix-ignore-case',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'anything-but-list',
  'anything-but-number',
  'anything-but-prefix',
  'anything-but-suffix',
  'anything-but-ignore-case',
  'anything-but-wildcard',
  'numeric-eq',
  'numeric-lt',
  'numeric-le',
  'numeric-gt',
  'numeric-ge',
  'numeric-range',
  'cidr-v4',
  'cidr-v6',
  'exists-true',
  'exists-false',
] as const;
export type LeafOperator = (typeof LEAF_OPERATORS)[number];

/** Values of another type than a string: what a string condition must refuse. */
function nonString(r: Random): EventValue {
  return r.pick<EventValue>([number(r), true, false, null, { nested: text(r) }, []]);
}

function stringOr(r: Random, preferred: () => string): EventValue {
  return r.chance(0.85) ? preferred() : nonString(r);
}

/** A string for case-insensitive operators; now and then built from letters with irregular case mappings. */
function caseText(r: Random): { value: string; note?: string } {
  if (!r.chance(0.08)) return { value: text(r, 1, 7) };
  const parts = Array.from({ length: r.int(1, 3) }, () => r.pick(CASE_TRAPS));
  if (r.chance(0.5)) parts.push(text(r, 1, 3));
  return { value: r.sample(parts, parts.length).join(''), note: 'unicode-case' };
}

// A wildcard pattern is a list of literal runs and `*`s; literal `*` and `\` are escaped with a backslash.
type WildcardPart = { star: true } | { star: false; literal: string };

function wildcardParts(r: Random): WildcardPart[] {
  const parts: WildcardPart[] = [];
  const count = r.int(1, 4);
  for (let i = 0; i < count; i++) {
    const previous = parts.at(-1);
    if (previous && !previous.star) parts.push({ star: true });
    else if (previous?.star || r.chance(0.5)) {
      const literal = r.chance(0.15)
        ? `${text(r, 0, 2)}${r.pick(['*', '\\'])}${text(r, 0, 2)}`
        : text(r, 1, 4);
      parts.push({ star: false, literal });
    } else parts.push({ star: true });
  }
  return parts;
}

function wildcardLeaf(r: Random): { pattern: string; hit(): string; miss(): string } {
  const parts = wildcardParts(r);
  const pattern = parts.map((part) => (part.star ? '*' : part.literal.replace(/[\\*]/g, '\\$&'))).join('');
  const fill = () =>
    parts.map((part) => (part.star ? (r.chance(0.3) ? '' : text(r, 1, 4)) : part.literal)).join('');
  const miss = () => {
    const literals = parts.filter((part) => !part.star);
    if (literals.length === 0) return r.chance(0.5) ? '' : text(r); // all stars: everything matches
    const target = r.pick(literals);
    return parts
      .map((part) =>
        part.star
          ? r.chance(0.5)
            ? ''
            : text(r, 1, 3)
          : part === target
            ? mutate(r, part.literal)
            : part.literal,
      )
      .join('');
  };
  return { pattern, hit: fill, miss };
}

function listOrSingle<T>(r: Random, make: () => T): T | T[] {
  return r.chance(0.5) ? make() : Array.from({ length: r.int(1, 3) }, make);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function numericLeaf(r: Random, operator: string): Leaf {
  const bound = number(r);
  return {
    condition: { numeric: [operator, bound] },
    hit: () => (r.chance(0.9) ? near(r, bound) : String(bound)),
    miss: () => (r.chance(0.85) ? near(r, bound) : r.pick<EventValue>([String(bound), MISSING, null, true])),
  };
}

function numericRangeLeaf(r: Random): Leaf {
  let low = number(r);
  let high = r.chance(0.5) ? near(r, low) : number(r);
  if (low === high) high = low + 1;
  if (low > high) [low, high] = [high, low];
  const bottom = r.pick(['>', '>=']);
  const top = r.pick(['<', '<=']);
  const inRange = () => {
    const value = Number((low + (high - low) * r.next()).toFixed(2));
    return value > low && value < high ? value : r.pick([low, high]);
  };
  return {
    condition: { numeric: [bottom, low, top, high] },
    hit: () => (r.chance(0.7) ? inRange() : near(r, r.pick([low, high]))),
    miss: () => (r.chance(0.7) ? near(r, r.pick([low, high])) : r.pick<EventValue>([number(r), String(low)])),
  };
}

function cidrLeaf(r: Random, version: 4 | 6): Leaf {
  const width = version === 4 ? 32 : 128;
  const base: Bits = version === 4 ? randomIpv4(r) : randomIpv6(r);
  // Event Ruler refuses /32 and /128; those are in the invalid slice.
  const mask = r.chance(0.1) ? r.pick([0, 1, width - 1]) : r.int(1, width - 1);
  const show = (bits: Bits) => (version === 4 ? formatIpv4(bits) : formatIpv6Randomly(r, bits));
  const written =
    version === 4 ? formatIpv4(base) : formatIpv6(base, r.pick(['compressed', 'full'] as const));
  return {
    condition: { cidr: `${written}/${mask}` },
    hit: () => show(inside(r, base, mask)),
    miss: () => {
      const out = outside(r, base, mask);
      if (out && r.chance(0.85)) return show(out);
      return r.pick<EventValue>([
        text(r),
        version === 4 ? formatIpv6(randomIpv6(r), 'compressed') : formatIpv4(randomIpv4(r)),
      ]);
    },
  };
}

const MAKERS: Record<LeafOperator, (r: Random) => Leaf> = {
  'exact-string': (r) => {
    const value = text(r);
    return {
      condition: value,
      hit: () => value,
      miss: () => stringOr(r, () => (r.chance(0.5) ? mutate(r, value) : recase(r, value))),
    };
  },
  'exact-number': (r) => {
    const value = number(r);
    return {
      condition: value,
      hit: () => value,
      miss: () => (r.chance(0.7) ? near(r, value) : String(value)),
    };
  },
  'exact-boolean': (r) => {
    const value = r.chance(0.5);
    return {
      condition: value,
      hit: () => value,
      miss: () => r.pick<EventValue>([!value, String(value), 1, 0, null]),
    };
  },
  'exact-null': (r) => ({
    condition: null,
    hit: () => null,
    miss: () => r.pick<EventValue>(['null', '', MISSING, 0, false, {}, []]),
  }),
  'empty-string': (r) => ({
    condition: '',
    hit: () => '',
    miss: () => r.pick<EventValue>([null, ' ', MISSING, 0, '""', text(r)]),
  }),
  prefix: (r) => {
    const prefix = r.chance(0.06) ? '' : text(r, 1, 4);
    return {
      condition: { prefix },
      hit: () => prefix + (r.chance(0.2) ? '' : text(r, 1, 5)),
      miss: () =>
        stringOr(r, () =>
          r.chance(0.6) ? mutate(r, prefix) + text(r, 0, 3) : recase(r, prefix) + text(r, 0, 3),
        ),
    };
  },
  'prefix-ignore-case': (r) => {
    const { value, note } = caseText(r);
    return {
      condition: { prefix: { 'equals-ignore-case': value } },
      hit: () => recase(r, value) + (r.chance(0.3) ? '' : text(r, 1, 4)),
      miss: () => stringOr(r, () => mutate(r, value) + text(r, 0, 3)),
      ...(note ? { note } : {}),
    };
  },
  suffix: (r) => {
    const suffix = r.chance(0.06) ? '' : text(r, 1, 4);
    return {
      condition: { suffix },
      hit: () => (r.chance(0.2) ? '' : text(r, 1, 5)) + suffix,
      miss: () => stringOr(r, () => text(r, 0, 3) + (r.chance(0.6) ? mutate(r, suffix) : recase(r, suffix))),
    };
  },
  'suffix-ignore-case': (r) => {
    const { value, note } = caseText(r);
    return {
      condition: { suffix: { 'equals-ignore-case': value } },
      hit: () => (r.chance(0.3) ? '' : text(r, 1, 4)) + recase(r, value),
      miss: () => stringOr(r, () => text(r, 0, 3) + mutate(r, value)),
      ...(note ? { note } : {}),
    };
  },
  'equals-ignore-case': (r) => {
    const { value, note } = r.chance(0.04) ? { value: '', note: 'empty' } : caseText(r);
    return {
      condition: { 'equals-ignore-case': value },
      hit: () => recase(r, value),
      miss: () => stringOr(r, () => mutate(r, value)),
      ...(note ? { note } : {}),
    };
  },
  wildcard: (r) => {
    const wildcard = wildcardLeaf(r);
    return {
      condition: { wildcard: wildcard.pattern },
      hit: wildcard.hit,
      miss: () => stringOr(r, wildcard.miss),
    };
  },
  'anything-but': (r) => {
    const value = r.chance(0.1) ? '' : text(r);
    return {
      condition: { 'anything-but': value },
      hit: () => (r.chance(0.8) ? mutate(r, value) : nonString(r)),
      miss: () => (r.chance(0.85) ? value : MISSING),
    };
  },
  'anything-but-list': (r) => {
    const values = Array.from({ length: r.int(1, 4) }, () => text(r));
    return {
      condition: { 'anything-but': values },
      hit: () => (r.chance(0.8) ? mutate(r, r.pick(values)) : nonString(r)),
      miss: () => (r.chance(0.9) ? r.pick(values) : MISSING),
    };
  },
  'anything-but-number': (r) => {
    const values = listOrSingle(r, () => number(r));
    const all = asList(values);
    return {
      condition: { 'anything-but': values },
      hit: () =>
        r.chance(0.8) ? near(r, r.pick(all)) : r.pick<EventValue>([String(r.pick(all)), text(r), null]),
      miss: () => r.pick(all),
    };
  },
  'anything-but-prefix': (r) => {
    const prefixes = listOrSingle(r, () => text(r, 1, 3));
    const all = asList(prefixes);
    return {
      condition: { 'anything-but': { prefix: prefixes } },
      hit: () => (r.chance(0.85) ? mutate(r, r.pick(all)) + text(r, 0, 2) : nonString(r)),
      miss: () => r.pick(all) + text(r, 0, 3),
    };
  },
  'anything-but-suffix': (r) => {
    const suffixes = listOrSingle(r, () => text(r, 1, 3));
    const all = asList(suffixes);
    return {
      condition: { 'anything-but': { suffix: suffixes } },
      hit: () => (r.chance(0.85) ? text(r, 0, 2) + mutate(r, r.pick(all)) : nonString(r)),
      miss: () => text(r, 0, 3) + r.pick(all),
    };
  },
  'anything-but-ignore-case': (r) => {
    const made: { value: string; note?: string }[] = [];
    const values = listOrSingle(r, () => {
      const one = caseText(r);
      made.push(one);
      return one.value;
    });
    const all = asList(values);
    return {
      condition: { 'anything-but': { 'equals-ignore-case': values } },
      hit: () => (r.chance(0.85) ? mutate(r, r.pick(all)) : nonString(r)),
      miss: () => recase(r, r.pick(all)),
      ...(made.some((one) => one.note) ? { note: 'unicode-case' } : {}),
    };
  },
  'anything-but-wildcard': (r) => {
    const wildcards = Array.from({ length: r.int(1, 2) }, () => wildcardLeaf(r));
    const patterns = wildcards.map((wildcard) => wildcard.pattern);
    return {
      condition: {
        'anything-but': { wildcard: patterns.length === 1 && r.chance(0.5) ? patterns[0] : patterns },
      },
      hit: () => (r.chance(0.85) ? r.pick(wildcards).miss() : nonString(r)),
      miss: () => r.pick(wildcards).hit(),
    };
  },
  'numeric-eq': (r) => numericLeaf(r, '='),
  'numeric-lt': (r) => numericLeaf(r, '<'),
  'numeric-le': (r) => numericLeaf(r, '<='),
  'numeric-gt': (r) => numericLeaf(r, '>'),
  'numeric-ge': (r) => numericLeaf(r, '>='),
  'numeric-range': numericRangeLeaf,
  'cidr-v4': (r) => cidrLeaf(r, 4),
  'cidr-v6': (r) => cidrLeaf(r, 6),
  'exists-true': (r) => ({
    condition: { exists: true },
    hit: () => r.pick<EventValue>([text(r), number(r), null, true, '', [text(r)]]),
    miss: () => r.pick<EventValue>([MISSING, MISSING, { inner: text(r) }, []]),
  }),
  'exists-false': (r) => ({
    condition: { exists: false },
    hit: () => r.pick<EventValue>([MISSING, MISSING, {}, { inner: text(r) }, []]),
    miss: () => r.pick<EventValue>([text(r), number(r), null, false, '', [null]]),
  }),
};

export function makeLeaf(r: Random, operator: LeafOperator): Leaf {
  return MAKERS[operator](r);
}
