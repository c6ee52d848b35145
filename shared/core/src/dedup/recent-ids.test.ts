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

  it('refuses a window or a bound that cannot work', () => {
    expect(() => new RecentIds({ windowMs: 0, maxIds: 1 })).toThrow(RangeError);
    expect(() => new RecentIds({ windowMs: 1, maxIds: 0 })).toThrow(RangeError);
    expect(() => new RecentIds({ windowMs: 1, maxIds: 1.5 })).toThrow(RangeError);
  });
});
