export interface RecentIdsOptions {
  /** An id is remembered this long, measured on the times given to `remember` (Kinesis arrival times). */
  windowMs: number;
  /** Memory bound: past it, the oldest ids are forgotten first, whatever their age. */
  maxIds: number;
}

/**
 * The ids seen recently, to drop what an at-least-once upstream (EventBridge) delivers twice. Time is whatever the
 * caller passes, so a window can be replayed deterministically and no clock is read here.
 */
export class RecentIds {
  // A Map iterates in insertion order, so its first entries are the oldest: eviction never searches.
  readonly #seen = new Map<string, number>();
  #latestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RecentIdsOptions) {
    if (!(options.windowMs > 0) || !Number.isInteger(options.maxIds) || options.maxIds < 1) {
      throw new RangeError('RecentIds needs a positive windowMs and maxIds');
    }
  }

  get size(): number {
    return this.#seen.size;
  }

  has(id: string): boolean {
    const at = this.#seen.get(id);
    return at !== undefined && at > this.#latestMs - this.options.windowMs;
  }

  /** Records that `id` was accepted at `atMs`. Call only once the id's event is durably published. */
  remember(id: string, atMs: number): void {
    // Re-inserting moves the id to the newest end.
    this.#seen.delete(id);
    this.#seen.set(id, atMs);
    if (atMs > this.#latestMs) this.#latestMs = atMs;
    this.#evict();
  }

  #evict(): void {
    const oldestKept = this.#latestMs - this.options.windowMs;
    for (const [id, at] of this.#seen) {
      if (this.#seen.size <= this.options.maxIds && at > oldestKept) break;
      this.#seen.delete(id);
    }
  }
}
