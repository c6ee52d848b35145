import { describe, expect, it } from 'vitest';
import { compilePattern, validatePattern } from './compile.js';
import { PatternError } from './errors.js';

/**
 * What EventBridge (through Event Ruler's RuleCompiler / JsonRuleCompiler and Machine.addRule) refuses, each with the
 * message we give. The message always starts with where the problem is.
 */
const refused = (rows: Array<[name: string, pattern: unknown, message: string]>) =>
  it.each(rows)('%s', (_name, pattern, message) => {
    expect(validatePattern(pattern)).toEqual({ ok: false, errors: [message] });
  });

describe('validatePattern refuses malformed structure', () => {
  refused([
    ['not an object', ['a'], 'pattern must be a JSON object, not an array'],
    ['not JSON text', '{"a":', expect.stringMatching(/^pattern is not valid JSON: /) as unknown as string],
    ['JSON text of an array', '["a"]', 'pattern must be a JSON object, not an array'],
    ['an empty pattern', {}, 'pattern is an empty object; EventBridge does not allow empty objects'],
    [
      'an empty nested object',
      { detail: {} },
      'detail is an empty object; EventBridge does not allow empty objects',
    ],
    [
      'a bare value',
      { source: 'aws.ec2' },
      'source must be an object or an array of values to match, not a string',
    ],
    [
      'a bare null',
      { detail: { x: null } },
      'detail.x must be an object or an array of values to match, not null',
    ],
    [
      'an empty value array',
      { source: [] },
      'source is an empty array; a field needs at least one value to match',
    ],
    [
      'an array inside the value array',
      { a: [['x']] },
      'a[0] is an array; a value must be a string, number, true, false, null or an operator',
    ],
    [
      'an odd key is quoted',
      { 'a.b c': 'x' },
      'pattern["a.b c"] must be an object or an array of values to match, not a string',
    ],
  ]);
});

describe('validatePattern refuses bad $or', () => {
  refused([
    ['a string', { $or: 'x' }, '$or must be an array of at least two objects'],
    ['one alternative', { $or: [{ a: ['x'] }] }, '$or must be an array of at least two objects'],
    ['a non-object alternative', { $or: [{ a: ['x'] }, 'b'] }, '$or[1] must be an object, not a string'],
    [
      'an empty alternative',
      { $or: [{ a: ['x'] }, {}] },
      '$or[1] is an empty object; EventBridge does not allow empty objects',
    ],
    [
      'a reserved word as a field inside $or',
      { $or: [{ numeric: ['x'] }, { b: ['y'] }] },
      '$or[0].numeric uses the reserved word "numeric" as a field name, which is not allowed inside "$or"',
    ],
    [
      '... also deeper inside',
      { $or: [{ a: { '>': [1] } }, { b: ['y'] }] },
      '$or[0].a[">"] uses the reserved word ">" as a field name, which is not allowed inside "$or"',
    ],
  ]);
  it('accepts a reserved word as a field outside $or', () => {
    expect(validatePattern({ detail: { prefix: ['x'] } })).toEqual({ ok: true });
  });
  it('accepts what Ruler reads as a field named "$or"', () => {
    expect(validatePattern({ $or: { a: ['x'] } })).toEqual({ ok: true });
    expect(validatePattern({ $or: ['a', 'b'] })).toEqual({ ok: true });
  });
});

