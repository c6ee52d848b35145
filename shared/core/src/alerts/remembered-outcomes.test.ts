import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RememberedOutcomes } from './remembered-outcomes.js';

const EMPTY = 'empty';

describe('RememberedOutcomes', () => {
  it('gives back an empty outcome and a fired one, and nothing for an id not evaluated', () => {
    const outcomes = new RememberedOutcomes(10, EMPTY);
    const [quiet, loud, unseen] = [randomUUID(), randomUUID(), randomUUID()];
    outcomes.set(quiet, EMPTY);
    outcomes.set(loud, 'fired');
    expect(outcomes.get(quiet)).toBe(EMPTY);
    expect(outcomes.get(loud)).toBe('fired');
    expect(outcomes.get(unseen)).toBeUndefined();
  });

  it('forgets the oldest evaluations past its limit, empty or not', () => {
    const outcomes = new RememberedOutcomes(2, EMPTY);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    outcomes.set(ids[0] as string, 'fired');
    outcomes.set(ids[1] as string, EMPTY);
    outcomes.set(ids[2] as string, EMPTY);
    expect(ids.map((id) => outcomes.get(id))).toEqual([undefined, EMPTY, EMPTY]);
  });

  it('gives the latest outcome of an id evaluated again once forgotten, not an earlier one still kept', () => {
    const outcomes = new RememberedOutcomes(2, EMPTY);
    const [again, other, another] = [randomUUID(), randomUUID(), randomUUID()];
    outcomes.set(again, 'fired');
    outcomes.set(other, EMPTY);
    outcomes.set(another, EMPTY);
    expect(outcomes.get(again)).toBeUndefined();
    outcomes.set(again, EMPTY);
    expect(outcomes.get(again)).toBe(EMPTY);
  });

  it('keeps ids that are not UUIDs as well', () => {
    const outcomes = new RememberedOutcomes(2, EMPTY);
    outcomes.set('not-a-uuid', 'fired');
    outcomes.set('ABC', EMPTY);
    expect([outcomes.get('not-a-uuid'), outcomes.get('ABC'), outcomes.get('abc')]).toEqual([
      'fired',
      EMPTY,
      undefined,
    ]);
  });

  it('answers as one map of the last `limit` evaluations would, whatever the order', () => {
    // The alert engine's use: an id is set once, then asked again while remembered; forgotten ids come back.
    const step = fc.record({
      id: fc.integer({ min: 0, max: 40 }),
      fired: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { maxLength: 300 }), (limit, steps) => {
        const ids = Array.from({ length: 41 }, (_, index) =>
          index % 5 === 0 ? `id-${index}` : randomUUID(),
        );
        const outcomes = new RememberedOutcomes<string>(limit, EMPTY);
        const reference = new Map<string, string>();
        for (const [index, { id, fired }] of steps.entries()) {
          const eventId = ids[id] as string;
          expect(outcomes.get(eventId)).toBe(reference.get(eventId));
          if (reference.has(eventId)) continue;
          const outcome = fired ? `fired-${index}` : EMPTY;
          outcomes.set(eventId, outcome);
          reference.set(eventId, outcome);
          if (reference.size > limit) reference.delete(reference.keys().next().value as string);
        }
      }),
      { numRuns: 300 },
    );
  });
});
