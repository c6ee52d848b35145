import { describe, expect, it } from 'vitest';
import { validatePattern } from './compile.js';

/**
 * What EventBridge (through Event Ruler's RuleCompiler / JsonRuleCompiler and Machine.addRule) refuses, each with the
 * message we give. The message always starts with where the problem is.
 */
const refused = (rows: Array<[name: string, pattern: unknown, message: string]>) =>
  it.each(rows)('%s', (_name, pattern, message) => {
    expect(validatePattern(pattern)).toEqual({ ok: false, errors: [message] });
  });

describe('validatePattern refuses bad operators', () => {
  refused([
    [
      'an unknown operator',
      { a: [{ contains: 'x' }] },
      expect.stringMatching(
        /^a\[0\]\.contains is not an operator; the operators are "prefix", /,
      ) as unknown as string,
    ],
    [
      'two operators in one object',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'a[0] has the keys "prefix", "suffix"; an operator object has exactly one key',
    ],
    [
      'an empty operator object',
      { a: [{}] },
      'a[0] is an empty object; an operator object has exactly one key, such as "prefix"',
    ],
    [
      'prefix of a number',
      { a: [{ prefix: 5 }] },
      'a[0].prefix must be a string or {"equals-ignore-case": "..."}',
    ],
    [
      'prefix with another modifier',
      { a: [{ prefix: { wildcard: 'x' } }] },
      'a[0].prefix as an object must have exactly one key, "equals-ignore-case"',
    ],
    [
      'suffix ignoring case of a number',
      { a: [{ suffix: { 'equals-ignore-case': 1 } }] },
      'a[0].suffix.equals-ignore-case must be a string',
    ],
    [
      'equals-ignore-case of a list',
      { a: [{ 'equals-ignore-case': ['x'] }] },
      'a[0].equals-ignore-case must be a string',
    ],
    ['exactly of a number', { a: [{ exactly: 1 }] }, 'a[0].exactly must be a string'],
    [
      'wildcard with "**"',
      { a: [{ wildcard: 'a**' }] },
      'a[0].wildcard "a**" has two consecutive "*" at position 1',
    ],
    [
      'wildcard with a stray backslash',
      { a: [{ wildcard: 'a\\b' }] },
      'a[0].wildcard "a\\b" has a backslash at position 1 that escapes neither "*" nor "\\"',
    ],
    [
      'wildcard ending in a backslash',
      { a: [{ wildcard: 'a\\' }] },
      'a[0].wildcard "a\\" has a backslash at position 1 that escapes neither "*" nor "\\"',
    ],
    ['exists of a string', { a: [{ exists: 'true' }] }, 'a[0].exists must be true or false'],
  ]);
});

const FORMS =
  'the forms are [op, n] with op one of "=", "<", "<=", ">", ">=", and [">" or ">=", n, "<" or "<=", m]';

describe('validatePattern refuses bad numeric expressions', () => {
  refused([
    ['not an array', { n: [{ numeric: '>5' }] }, 'n[0].numeric must be an array such as [">", 0, "<=", 5]'],
    ['empty', { n: [{ numeric: [] }] }, `n[0].numeric must start with an operator; ${FORMS}`],
    [
      'an unknown operator',
      { n: [{ numeric: ['!=', 5] }] },
      `n[0].numeric has an unknown operator "!="; ${FORMS}`,
    ],
    [
      'a string operand',
      { n: [{ numeric: ['>', '5'] }] },
      'n[0].numeric the value after ">" must be a number',
    ],
    ['a missing operand', { n: [{ numeric: ['>'] }] }, 'n[0].numeric the value after ">" must be a number'],
    [
      'an operand that is not a double',
      '{"n":[{"numeric":["<",0.10000000000000001]}]}',
      'n[0].numeric 0.10000000000000001 cannot be compared exactly: it is not a 64-bit floating-point number',
    ],
    [
      'an operand out of the double range',
      '{"n":[{"numeric":["<",1e400]}]}',
      'n[0].numeric 1e400 cannot be compared exactly: it is not a 64-bit floating-point number',
    ],
    [
      'too many after "="',
      { n: [{ numeric: ['=', 1, '<', 2] }] },
      `n[0].numeric has too many elements; ${FORMS}`,
    ],
    [
      'upper bound first',
      { n: [{ numeric: ['<', 1, '>', 0] }] },
      `n[0].numeric has too many elements; ${FORMS}`,
    ],
    [
      'two lower bounds',
      { n: [{ numeric: ['>', 0, '>', 1] }] },
      `n[0].numeric after a lower bound expects "<" or "<="; ${FORMS}`,
    ],
    [
      'a range left open',
      { n: [{ numeric: ['>', 0, '<'] }] },
      'n[0].numeric the value after "<" must be a number',
    ],
    [
      'five elements',
      { n: [{ numeric: ['>', 0, '<', 5, 6] }] },
      `n[0].numeric has too many elements; ${FORMS}`,
    ],
    [
      'an empty range',
      { n: [{ numeric: ['>=', 5, '<=', 5] }] },
      'n[0].numeric has a lower bound 5 that is not less than its upper bound 5',
    ],
    [
      'a reversed range',
      { n: [{ numeric: ['>', 5, '<', 1] }] },
      'n[0].numeric has a lower bound 5 that is not less than its upper bound 1',
    ],
  ]);
});

