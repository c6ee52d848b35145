import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthBeyond, scanJsonStructure } from './json-structure.js';

const topLevelValueText = (text: string, key: string) => scanJsonStructure(text, key).valueText;

describe('scanJsonStructure', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[{"b":"[[[{{{"}]}', 3],
    [`${'['.repeat(500)}${']'.repeat(500)}`, 500],
  ])('measures the depth of %s as %i', (text, depth) => {
    expect(scanJsonStructure(text, null).depth).toBe(depth);
  });

  it.each([
    ['{"detail":{"a":1}}', '{"a":1}'],
    ['{"version":"0","detail":{"a":[1,{"detail":2}]},"after":3}', '{"a":[1,{"detail":2}]}'],
    ['{ "detail" : { "a" : "}{][\\"" } , "x":1 }', '{ "a" : "}{][\\"" }'],
    ['{"x":"\\\\","detail":{"b":"\\\\\\""}}', '{"b":"\\\\\\""}'],
    ['{"detail":{"first":1},"detail":{"last":2}}', '{"last":2}'],
    ['{"nested":{"detail":{"no":1}}}', null],
    ['{"det\\u0061il":{"a":1}}', null],
    ['{"detail":{"a":1},"\\u0078":2}', null],
    ['{"other":{"x":1}}', null],
    ['{"detail":"text"}', '"text"'],
  ])('in %s finds %s', (text, expected) => {
    expect(topLevelValueText(text, 'detail')).toBe(expected);
  });

  it('agrees with JSON.parse on random objects, whatever their shape and spacing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constant('detail'), fc.string()), fc.jsonValue(), { minKeys: 1 }),
        fc.boolean(),
        (object, pretty) => {
          const text = JSON.stringify(object, null, pretty ? 2 : undefined);
          const found = topLevelValueText(text, 'detail');
          // Giving up is allowed only where it is meant to: a key written with escapes.
          const escapedKey = Object.keys(object).some((key) => JSON.stringify(key) !== `"${key}"`);
          if (found === null) expect(Object.hasOwn(object, 'detail') && !escapedKey).toBe(false);
          else expect(JSON.parse(found)).toEqual(JSON.parse(text).detail);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('depthBeyond', () => {
  it('names the depth of JSON deeper than the limit, and nothing for shallower JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.nat(12), (value, limit) => {
        const text = JSON.stringify(value);
        const { depth } = scanJsonStructure(text, null);
        expect(depthBeyond(text, limit)).toBe(depth > limit ? depth : null);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is not fooled by brackets inside strings', () => {
    expect(depthBeyond(JSON.stringify({ text: '[{'.repeat(500) }), 128)).toBeNull();
  });
});
