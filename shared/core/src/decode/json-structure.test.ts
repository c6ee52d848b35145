import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonStructure } from './json-structure.js';

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
