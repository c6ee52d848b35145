import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles its ceiling up to the maximum and draws below it', () => {
    const ceilings: number[] = [];
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, random: () => 0.999_999 });
    for (let i = 0; i < 6; i++) ceilings.push(backoff.next());
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('jitters across the whole range', () => {
    const backoff = new Backoff({ initialMs: 1_000, maxMs: 1_000, random: () => 0 });
    expect(backoff.next()).toBe(0);
  });
});
