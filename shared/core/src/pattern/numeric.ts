import type { JsonNode } from './json-tree.js';

/**
 * `numeric` matching (EventBridge User Guide, eb-create-pattern-operators, "Numeric matching"; Event Ruler README,
 * "Numeric matching"). Event Ruler 2.x compares numbers as IEEE 754 doubles over the whole double range; the older
 * limits in the User Guide (±1e9 or ±5e9, six decimals) came from Ruler 1.x and are not applied. A pattern number must
 * be exactly a double: Ruler parses it as a decimal and refuses it if the double it rounds to is a different number
 * (`0.1` is fine, since it is the shortest spelling of its double; `0.10000000000000001` or `1e400` are refused).
 */
export interface NumericRange {
  readonly low: number;
  readonly lowOpen: boolean;
  readonly high: number;
  readonly highOpen: boolean;
}

export type NumericParse = { ok: true; range: NumericRange } | { ok: false; error: string };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A decimal in lowest terms, `digits × 10^exponent`, or `0`; for comparing two spellings of a number. */
function canonicalDecimal(text: string): string | null {
  const match = DECIMAL.exec(text);
  if (match === null) return null;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let power = Number(exponent) - fraction.length;
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailingZeros);
  power += trailingZeros;
  return `${sign}${digits}e${power}`;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The decimal Java's `Double.toString` gives (JDK 19 and later): the shortest that rounds to the double, but with at
 * least two digits, so when the shortest has one digit the closest two-digit decimal is taken. That only changes the
 * value for tiny subnormals: `Number.MIN_VALUE` is "4.9E-324" in Java, "5e-324" in JavaScript.
 */
function javaDecimal(value: number): string | null {
  const shortest = canonicalDecimal(String(value));
  if (shortest === null || Math.abs(value) >= MIN_NORMAL || !/^-?\de/.test(shortest)) return shortest;
  const units = BigInt(Math.abs(value) / Number.MIN_VALUE); // value = units × 2^-1074, exactly
  let decade = Math.floor(Math.log10(Math.abs(value)));
  for (;;) {
    const scale = 10n ** BigInt(1 - decade); // 1 - decade > 0 for subnormals
    const numerator = units * scale;
    const denominator = 1n << 1074n;
    let digits = numerator / denominator;
    const twice = (numerator % denominator) * 2n;
    if (twice > denominator || (twice === denominator && digits % 2n === 1n)) digits += 1n;
    if (digits >= 100n) decade += 1;
    else if (digits < 10n) decade -= 1;
    else return canonicalDecimal(`${value < 0 ? '-' : ''}${digits}e${decade - 1}`);
  }
}

/**
 * Whether the decimal `text` is exactly the double it parses to: Ruler parses it as a BigDecimal and refuses it unless
 * it equals `BigDecimal.valueOf(double)`, which is Java's `Double.toString` of that double.
 */
export function isExactDouble(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  const exact = canonicalDecimal(text);
  return exact !== null && exact === javaDecimal(value);
}

export function inRange(range: NumericRange, value: number): boolean {
  if (range.lowOpen ? !(value > range.low) : !(value >= range.low)) return false;
  return range.highOpen ? value < range.high : value <= range.high;
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);
const FORMS =
  'the forms are [op, n] with op one of "=", "<", "<=", ">", ">=", and [">" or ">=", n, "<" or "<=", m]';

function operand(node: JsonNode | undefined, operator: string): { value: number } | { error: string } {
  if (node?.kind !== 'number') return { error: `the value after "${operator}" must be a number` };
  if (!isExactDouble(node.text)) {
    return { error: `${node.text} cannot be compared exactly: it is not a 64-bit floating-point number` };
  }
  return { value: node.value };
}

/** Reads the array of a `{"numeric": [...]}` expression. */
export function parseNumericOperands(items: readonly JsonNode[]): NumericParse {
  const first = items[0];
  if (first?.kind !== 'string') return { ok: false, error: `must start with an operator; ${FORMS}` };
  const operator = first.value;
  if (operator !== '=' && !LOWER.has(operator) && !UPPER.has(operator)) {
    return { ok: false, error: `has an unknown operator "${operator}"; ${FORMS}` };
  }
  const bound = operand(items[1], operator);
  if ('error' in bound) return { ok: false, error: bound.error };
  const value = bound.value;
  if (items.length === 2) {
    if (operator === '=')
      return { ok: true, range: { low: value, lowOpen: false, high: value, highOpen: false } };
    if (LOWER.has(operator)) {
      return { ok: true, range: { low: value, lowOpen: operator === '>', high: Infinity, highOpen: false } };
    }
    return { ok: true, range: { low: -Infinity, lowOpen: false, high: value, highOpen: operator === '<' } };
  }
  if (!LOWER.has(operator)) return { ok: false, error: `has too many elements; ${FORMS}` };
  const second = items[2];
  if (second?.kind !== 'string' || !UPPER.has(second.value)) {
    return { ok: false, error: `after a lower bound expects "<" or "<="; ${FORMS}` };
  }
  const top = operand(items[3], second.value);
  if ('error' in top) return { ok: false, error: top.error };
  if (items.length > 4) return { ok: false, error: `has too many elements; ${FORMS}` };
  // Ruler compares the bounds themselves, whatever the operators: an equal pair is refused even as [">=", n, "<=", n].
  if (!(value < top.value)) {
    return {
      ok: false,
      error: `has a lower bound ${value} that is not less than its upper bound ${top.value}`,
    };
  }
  return {
    ok: true,
    range: { low: value, lowOpen: operator === '>', high: top.value, highOpen: second.value === '<' },
  };
}
