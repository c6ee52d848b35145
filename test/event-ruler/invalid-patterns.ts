import type { Random } from './random.js';
import { text } from './random.js';

/**
 * Patterns that probe validation. Most are invalid; a few are valid corner cases an engine easily refuses by
 * mistake. Which is which is only our guess (`invalid` or `valid-edge`): Event Ruler decides.
 */
export interface ValidityProbe {
  name: string;
  expect: 'invalid' | 'valid-edge';
  /** A whole pattern, or a condition to put in some field's value array. */
  kind: 'pattern' | 'condition';
  make(r: Random): unknown;
  /** Event values worth trying against a condition, beside random ones. */
  values?: readonly unknown[];
}

const probe = (
  expect: ValidityProbe['expect'],
  kind: ValidityProbe['kind'],
  name: string,
  make: (r: Random) => unknown,
): ValidityProbe => ({ name, expect, kind, make });
const bad = (name: string, value: unknown) => probe('invalid', 'condition', name, () => value);
const badPattern = (name: string, make: (r: Random) => unknown) => probe('invalid', 'pattern', name, make);
const edge = (name: string, value: unknown, values?: readonly unknown[]): ValidityProbe => ({
  ...probe('valid-edge', 'condition', name, () => value),
  ...(values ? { values } : {}),
});

