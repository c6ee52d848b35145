import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('knows an id within the window and forgets it after', () => {
    const ids = new RecentIds({ windowMs: 1_000, maxIds: 10 });
    ids.remember('a', 0);
    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
    ids.remember('b', 999);
    expect(ids.has('a')).toBe(true);
    ids.remember('c', 1_000);
    expect(ids.has('a')).toBe(false);
    expect(ids.has('b')).toBe(true);
    expect(ids.size).toBe(2);
  });

  it('keeps at most maxIds, dropping the oldest first', () => {
    const ids = new RecentIds({ windowMs: 60_000, maxIds: 3 });
    for (const [index, id] of ['a', 'b', 'c', 'd'].entries()) ids.remember(id, index);
    expect(['a', 'b', 'c', 'd'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    expect(ids.size).toBe(3);
  });

  it('refreshes an id seen again, so it is the last to go', () => {
    const ids = new RecentIds({ windowMs: 60_000, maxIds: 2 });
    ids.remember('a', 0);
    ids.remember('b', 1);
    ids.remember('a', 2);
    ids.remember('c', 3);
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([true, false, true]);
  });

  it('measures age from the latest time seen, so late arrivals do not turn the clock back', () => {
    const ids = new RecentIds({ windowMs: 100, maxIds: 10 });
    ids.remember('new', 1_000);
    ids.remember('late', 850);
    expect(ids.has('late')).toBe(false);
    expect(ids.has('new')).toBe(true);
  });

  it('takes an id remembered at no valid time as long past, and goes on', () => {
    const ids = new RecentIds({ windowMs: 100, maxIds: 2 });
    ids.remember('00000000-0000-4000-8000-000000000001', Number.NaN);
    expect(ids.has('00000000-0000-4000-8000-000000000001')).toBe(false);
    for (let n = 2; n < 6; n++) ids.remember(`00000000-0000-4000-8000-00000000000${n}`, n);
    expect(ids.size).toBe(2);
    expect(ids.has('00000000-0000-4000-8000-000000000005')).toBe(true);
  });

  it('refuses a window or a bound that cannot work', () => {
    expect(() => new RecentIds({ windowMs: 0, maxIds: 1 })).toThrow(RangeError);
    expect(() => new RecentIds({ windowMs: 1, maxIds: 0 })).toThrow(RangeError);
    expect(() => new RecentIds({ windowMs: 1, maxIds: 1.5 })).toThrow(RangeError);
  });
});

/** What RecentIds promises, written plainly: a list in the order ids were remembered. */
class RecentIdsModel {
  readonly #entries: { id: string; atMs: number }[] = [];
  #latestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: { windowMs: number; maxIds: number }) {}

  get size(): number {
    return this.#entries.length;
  }

  has(id: string): boolean {
    return this.rememberedAt(id) !== undefined;
  }

  rememberedAt(id: string): number | undefined {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    return entry !== undefined && entry.atMs > this.#latestMs - this.options.windowMs
      ? entry.atMs
      : undefined;
  }

  remember(id: string, atMs: number): void {
    const previous = this.#entries.findIndex((candidate) => candidate.id === id);
    if (previous >= 0) this.#entries.splice(previous, 1);
    this.#entries.push({ id, atMs });
    while (this.#entries.length > this.options.maxIds) this.#entries.shift();
    this.#latestMs = Math.max(this.#latestMs, atMs);
    while ((this.#entries[0]?.atMs ?? Number.POSITIVE_INFINITY) <= this.#latestMs - this.options.windowMs) {
      this.#entries.shift();
    }
  }
}

describe('RecentIds against a plain list', () => {
  // Few distinct ids, so that they come back; UUIDs as CloudTrail writes them, their uppercase twins (a different id),
  // and ids of other shapes, kept as strings.
  const uuid = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()).map(([n, upper]) => {
    const text = `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, 'a')}`;
    return upper ? text.toUpperCase() : text;
  });
  const id = fc.oneof(uuid, fc.constantFrom('a', 'b', 'not-a-uuid', '', '0'.repeat(36)));
  const step = fc.oneof(
    fc.record({ remember: id, atMs: fc.integer({ min: 0, max: 5_000 }) }),
    fc.record({ has: id }),
    fc.record({ rememberedAt: id }),
  );

  it('answers every call as the list does, across growth, compaction and eviction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(step, { minLength: 100, maxLength: 400, size: 'max' }),
        (windowMs, maxIds, steps) => {
          const ids = new RecentIds({ windowMs, maxIds });
          const model = new RecentIdsModel({ windowMs, maxIds });
          for (const call of steps) {
            if ('remember' in call) {
              ids.remember(call.remember, call.atMs);
              model.remember(call.remember, call.atMs);
            } else if ('has' in call) expect(ids.has(call.has)).toBe(model.has(call.has));
            else expect(ids.rememberedAt(call.rememberedAt)).toBe(model.rememberedAt(call.rememberedAt));
            expect(ids.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('holds many more ids than its first ring, and forgets them in order', () => {
    const ids = new RecentIds({ windowMs: 1_000_000, maxIds: 5_000 });
    const idOf = (n: number) => `${n.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`;
    for (let n = 0; n < 12_000; n++) ids.remember(idOf(n), n);
    expect(ids.size).toBe(5_000);
    expect([ids.has(idOf(6_999)), ids.has(idOf(7_000)), ids.has(idOf(11_999))]).toEqual([false, true, true]);
  });
});

describe('RecentIds memory', () => {
  const idOf = (n: number) => `${n.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`;

  it('holds its bound in at most 40 bytes an id, however the ids come', () => {
    // Ids seen again leave holes that fill the ring sooner: growth by doubling then reached 262,144 slots.
    const ids = new RecentIds({ windowMs: 1_000_000, maxIds: 100_000 });
    for (let n = 0; n < 300_000; n++) ids.remember(idOf(n % 2 === 0 ? n : n - 1), n);
    expect(ids.size).toBe(100_000);
    // The table has room for one more id than the bound: the one `remember` adds before it forgets the oldest.
    expect(ids.heldBytes).toBeLessThanOrEqual(40 * 100_001);
    expect([ids.has(idOf(99_998)), ids.has(idOf(100_000)), ids.has(idOf(299_998))]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('grows no further than the ids below the bound need', () => {
    // Doubling held 131,072 slots, 56 bytes an id, for 75,000 ids: each shard's share of the bench's overload. A
    // table rounded up to a power of two held 45.
    const ids = new RecentIds({ windowMs: 1_000_000, maxIds: 100_000 });
    for (let n = 0; n < 75_000; n++) ids.remember(idOf(n), n);
    expect(ids.size).toBe(75_000);
    expect(ids.heldBytes).toBeLessThanOrEqual(38 * 75_000);
  });
});