describe('validatePattern refuses bad cidr blocks', () => {
  refused([
    [
      'no mask',
      { ip: [{ cidr: '10.0.0.0' }] },
      'ip[0].cidr "10.0.0.0" is not an address, a "/" and a mask length',
    ],
    [
      'two masks',
      { ip: [{ cidr: '10.0.0.0/8/8' }] },
      'ip[0].cidr "10.0.0.0/8/8" is not an address, a "/" and a mask length',
    ],
    [
      'a mask that is not a number',
      { ip: [{ cidr: '10.0.0.0/x' }] },
      'ip[0].cidr "10.0.0.0/x" has a mask length that is not an integer',
    ],
    [
      'a negative mask',
      { ip: [{ cidr: '10.0.0.0/-1' }] },
      'ip[0].cidr "10.0.0.0/-1" has a negative mask length',
    ],
    [
      'an IPv4 /32 (Ruler)',
      { ip: [{ cidr: '10.0.0.1/32' }] },
      'ip[0].cidr "10.0.0.1/32" has a mask of 32 bits; an IPv4 mask must be at most 31',
    ],
    [
      'an IPv6 /128 (Ruler)',
      { ip: [{ cidr: '::1/128' }] },
      'ip[0].cidr "::1/128" has a mask of 128 bits; an IPv6 mask must be at most 127',
    ],
    [
      'an octet over 255',
      { ip: [{ cidr: '10.0.0.256/24' }] },
      'ip[0].cidr "10.0.0.256" is not an IPv4 or IPv6 address',
    ],
    [
      'an address over 15 characters',
      { ip: [{ cidr: '0010.000.000.000/8' }] },
      'ip[0].cidr "0010.000.000.000" is not an IPv4 or IPv6 address',
    ],
    [
      'a host name',
      { ip: [{ cidr: 'example.com/8' }] },
      'ip[0].cidr "example.com" is not an IPv4 or IPv6 address',
    ],
    ['not a string', { ip: [{ cidr: 10 }] }, 'ip[0].cidr must be a string'],
  ]);
});

describe('validatePattern refuses bad anything-but expressions', () => {
  const shapes = 'a string, a number, a non-empty array of only strings or only numbers, or an object';
  const listRule = 'a list may not be empty, mix strings and numbers, or hold other values';
  refused([
    ['null', { a: [{ 'anything-but': null }] }, `a[0].anything-but must be ${shapes}, not null`],
    ['a boolean', { a: [{ 'anything-but': true }] }, `a[0].anything-but must be ${shapes}, not a boolean`],
    ['an empty list', { a: [{ 'anything-but': [] }] }, `a[0].anything-but must be ${shapes}; ${listRule}`],
    [
      'a mixed list',
      { a: [{ 'anything-but': ['a', 1] }] },
      `a[0].anything-but must be ${shapes}; ${listRule}`,
    ],
    [
      'a list with null',
      { a: [{ 'anything-but': [null] }] },
      `a[0].anything-but must be ${shapes}; ${listRule}`,
    ],
    [
      'a number that is not a double',
      '{"a":[{"anything-but":[1,0.30000000000000001]}]}',
      'a[0].anything-but[1] 0.30000000000000001 cannot be compared exactly: it is not a 64-bit floating-point number',
    ],
    [
      'an empty prefix',
      { a: [{ 'anything-but': { prefix: '' } }] },
      'a[0].anything-but.prefix must not be an empty string: an empty prefix would exclude every string',
    ],
    [
      'an empty suffix in a list',
      { a: [{ 'anything-but': { suffix: ['x', ''] } }] },
      'a[0].anything-but.suffix must not be an empty string: an empty suffix would exclude every string',
    ],
    [
      'an empty modifier list',
      { a: [{ 'anything-but': { prefix: [] } }] },
      'a[0].anything-but.prefix must be a string or a non-empty array of strings; an empty list would exclude nothing',
    ],
    [
      'a number prefix',
      { a: [{ 'anything-but': { prefix: 5 } }] },
      'a[0].anything-but.prefix must be a string or a non-empty array of strings',
    ],
    [
      'a number ignoring case',
      { a: [{ 'anything-but': { 'equals-ignore-case': [5] } }] },
      'a[0].anything-but.equals-ignore-case must be a string or a non-empty array of strings',
    ],
    [
      'an unsupported modifier',
      { a: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'a[0].anything-but has the unsupported key "numeric"; anything-but accepts "prefix", "suffix", "equals-ignore-case", "wildcard"',
    ],
    [
      'an empty modifier object',
      { a: [{ 'anything-but': {} }] },
      'a[0].anything-but must have exactly one key, one of "prefix", "suffix", "equals-ignore-case", "wildcard"',
    ],
    [
      'two modifiers',
      { a: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
      'a[0].anything-but must have exactly one key, one of "prefix", "suffix", "equals-ignore-case", "wildcard"',
    ],
    [
      'a bad wildcard',
      { a: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] },
      'a[0].anything-but.wildcard wildcard "a**" has two consecutive "*" at position 1',
    ],
  ]);
});
