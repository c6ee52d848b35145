import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitEnvelope } from './split-envelope.js';

describe('splitEnvelope', () => {
  it('splits an envelope as EventBridge writes it, keeping the detail text exactly', () => {
    const text = '{"version":"0","id":"x","detail-type":"d","resources":[],"detail":{"a":[1,{"b":"}"}]}}';
    expect(splitEnvelope(text)).toEqual({
      envelope: JSON.parse(text),
      detailText: '{"a":[1,{"b":"}"}]}',
    });
  });

  it.each([
    ['detail not last', '{"detail":{"a":1},"version":"0"}'],
    ['a second detail after the first', '{"detail":{"a":1},"detail":{"b":2}}'],
    ['a key that only ends in detail', '{"x\\"detail":{"a":1}}'],
    ['detail only nested', '{"outer":{"detail":{"a":1}}}'],
    ['detail only as a value', '{"detail-type":"detail"}'],
    ['invalid JSON after detail', '{"detail":{"a":1},}'],
    ['an array', '[{"detail":1}]'],
    // Only the first candidate is tried, so hostile text full of "detail" keys costs one parse, not one per key.
    ['a duplicate detail, the last one last', '{"detail":1,"version":"0","detail":{"a":1}}'],
  ])('gives up on %s', (_, text) => {
    const split = splitEnvelope(text);
    // Giving up is always allowed; a split must be right.
    if (split !== null) expect(split.envelope).toEqual(JSON.parse(text));
    expect(split).toBeNull();
  });

  it('agrees with JSON.parse whenever it splits, on random objects, spacing and damage', () => {
    const object = fc.dictionary(fc.oneof(fc.constant('detail'), fc.string()), fc.jsonValue(), {
      minKeys: 1,
    });
    fc.assert(
      fc.property(object, fc.jsonValue(), fc.nat(3), fc.nat(), (members, detail, indent, cut) => {
        const whole = JSON.stringify({ ...members, detail }, null, indent);
        for (const text of [whole, whole.slice(0, cut % (whole.length + 1))]) {
          const split = splitEnvelope(text);
          if (split === null) continue;
          const parsed = JSON.parse(text);
          expect(split.envelope).toEqual(parsed);
          expect(JSON.parse(split.detailText)).toEqual(parsed.detail);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
