import {
  addressHexRange,
  blockHexRange,
  type CidrBlock,
  type HexRange,
  hexRangeAccepts,
  parseIpAddress,
  toHex,
} from './cidr.js';
import {
  compileIgnoreCase,
  endsWithIgnoringCase,
  equalsIgnoringCase,
  startsWithIgnoringCase,
} from './ignore-case.js';
import { inRange, type NumericRange } from './numeric.js';
import { matchesWildcard } from './wildcard.js';

/** A leaf value of an event: what a matcher is asked about. Objects and arrays are walked, never matched. */
export type Scalar = string | number | boolean | null;
export type ValueTest = (value: Scalar) => boolean;

/*
 * Event Ruler compares a string value in its JSON-quoted form, `"text"`, and a prefix pattern as `"prefix` with no
 * closing quote (a suffix as `suffix"`). Two things follow, both kept here:
 * - prefix and suffix patterns only ever match strings;
 * - a prefix ending in `"` also matches the string without that quote (`{"prefix": "ab\""}` matches `"ab"`), and a
 *   suffix starting with `"` likewise. Testing `value + '"'` (or `'"' + value`) reproduces that exactly; it is only
 *   needed when the pattern holds a quote.
 */
const quotedEnd = (pattern: string, value: string): string => (pattern.includes('"') ? `${value}"` : value);
const quotedStart = (pattern: string, value: string): string => (pattern.includes('"') ? `"${value}` : value);

export function exactValues(
  strings: ReadonlySet<string>,
  numbers: ReadonlySet<number>,
  literals: ReadonlySet<Scalar>,
): ValueTest {
  return (value) => {
    if (typeof value === 'string') return strings.has(value);
    if (typeof value === 'number') return numbers.has(value);
    return literals.has(value);
  };
}

export function prefix(pattern: string): ValueTest {
  return (value) => typeof value === 'string' && quotedEnd(pattern, value).startsWith(pattern);
}

export function suffix(pattern: string): ValueTest {
  return (value) => typeof value === 'string' && quotedStart(pattern, value).endsWith(pattern);
}

export function equalsIgnoreCase(pattern: string): ValueTest {
  const compiled = compileIgnoreCase(pattern);
  return (value) => typeof value === 'string' && equalsIgnoringCase(compiled, value);
}

export function prefixIgnoreCase(pattern: string): ValueTest {
  const compiled = compileIgnoreCase(pattern);
  return (value) => typeof value === 'string' && startsWithIgnoringCase(compiled, quotedEnd(pattern, value));
}

export function suffixIgnoreCase(pattern: string): ValueTest {
  const compiled = compileIgnoreCase(pattern);
  return (value) => typeof value === 'string' && endsWithIgnoringCase(compiled, quotedStart(pattern, value));
}

export function wildcard(parts: readonly string[]): ValueTest {
  return (value) => typeof value === 'string' && matchesWildcard(parts, value);
}

/** Numeric comparisons apply to JSON numbers only: the string "5" is not a number. */
export function numeric(range: NumericRange): ValueTest {
  return (value) => typeof value === 'number' && Number.isFinite(value) && inRange(range, value);
}

/**
 * A plain string that is an IP address is compared as an address: `"10.0.0.1"` also matches `"::ffff:a00:1"`.
 * Addresses are matched the way Ruler does it, through hexRangeAccepts (cidr.ts). `numbersAsText`: the field has no
 * numeric pattern, so Ruler also walks the text of numbers through the range.
 */
export function ipAddress(address: Uint8Array, numbersAsText: boolean): ValueTest {
  return addressTest(addressHexRange(address), numbersAsText);
}

export function cidr(block: CidrBlock, numbersAsText: boolean): ValueTest {
  return addressTest(blockHexRange(block), numbersAsText);
}

function addressTest(range: HexRange, numbersAsText: boolean): ValueTest {
  return (value) => {
    if (typeof value === 'number') return numbersAsText && hexRangeAccepts(range, String(value));
    if (typeof value !== 'string') return false;
    const address = parseIpAddress(value);
    return address !== null && hexRangeAccepts(range, toHex(address));
  };
}

/**
 * Another Ruler artefact, reproduced: in a field with an address pattern, Ruler also compares an IP string's hex
 * digits against the field's exact number patterns as text, so `["10.0.0.1", 10000000]` matches `"16.0.0.0"`
 * (hex 10000000). Only number texts of 8 or 32 hex digits can take part.
 */
export function addressDigits(text: string): ValueTest {
  return (value) => {
    if (typeof value !== 'string') return false;
    const address = parseIpAddress(value);
    return address !== null && toHex(address) === text;
  };
}

export function exists(): ValueTest {
  return () => true;
}

/*
 * anything-but (eb-create-pattern-operators, "Anything-but matching"): a value matches unless it is one of the
 * excluded ones. The exclusions only ever apply to values of their own type, so anything-but a string matches every
 * number, boolean and null, and anything-but a number matches every string. A missing field is not a value and never
 * matches. In an array, one value that is not excluded is enough.
 */
export function anythingButStrings(excluded: ReadonlySet<string>): ValueTest {
  return (value) => typeof value !== 'string' || !excluded.has(value);
}

export function anythingButNumbers(excluded: ReadonlySet<number>): ValueTest {
  return (value) => typeof value !== 'number' || !excluded.has(value);
}

/** anything-but with prefix, suffix, equals-ignore-case or wildcard: excluded when one of the string tests holds. */
export function anythingButAny(tests: readonly ValueTest[]): ValueTest {
  return (value) => {
    for (const test of tests) if (test(value)) return false;
    return true;
  };
}

/** One leaf array: a value matches when any of its entries does. */
export function anyOf(tests: readonly ValueTest[]): ValueTest {
  if (tests.length === 1 && tests[0] !== undefined) return tests[0];
  return (value) => {
    for (const test of tests) if (test(value)) return true;
    return false;
  };
}
