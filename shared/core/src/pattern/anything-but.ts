import type { JsonNode } from './json-tree.js';
import {
  anythingButAny,
  anythingButNumbers,
  anythingButStrings,
  equalsIgnoreCase,
  prefix,
  suffix,
  type ValueTest,
  wildcard,
} from './matchers.js';
import { isExactDouble } from './numeric.js';
import type { PatternLocation } from './paths.js';
import { parseWildcard } from './wildcard.js';

export type Report = (location: PatternLocation, message: string) => void;

export interface OperatorOptions {
  /**
   * Event Ruler's older compiler, which it falls back to when a pattern's `$or` is not a valid `$or`: it knows
   * anything-but only with a value or a list, `prefix`/`suffix` (one string) and `equals-ignore-case`.
   */
  readonly legacy: boolean;
}

type Modifier = 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard';
const MODIFIERS: readonly Modifier[] = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];
const LEGACY_MODIFIERS: readonly Modifier[] = ['prefix', 'suffix', 'equals-ignore-case'];

const quoteAll = (words: readonly string[]): string => words.map((word) => `"${word}"`).join(', ');

/** The strings an anything-but modifier applies to, or null once a problem is reported. */
function modifierValues(
  modifier: Modifier,
  node: JsonNode,
  location: PatternLocation,
  options: OperatorOptions,
  report: Report,
): string[] | null {
  const listAllowed = !options.legacy || modifier === 'equals-ignore-case';
  const expected = listAllowed ? 'a string or a non-empty array of strings' : 'a string';
  let values: string[];
  if (node.kind === 'string') values = [node.value];
  else if (node.kind === 'array' && listAllowed && node.items.every((item) => item.kind === 'string')) {
    values = node.items.map((item) => (item.kind === 'string' ? item.value : ''));
  } else {
    report(location, `must be ${expected}`);
    return null;
  }
  if (values.length === 0) {
    // Ruler accepts the empty list but then cannot add the rule (or never matches it): refused here.
    report(location, `must be ${expected}; an empty list would exclude nothing`);
    return null;
  }
  if ((modifier === 'prefix' || modifier === 'suffix') && values.includes('')) {
    report(location, `must not be an empty string: an empty ${modifier} would exclude every string`);
    return null;
  }
  return values;
}

function modifierTest(
  modifier: Modifier,
  value: string,
  location: PatternLocation,
  report: Report,
): ValueTest | null {
  switch (modifier) {
    case 'prefix':
      return prefix(value);
    case 'suffix':
      return suffix(value);
    case 'equals-ignore-case':
      return equalsIgnoreCase(value);
    case 'wildcard': {
      const parsed = parseWildcard(value);
      if (parsed.ok) return wildcard(parsed.parts);
      report(location, `wildcard "${value}" ${parsed.error}`);
      return null;
    }
  }
}

function compileModifier(
  node: Extract<JsonNode, { kind: 'object' }>,
  location: PatternLocation,
  options: OperatorOptions,
  report: Report,
): ValueTest | null {
  const allowed = options.legacy ? LEGACY_MODIFIERS : MODIFIERS;
  const [first, ...others] = node.entries;
  if (first === undefined || others.length > 0) {
    report(location, `must have exactly one key, one of ${quoteAll(allowed)}`);
    return null;
  }
  const [name, value] = first;
  const modifier = allowed.find((candidate) => candidate === name);
  if (modifier === undefined) {
    report(location, `has the unsupported key "${name}"; anything-but accepts ${quoteAll(allowed)}`);
    return null;
  }
  const here = [...location, name];
  const values = modifierValues(modifier, value, here, options, report);
  if (values === null) return null;
  const tests: ValueTest[] = [];
  for (const text of values) {
    const test = modifierTest(modifier, text, here, report);
    if (test === null) return null;
    tests.push(test);
  }
  return anythingButAny(tests);
}

function exactNumber(node: JsonNode, location: PatternLocation, report: Report): number | null {
  if (node.kind !== 'number') return null;
  if (isExactDouble(node.text)) return node.value;
  report(location, `${node.text} cannot be compared exactly: it is not a 64-bit floating-point number`);
  return null;
}

/** `{"anything-but": …}`: a string, a number, a list of only strings or only numbers, or a modifier object. */
export function compileAnythingBut(
  node: JsonNode,
  location: PatternLocation,
  options: OperatorOptions,
  report: Report,
): ValueTest | null {
  const shapes = 'a string, a number, a non-empty array of only strings or only numbers, or an object';
  switch (node.kind) {
    case 'object':
      return compileModifier(node, location, options, report);
    case 'string':
      return anythingButStrings(new Set([node.value]));
    case 'number': {
      const value = exactNumber(node, location, report);
      return value === null ? null : anythingButNumbers(new Set([value]));
    }
    case 'array': {
      const { items } = node;
      if (items.length > 0 && items.every((item) => item.kind === 'string')) {
        return anythingButStrings(new Set(items.map((item) => (item.kind === 'string' ? item.value : ''))));
      }
      if (items.length > 0 && items.every((item) => item.kind === 'number')) {
        const numbers = new Set<number>();
        for (const [index, item] of items.entries()) {
          const value = exactNumber(item, [...location, index], report);
          if (value === null) return null;
          numbers.add(value);
        }
        return anythingButNumbers(numbers);
      }
      report(
        location,
        `must be ${shapes}; a list may not be empty, mix strings and numbers, or hold other values`,
      );
      return null;
    }
    default:
      report(location, `must be ${shapes}, not ${node.kind === 'null' ? 'null' : 'a boolean'}`);
      return null;
  }
}
