import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, PatternGroup } from './compile.js';
import { FORKS, NO_ARRAYS, occurrences, singleValue } from './event-values.js';
import { keyStepsFor } from './paths.js';

// Few keys, so that paths meet them: dotted ones (an event key may hold a dot), and keys every object inherits.
const KEYS = ['a', 'b', 'a.b', 'constructor', '__proto__', 'toString'];
const key = fc.constantFrom(...KEYS);
const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null));
const { event } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    tie('event'),
    fc.array(fc.oneof(scalar, tie('event'), fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }),
  ),
  // Built as JSON.parse builds them: `__proto__` an own key like any other.
  event: fc
    .array(fc.tuple(key, tie('value')), { maxLength: 4 })
    .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>),
}));
const field = fc.array(key, { minLength: 1, maxLength: 3 }).map((keys) => keys.join('.'));

describe('the value of a field outside any array', () => {
  it('is what the walk of the event finds, whenever the path forks nowhere', () => {
    fc.assert(
      fc.property(event, field, fc.subarray(KEYS), (value, name, used) => {
        const steps = keyStepsFor(name, new Set([...used, ...name.split('.')]));
        const single = singleValue(value, steps);
        const walked = occurrences(value, steps);
        if (single === FORKS) return;
        expect(walked).toEqual(single === undefined ? [] : [{ value: single, membership: NO_ARRAYS }]);
      }),
      { numRuns: 3_000 },
    );
  });

  it('is not taken from what objects inherit', () => {
    const steps = keyStepsFor('constructor', new Set(['constructor']));
    expect(singleValue({}, steps)).toBeUndefined();
    expect(singleValue(JSON.parse('{"constructor":"own"}'), steps)).toBe('own');
    expect(
      singleValue(JSON.parse('{"__proto__":"own"}'), keyStepsFor('__proto__', new Set(['__proto__']))),
    ).toBe('own');
  });
});

describe("a group's verdicts", () => {
  it('answer for each event, however the fields were read for the one before', () => {
    const group = new PatternGroup([{ a: ['x'] }, { b: [1] }]);
    const first = group.verdicts({ a: 'x', b: 2 });
    expect(first(0)).toBe(true);
    const second = group.verdicts({ a: 'y', b: 1 });
    expect([second(0), second(1)]).toEqual([false, true]);
    expect(compilePattern({ a: ['x'] }).matches({ a: ['y', 'x'] })).toBe(true);
  });

  it('of an earlier event refuse to answer once the next event is asked about', () => {
    const group = new PatternGroup([{ a: ['x'] }]);
    const first = group.verdicts({ a: 'x' });
    group.verdicts({ a: 'y' });
    expect(() => first(0)).toThrow('after the next event');
  });
});
