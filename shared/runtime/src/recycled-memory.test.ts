import { describe, expect, it } from 'vitest';
import { RecycledMemory } from './recycled-memory.js';

const KiB = 1024;

describe('RecycledMemory', () => {
  it('serves the next buffer from memory given back, and empties every view of what was given', () => {
    const memory = new RecycledMemory(1024 * KiB);
    const first = memory.take(100 * KiB);
    first.fill(7);
    const view = first.subarray(10, 20);
    memory.give(first.buffer);
    expect(first.length).toBe(0);
    expect(view.length).toBe(0);
    expect(memory.keptBytes).toBeGreaterThanOrEqual(100 * KiB);

    const second = memory.take(90 * KiB);
    expect(second.length).toBe(90 * KiB);
    // Not zeroed: the bytes written before show that the memory is the same.
    expect(second.every((byte) => byte === 7)).toBe(true);
    expect(memory.keptBytes).toBe(0);
  });

  it('takes the smallest kept buffer that holds the size, and none more than twice as large', () => {
    const memory = new RecycledMemory(1024 * KiB);
    const sizes = [300 * KiB, 120 * KiB, 200 * KiB];
    for (const [index, size] of sizes.entries()) {
      const buffer = Buffer.allocUnsafeSlow(size);
      buffer.fill(index);
      memory.give(buffer.buffer);
    }
    expect(memory.take(110 * KiB)[0]).toBe(1);
    expect(memory.take(50 * KiB).buffer.byteLength).toBe(50 * KiB + (50 * KiB) / 8);
    expect(memory.take(160 * KiB)[0]).toBe(2);
    expect(memory.take(301 * KiB).buffer.byteLength).toBe(301 * KiB + (301 * KiB) / 8);
    expect(memory.take(150 * KiB)[0]).toBe(0);
  });

  it('keeps no more than its bound, letting the oldest memory go first', () => {
    const memory = new RecycledMemory(250 * KiB);
    const given = [100, 100, 100].map((size, index) => {
      const buffer = Buffer.allocUnsafeSlow(size * KiB);
      buffer.fill(index + 1);
      memory.give(buffer.buffer);
      expect(memory.keptBytes).toBeLessThanOrEqual(250 * KiB);
      return buffer;
    });
    expect(given.every((buffer) => buffer.length === 0)).toBe(true);
    expect(memory.keptBytes).toBe(200 * KiB);
    expect([memory.take(100 * KiB)[0], memory.take(100 * KiB)[0]].sort()).toEqual([2, 3]);

    const huge = Buffer.allocUnsafeSlow(300 * KiB);
    memory.give(huge.buffer);
    expect(huge.length).toBe(0);
    expect(memory.keptBytes).toBe(0);
  });

  it('leaves alone memory it cannot take back: detached, or shared between threads', () => {
    const memory = new RecycledMemory(1024 * KiB);
    const detached = new ArrayBuffer(10 * KiB);
    detached.transfer(0);
    memory.give(detached);
    const shared = new SharedArrayBuffer(10 * KiB);
    memory.give(shared);
    expect(shared.byteLength).toBe(10 * KiB);
    expect(memory.keptBytes).toBe(0);
  });
});
