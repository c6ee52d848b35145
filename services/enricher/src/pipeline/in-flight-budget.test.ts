import { describe, expect, it } from 'vitest';
import { InFlightBudget } from './in-flight-budget.js';

describe('InFlightBudget', () => {
  it('grants what is left, then makes takers wait until records are given back', async () => {
    const budget = new InFlightBudget(100);
    const never = new AbortController().signal;
    expect(await budget.take(70, never)).toBe(70);
    expect(await budget.take(70, never)).toBe(30);
    expect(budget.inFlight).toBe(100);
    let granted = 0;
    const waiting = budget.take(50, never).then((count) => {
      granted = count;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(granted).toBe(0);
    budget.give(30);
    await waiting;
    expect(granted).toBe(30);
  });

  it('lets a waiting taker go with nothing when its signal aborts', async () => {
    const budget = new InFlightBudget(1);
    const stop = new AbortController();
    await budget.take(1, stop.signal);
    const waiting = budget.take(1, stop.signal);
    stop.abort();
    expect(await waiting).toBe(0);
  });

  it('never holds more than its limit, even when given back too much', async () => {
    const budget = new InFlightBudget(10);
    budget.give(5);
    expect(budget.inFlight).toBe(0);
    expect(() => new InFlightBudget(0)).toThrow(RangeError);
  });
});
