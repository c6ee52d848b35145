import { compileAnythingBut, type OperatorOptions, type Report } from './anything-but.js';
import { parseCidr, parseIpAddress } from './cidr.js';
import type { JsonNode } from './json-tree.js';
import {
  addressDigits,
  anyOf,
  cidr,
  equalsIgnoreCase,
  exactValues,
  exists,
  ipAddress,
  numeric,
  prefix,
  prefixIgnoreCase,
  type Scalar,
  suffix,
  suffixIgnoreCase,
  type ValueTest,
  wildcard,
} from './matchers.js';
import { isExactDouble, parseNumericOperands } from './numeric.js';
import type { PatternLocation } from './paths.js';
import { parseWildcard } from './wildcard.js';

/** What one field of a pattern asks: some value matching `test`, or (with `{"exists": false}`) no value at all. */
export interface Leaf {
  readonly test: ValueTest | null;
  readonly absent: boolean;
}

type ObjectNode = Extract<JsonNode, { kind: 'object' }>;
type Entry = ValueTest | 'absent' | null;

interface LeafContext {
  readonly options: OperatorOptions;
  readonly report: Report;
  /** No entry of the field is numeric, so Ruler reads numbers as text (see hexRangeAccepts in cidr.ts). */
  readonly numbersAsText: boolean;
}

const HEX_ADDRESS = /^(?:[0-9A-F]{8}|[0-9A-F]{32})$/;

/** Whether an entry is compared as an IP address: an address string, or a cidr block. */
function isAddressEntry(item: JsonNode): boolean {
  if (item.kind === 'string') return parseIpAddress(item.value) !== null;
  return item.kind === 'object' && item.entries.length === 1 && item.entries[0]?.[0] === 'cidr';
}

/**
 * What Ruler's matcher for a field holds, which changes how it reads values (see cidr.ts): a numeric pattern makes it
 * read numbers as numbers; an address pattern makes it also read IP strings as hex digits. `$or` alternatives can
 * share one matcher per field in Ruler; sharing.ts gathers the traits over those that do.
 */
export interface FieldTraits {
  readonly numeric: boolean;
  readonly address: boolean;
}

export function leafTraits(items: readonly JsonNode[]): FieldTraits {
  return { numeric: items.some(isNumericEntry), address: items.some(isAddressEntry) };
}

/** Whether an entry gives Ruler's matcher for the field a numeric pattern (an exact double, numeric, anything-but). */
function isNumericEntry(item: JsonNode): boolean {
  if (item.kind === 'number') return isExactDouble(item.text);
  if (item.kind !== 'object' || item.entries.length !== 1) return false;
  const [name, value] = item.entries[0] ?? ['', item];
  if (name === 'numeric') return true;
  if (name !== 'anything-but') return false;
  return value.kind === 'number' || (value.kind === 'array' && value.items.some((v) => v.kind === 'number'));
}

/** `exactly` is Event Ruler's own spelling of an exact string match; unlike a plain string it is never an IP. */
const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'cidr',
  'exists',
  'exactly',
];

