/**
 * Memory for the large buffers a pipeline makes and drops many times a second: a GetRecords body and its page's
 * data, the record batches of a produce request and the request itself, each a megabyte or two. glibc maps each on
 * its own and unmaps it once freed (SARWATCH_ALLOCATOR_ENV), so the next one was mapped anew, and the kernel faulted
 * in and zeroed each of its pages on first write: 1.8 µs per 4 KiB page on the bench's machine, a fresh 2 MiB buffer
 * filled in 980 µs against 55 µs for one filled before, and 435,000 faults in a 200,000-event drain. Memory given back
 * here is kept, up to a bound, for the next buffer taken.
 *
 * Giving a buffer back detaches it, as `freeNow` does: whatever still viewed it then reads nothing, never the bytes
 * of the buffer its memory went to next.
 */
export class RecycledMemory {
  /** Kept memory, oldest first: it goes first when the bound is reached. */
  readonly #kept: ArrayBuffer[] = [];
  #keptBytes = 0;

  constructor(readonly maxKeptBytes: number) {}

  /** Bytes of kept memory, waiting to be taken. */
  get keptBytes(): number {
    return this.#keptBytes;
  }

  /**
   * `size` bytes, not initialised, in memory nothing else views: the smallest kept buffer that holds them and is at
   * most twice their size, else new memory. New memory is an eighth larger than asked, so that it can serve a
   * slightly larger buffer next time; pages never written stay out of the resident set.
   */
  take(size: number): Buffer {
    let chosen = -1;
    for (let index = 0; index < this.#kept.length; index++) {
      const capacity = (this.#kept[index] as ArrayBuffer).byteLength;
      const best = chosen === -1 ? Number.POSITIVE_INFINITY : (this.#kept[chosen] as ArrayBuffer).byteLength;
      if (capacity >= size && capacity <= 2 * size && capacity < best) chosen = index;
    }
    if (chosen === -1) return Buffer.allocUnsafeSlow(size + (size >>> 3)).subarray(0, size);
    const [memory] = this.#kept.splice(chosen, 1) as [ArrayBuffer];
    this.#keptBytes -= memory.byteLength;
    return Buffer.from(memory, 0, size);
  }

  /**
   * Takes back the memory of a buffer that nothing reads any more and that nothing else shares (never Node's buffer
   * pool): every view of it is emptied. Kept if the bound allows, after the oldest kept memory if need be; else freed.
   */
  give(memory: ArrayBufferLike): void {
    if (!(memory instanceof ArrayBuffer) || memory.detached) return;
    if (memory.byteLength > this.maxKeptBytes) {
      memory.transfer(0);
      return;
    }
    while (this.#keptBytes + memory.byteLength > this.maxKeptBytes) {
      const oldest = this.#kept.shift() as ArrayBuffer;
      this.#keptBytes -= oldest.byteLength;
      oldest.transfer(0);
    }
    // The same memory under a new ArrayBuffer, the old one detached: no copy is made.
    const kept = memory.transfer();
    this.#kept.push(kept);
    this.#keptBytes += kept.byteLength;
  }
}

/**
 * The process's recycled memory, shared by the Kinesis and Kafka adapters: what one frees, the other takes. 8 MiB
 * holds a few of a drain's pages' worth of buffers.
 */
export const recycledMemory = new RecycledMemory(8 * 1024 * 1024);