export const VALIDITY_PROBES: readonly ValidityProbe[] = [
  // The pattern's shape.
  badPattern('pattern is an array', (r) => [{ [text(r)]: ['x'] }]),
  badPattern('pattern is a string', (r) => text(r)),
  badPattern('pattern is a number', () => 5),
  badPattern('pattern is null', () => null),
  badPattern('empty pattern', () => ({})),
  badPattern('empty nested object', () => ({ detail: {} })),
  badPattern('leaf is a string', (r) => ({ source: text(r) })),
  badPattern('leaf is a number', () => ({ count: 5 })),
  badPattern('leaf is a boolean', () => ({ flag: true })),
  badPattern('leaf is null', () => ({ state: null })),
  badPattern('empty value array', () => ({ state: [] })),
  badPattern('nested empty value array', () => ({ detail: { state: [] } })),
  badPattern('$or empty', () => ({ $or: [] })),
  badPattern('$or with one branch', () => ({ $or: [{ state: ['x'] }] })),
  badPattern('$or branch not an object', () => ({ $or: [{ state: ['x'] }, 'y'] })),
  badPattern('$or branch empty', () => ({ $or: [{}, { state: ['x'] }] })),
  badPattern('$or branch with reserved name', () => ({ $or: [{ prefix: ['x'] }, { state: ['y'] }] })),
  badPattern('$or branch with numeric name', () => ({ $or: [{ numeric: ['>', 1] }, { state: ['y'] }] })),
  badPattern('$or branch leaf not an array', () => ({ $or: [{ state: ['x'] }, { name: { inner: 'y' } }] })),
  badPattern('$or branch empty value array', () => ({ $or: [{ state: ['x'] }, { name: [] }] })),
  probe('valid-edge', 'pattern', 'field named like an operator', () => ({ prefix: ['x'], numeric: [1] })),
  probe('valid-edge', 'pattern', 'field named exists', () => ({ exists: [{ exists: true }] })),
  probe('valid-edge', 'pattern', 'deep nesting', () => ({ a: { b: { c: { d: { e: ['x'] } } } } })),
  // Values and operators.
  bad('array inside value array', ['x']),
  bad('object inside value array', { nested: ['x'] }),
  bad('empty operator object', {}),
  bad('unknown operator regex', { regex: 'x.*' }),
  bad('unknown operator contains', { contains: 'x' }),
  bad('operator name in wrong case', { Prefix: 'x' }),
  bad('two operators in one object', { prefix: 'x', suffix: 'y' }),
  bad('exists beside prefix', { exists: true, prefix: 'x' }),
  bad('prefix on a number', { prefix: 5 }),
  bad('prefix on a boolean', { prefix: true }),
  bad('prefix on null', { prefix: null }),
  bad('prefix on an array', { prefix: ['x'] }),
  bad('prefix ignore-case on a number', { prefix: { 'equals-ignore-case': 5 } }),
  bad('prefix with unknown modifier', { prefix: { wildcard: 'x' } }),
  bad('prefix with empty modifier', { prefix: {} }),
  bad('suffix on a number', { suffix: 5 }),
  bad('suffix ignore-case on null', { suffix: { 'equals-ignore-case': null } }),
  bad('suffix with unknown modifier', { suffix: { prefix: 'x' } }),
  bad('equals-ignore-case on a number', { 'equals-ignore-case': 5 }),
  bad('equals-ignore-case on an array', { 'equals-ignore-case': ['x'] }),
  bad('wildcard on a number', { wildcard: 5 }),
  bad('wildcard with consecutive stars', { wildcard: 'a**b' }),
  bad('wildcard escaping a letter', { wildcard: 'a\\b' }),
  bad('wildcard with trailing backslash', { wildcard: 'ab\\' }),
  bad('anything-but empty list', { 'anything-but': [] }),
  bad('anything-but mixed list', { 'anything-but': ['a', 1] }),
  bad('anything-but null', { 'anything-but': null }),
  bad('anything-but boolean', { 'anything-but': true }),
  bad('anything-but list with null', { 'anything-but': [null] }),
  bad('anything-but list with boolean', { 'anything-but': ['a', false] }),
  bad('anything-but nested list', { 'anything-but': [['a']] }),
  bad('anything-but prefix on a number', { 'anything-but': { prefix: 5 } }),
  bad('anything-but empty prefix', { 'anything-but': { prefix: '' } }),
  bad('anything-but empty suffix', { 'anything-but': { suffix: '' } }),
  bad('anything-but prefix list with empty', { 'anything-but': { prefix: ['a', ''] } }),
  bad('anything-but unknown modifier', { 'anything-but': { contains: 'x' } }),
  bad('anything-but numeric', { 'anything-but': { numeric: ['>', 1] } }),
  bad('anything-but empty object', { 'anything-but': {} }),
  bad('anything-but two modifiers', { 'anything-but': { prefix: 'a', suffix: 'b' } }),
  bad('anything-but wildcard with consecutive stars', { 'anything-but': { wildcard: 'a**' } }),
  bad('anything-but ignore-case on a number', { 'anything-but': { 'equals-ignore-case': 5 } }),
  bad('anything-but ignore-case list with number', { 'anything-but': { 'equals-ignore-case': ['a', 5] } }),
  bad('numeric not an array', { numeric: 5 }),
  bad('numeric empty', { numeric: [] }),
  bad('numeric operand is a string', { numeric: ['=', '5'] }),
  bad('numeric operand missing', { numeric: ['<'] }),
  bad('numeric unknown operator', { numeric: ['!=', 5] }),
  bad('numeric == operator', { numeric: ['==', 5] }),
  bad('numeric =< operator', { numeric: ['=<', 5] }),
  bad('numeric two lower bounds', { numeric: ['>', 5, '>', 6] }),
  bad('numeric upper bound first', { numeric: ['<', 5, '>', 1] }),
  bad('numeric bounds reversed', { numeric: ['>', 10, '<', 5] }),
  bad('numeric empty open range', { numeric: ['>', 5, '<', 5] }),
  bad('numeric range with equal bounds', { numeric: ['>=', 5, '<=', 5] }),
  bad('numeric = with more terms', { numeric: ['=', 5, '<', 6] }),
  bad('numeric operand first', { numeric: [5, '>'] }),
  bad('numeric too many terms', { numeric: ['>=', 1, '<', 2, '<', 3] }),
  bad('numeric null operand', { numeric: ['>', null] }),
  bad('numeric boolean operand', { numeric: ['=', true] }),
  bad('exists string', { exists: 'true' }),
  bad('exists number', { exists: 1 }),
  bad('exists null', { exists: null }),
  bad('exists with a second key', { exists: true, extra: 1 }),
  bad('cidr on a number', { cidr: 5 }),
  bad('cidr without mask', { cidr: '10.0.0.0' }),
  bad('cidr /32', { cidr: '10.0.0.1/32' }),
  bad('cidr /33', { cidr: '10.0.0.0/33' }),
  bad('cidr IPv6 /128', { cidr: '2001:db8::1/128' }),
  bad('cidr IPv6 /129', { cidr: '2001:db8::/129' }),
  bad('cidr negative mask', { cidr: '10.0.0.0/-1' }),
  bad('cidr mask not a number', { cidr: '10.0.0.0/x' }),
  bad('cidr three octets', { cidr: '10.0.0/8' }),
  bad('cidr not an address', { cidr: 'abc/8' }),
  bad('cidr two slashes', { cidr: '10.0.0.0/8/9' }),
  bad('cidr empty', { cidr: '' }),
  bad('cidr bad IPv6', { cidr: '2001:db8::g/64' }),
  bad('cidr empty mask', { cidr: '2001:db8::/' }),
  edge('prefix empty', { prefix: '' }, ['', 'x', 5]),
  edge('suffix empty', { suffix: '' }),
  edge('wildcard empty', { wildcard: '' }, ['', 'x']),
  edge('wildcard lone star', { wildcard: '*' }, ['', 'x', 5, null]),
  edge('wildcard escaped backslash', { wildcard: '\\\\' }, ['\\', '\\\\', '']),
  edge('equals-ignore-case empty', { 'equals-ignore-case': '' }),
  edge('anything-but empty string', { 'anything-but': '' }, ['', 'x', null, 0]),
  // Not here: `{"anything-but":{"prefix":[]}}` and `{"anything-but":{"equals-ignore-case":[]}}`. Event Ruler 2.0.1
  // accepts both, then throws a NullPointerException when matching, so there is no answer to compare with.
  edge('numeric negative decimal', { numeric: ['<=', -0.5] }),
  edge('numeric exponent', { numeric: ['>', 1e-7] }),
  edge('numeric tight range', { numeric: ['>', 1, '<', 1.000001] }),
  edge('cidr /0', { cidr: '0.0.0.0/0' }),
  edge('cidr IPv6 /0', { cidr: '::/0' }),
  edge('cidr host bits set', { cidr: '10.1.2.3/8' }, [
    '10.0.0.0',
    '10.255.255.255',
    '11.0.0.0',
    '9.255.255.255',
  ]),
  edge('cidr /31', { cidr: '10.0.0.1/31' }, ['10.0.0.0', '10.0.0.1', '10.0.0.2']),
  edge('cidr IPv6 /127', { cidr: '2001:db8::1/127' }, ['2001:db8::', '2001:DB8::1', '2001:db8::2']),
  edge('wildcard escaped star', { wildcard: '\\*' }, ['*', 'a*', '\\*']),
  edge('exact IPv4 string', '10.0.0.1', ['10.0.0.1', '10.0.0.2', '10.0.0.10']),
  edge('exact IPv6 string', '2001:db8::1', [
    '2001:db8::1',
    '2001:DB8:0:0:0:0:0:1',
    '2001:0db8::0001',
    '2001:db8::2',
  ]),
];