function expectString(node: JsonNode, location: PatternLocation, report: Report): string | null {
  if (node.kind === 'string') return node.value;
  report(location, 'must be a string');
  return null;
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function affix(kind: 'prefix' | 'suffix', node: JsonNode, location: PatternLocation, report: Report): Entry {
  if (node.kind === 'string') return kind === 'prefix' ? prefix(node.value) : suffix(node.value);
  if (node.kind !== 'object') {
    report(location, 'must be a string or {"equals-ignore-case": "..."}');
    return null;
  }
  const [first, ...others] = node.entries;
  if (first === undefined || first[0] !== 'equals-ignore-case' || others.length > 0) {
    report(location, `as an object must have exactly one key, "equals-ignore-case"`);
    return null;
  }
  const text = expectString(first[1], [...location, first[0]], report);
  if (text === null) return null;
  return kind === 'prefix' ? prefixIgnoreCase(text) : suffixIgnoreCase(text);
}

function operatorEntry(name: string, node: JsonNode, location: PatternLocation, context: LeafContext): Entry {
  const { options, report } = context;
  switch (name) {
    case 'prefix':
    case 'suffix':
      return affix(name, node, location, report);
    case 'exactly': {
      const text = expectString(node, location, report);
      return text === null ? null : (value) => value === text;
    }
    case 'equals-ignore-case': {
      const text = expectString(node, location, report);
      return text === null ? null : equalsIgnoreCase(text);
    }
    case 'wildcard': {
      const text = expectString(node, location, report);
      if (text === null) return null;
      const parsed = parseWildcard(text);
      if (parsed.ok) return wildcard(parsed.parts);
      report(location, `"${text}" ${parsed.error}`);
      return null;
    }
    case 'numeric': {
      if (node.kind !== 'array') {
        report(location, 'must be an array such as [">", 0, "<=", 5]');
        return null;
      }
      const parsed = parseNumericOperands(node.items);
      if (parsed.ok) return numeric(parsed.range);
      report(location, parsed.error);
      return null;
    }
    case 'cidr': {
      const text = expectString(node, location, report);
      if (text === null) return null;
      const parsed = parseCidr(text);
      if (parsed.ok) return cidr(parsed.block, context.numbersAsText);
      report(location, parsed.error);
      return null;
    }
    case 'exists':
      if (node.kind === 'boolean') return node.value ? exists() : 'absent';
      report(location, 'must be true or false');
      return null;
    case 'anything-but':
      return compileAnythingBut(node, location, options, report);
    default:
      report(
        location,
        `is not an operator; the operators are ${OPERATORS.map((op) => `"${op}"`).join(', ')}`,
      );
      return null;
  }
}

function matchExpression(node: ObjectNode, location: PatternLocation, context: LeafContext): Entry {
  const { report } = context;
  const [first, ...others] = node.entries;
  if (first === undefined) {
    report(location, 'is an empty object; an operator object has exactly one key, such as "prefix"');
    return null;
  }
  if (others.length > 0) {
    const keys = node.entries.map(([key]) => `"${key}"`).join(', ');
    report(location, `has the keys ${keys}; an operator object has exactly one key`);
    return null;
  }
  return operatorEntry(first[0], first[1], [...location, first[0]], context);
}

/**
 * A pattern leaf: the array of what a field may be. Strings, numbers, true, false and null match themselves (a number
 * matches any spelling of the same value: 300 matches 3.0e2, as in Ruler); objects are operators. A plain string that
 * is an IP address is compared as an address, as Ruler does.
 */
export function compileLeaf(
  items: readonly JsonNode[],
  location: PatternLocation,
  options: OperatorOptions,
  report: Report,
  traits: FieldTraits = leafTraits(items),
): Leaf | null {
  if (items.length === 0) {
    report(location, 'is an empty array; a field needs at least one value to match');
    return null;
  }
  const context: LeafContext = { options, report, numbersAsText: !traits.numeric };
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<Scalar>();
  const tests: ValueTest[] = [];
  let absent = false;
  let failed = false;
  for (const [index, item] of items.entries()) {
    switch (item.kind) {
      case 'string': {
        const address = parseIpAddress(item.value);
        if (address === null) strings.add(item.value);
        else tests.push(ipAddress(address, context.numbersAsText));
        break;
      }
      case 'number':
        numbers.add(item.value);
        if (traits.address && HEX_ADDRESS.test(item.text)) tests.push(addressDigits(item.text));
        break;
      case 'boolean':
        literals.add(item.value);
        break;
      case 'null':
        literals.add(null);
        break;
      case 'object': {
        const entry = matchExpression(item, [...location, index], context);
        if (entry === 'absent') absent = true;
        else if (entry === null) failed = true;
        else tests.push(entry);
        break;
      }
      case 'array':
        report(
          [...location, index],
          'is an array; a value must be a string, number, true, false, null or an operator',
        );
        failed = true;
        break;
    }
  }
  if (failed) return null;
  if (strings.size + numbers.size + literals.size > 0) tests.unshift(exactValues(strings, numbers, literals));
  return { test: tests.length > 0 ? anyOf(tests) : null, absent };
}
