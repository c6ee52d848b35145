import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('forgets the oldest entries past its limit, and a key set again is the newest', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    map.set('a', 4);
    map.set('d', 5);
    expect(['a', 'b', 'c', 'd'].map((key) => map.get(key))).toEqual([4, undefined, 3, 5]);
    expect(map.size).toBe(3);
    expect(map.oldest()).toEqual(['c', 3]);
  });

  it('holds no more memory for keys set over and over below its limit', () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const map = new BoundedMap<string, number>(1_000);
    const churn = (times: number) => {
      for (let index = 0; index < times; index += 1) map.set(`application-${index % 20}`, index);
    };
    churn(50_000);
    collect();
    const before = process.memoryUsage().heapUsed;
    churn(300_000);
    collect();
    // Holding every table the map had since it started cost 21 MiB here.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 2 ** 20);
    expect(map.size).toBe(20);
  });

  it('tells the oldest entry after deletions, and after being emptied and filled again', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.oldest()).toEqual(['a', 1]);
    map.delete('a');
    expect(map.oldest()).toEqual(['b', 2]);
    map.deleteOldest();
    expect(map.oldest()).toBeUndefined();
    map.set('c', 3);
    map.set('a', 1);
    map.set('e', 5);
    expect(map.oldest()).toEqual(['a', 1]);
    expect(map.has('c')).toBe(false);
  });

  it('behaves as a Map trimmed from its insertion order, whatever the operations', () => {
    const operation = fc.oneof(
      fc.record({ set: fc.integer({ min: 0, max: 12 }), value: fc.integer() }),
      fc.record({ delete: fc.integer({ min: 0, max: 12 }) }),
      fc.constant('deleteOldest' as const),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(operation, { maxLength: 200 }),
        (limit, operations) => {
          const map = new BoundedMap<number, number>(limit);
          const model = new Map<number, number>();
          for (const step of operations) {
            if (step === 'deleteOldest') {
              map.deleteOldest();
              const first = model.keys().next();
              if (!first.done) model.delete(first.value);
            } else if ('set' in step) {
              map.set(step.set, step.value);
              model.delete(step.set);
              model.set(step.set, step.value);
              while (model.size > limit) model.delete(model.keys().next().value as number);
            } else {
              expect(map.delete(step.delete)).toBe(model.delete(step.delete));
            }
            expect(map.size).toBe(model.size);
            const first = model.entries().next();
            expect(map.oldest()).toEqual(first.done ? undefined : first.value);
          }
          for (const [key, value] of model) expect(map.get(key)).toBe(value);
        },
      ),
    );
  });

  it('refuses a limit that cannot hold an entry', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });
});
