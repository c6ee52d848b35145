import { describe, expect, it } from 'vitest';
import { nextIdleDelay } from './shard-reader.js';
import { READ_BYTES_PER_SECOND, ShardThrottle } from './shard-throttle.js';

describe('ShardThrottle', () => {
  it('keeps five calls a second', () => {
    let now = 0;
    const throttle = new ShardThrottle(() => now);
    expect(throttle.delay()).toBe(0);
    throttle.recordCall(0);
    expect(throttle.delay()).toBe(200);
    now = 150;
    expect(throttle.delay()).toBe(50);
  });

  it('waits long enough after a big page to stay under 2 MB/s', () => {
    const throttle = new ShardThrottle(() => 0);
    throttle.recordCall(READ_BYTES_PER_SECOND * 3);
    expect(throttle.delay()).toBe(3_000);
  });
});

describe('nextIdleDelay', () => {
  const limits = { idleMinMs: 200, idleMaxMs: 1_000 };
  it('reads again at once while behind or after records', () => {
    expect(nextIdleDelay(800, 0, 5_000, limits)).toBe(0);
    expect(nextIdleDelay(800, 10, 0, limits)).toBe(0);
  });
  it('backs off on an idle shard, up to the ceiling', () => {
    const delays = [0];
    for (let i = 0; i < 5; i++) delays.push(nextIdleDelay(delays.at(-1) ?? 0, 0, 0, limits));
    expect(delays).toEqual([0, 200, 400, 800, 1_000, 1_000]);
  });
});