describe('validatePattern refuses what JSON cannot carry or Ruler cannot hold', () => {
  const cycle: Record<string, unknown> = { a: ['x'] };
  cycle.b = cycle;
  refused([
    ['undefined', { a: [undefined] }, 'pattern holds undefined, which JSON cannot express'],
    ['NaN', { a: [Number.NaN] }, 'pattern holds NaN, which JSON cannot express'],
    ['a function', { a: [() => 1] }, 'pattern holds a function, which JSON cannot express'],
    [
      'a Date',
      { a: [new Date(0)] },
      'pattern holds an object that is not plain JSON (a class instance, a Map, a Date...)',
    ],
    ['a cycle', cycle, 'pattern contains a circular reference'],
    [
      'deep nesting',
      `${'{"a":'.repeat(1001)}["x"]${'}'.repeat(1001)}`,
      'pattern nests deeper than 1000 levels',
    ],
    [
      'a 1001-digit number',
      `{"a":[${'1'.repeat(1001)}]}`,
      'pattern has a number longer than 1000 characters',
    ],
    [
      'more than 256 fields',
      Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`f${i}`, ['x']])),
      'pattern has 257 fields in one alternative; at most 256 are allowed',
    ],
  ]);
  it('accepts 256 fields', () => {
    expect(
      validatePattern(Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`f${i}`, ['x']]))),
    ).toEqual({ ok: true });
  });
  it('stops a pattern whose nested $or explodes', () => {
    const level = (depth: number): Record<string, unknown> =>
      depth === 0
        ? { x: ['1'] }
        : { $or: Array.from({ length: 10 }, (_, i) => ({ [`k${i}`]: ['v'], ...level(depth - 1) })) };
    const result = validatePattern({ a: { b: ['x'] }, c: level(5) });
    expect(result.ok).toBe(false);
  });
});

describe('validatePattern lists every problem', () => {
  it('names each place', () => {
    expect(validatePattern({ a: [], b: 'x', c: [{ prefix: 1 }, { numeric: ['>', 'y'] }] })).toEqual({
      ok: false,
      errors: [
        'a is an empty array; a field needs at least one value to match',
        'b must be an object or an array of values to match, not a string',
        'c[0].prefix must be a string or {"equals-ignore-case": "..."}',
        'c[1].numeric the value after ">" must be a number',
      ],
    });
  });
});

describe('validatePattern accepts', () => {
  it.each([
    [
      'the sarwatch rule',
      '{"source":["aws.serverlessrepo"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["serverlessrepo.amazonaws.com"]}}',
    ],
    [
      'every operator',
      {
        a: [
          'x',
          1,
          true,
          null,
          { prefix: '' },
          { suffix: 'x' },
          { 'equals-ignore-case': 'X' },
          { wildcard: '*' },
          { numeric: ['>', 0] },
          { cidr: '10.0.0.0/8' },
          { exists: true },
          { exists: false },
          { exactly: 'x' },
        ],
      },
    ],
    [
      'every anything-but',
      {
        a: [
          { 'anything-but': 'x' },
          { 'anything-but': 1 },
          { 'anything-but': ['x'] },
          { 'anything-but': [1, 2] },
          { 'anything-but': { prefix: 'x' } },
          { 'anything-but': { suffix: ['x'] } },
          { 'anything-but': { 'equals-ignore-case': 'x' } },
          { 'anything-but': { wildcard: '*x' } },
        ],
      },
    ],
    ['a JSON-text number written with an exponent', '{"n":[{"numeric":["=",3.018e2]}]}'],
    [
      'a large exact-match number that is not a double (Ruler matches it as text)',
      '{"account":[123456789012345678901]}',
    ],
    ['a cidr with a trailing slash, as Java splits it', { ip: [{ cidr: '10.0.0.0/8/' }] }],
  ])('%s', (_name, pattern) => {
    expect(validatePattern(pattern)).toEqual({ ok: true });
  });
});

describe('compilePattern', () => {
  it('throws a PatternError naming the path', () => {
    let caught: unknown;
    try {
      compilePattern({ detail: { state: [{ 'anything-but': [] }] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PatternError);
    const error = caught as PatternError;
    expect(error.name).toBe('PatternError');
    expect(error.code).toBe('INVALID_PATTERN');
    expect(error.errors).toHaveLength(1);
    expect(error.message).toMatch(/^invalid event pattern: detail\.state\[0\]\.anything-but must be /);
  });
});
