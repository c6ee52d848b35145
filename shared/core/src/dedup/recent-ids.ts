import { BoundedMap } from '../bounded-map.js';

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
  readonly #seen: BoundedMap<string, number>;
  #latestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RecentIdsOptions) {
    if (!(options.windowMs > 0) || !Number.isInteger(options.maxIds) || options.maxIds < 1) {
      throw new RangeError('RecentIds needs a positive windowMs and maxIds');
    }
    this.#seen = new BoundedMap(options.maxIds);
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
    this.#seen.set(id, atMs);
    if (atMs > this.#latestMs) this.#latestMs = atMs;
    this.#evict();
  }

  #evict(): void {
    const oldestKept = this.#latestMs - this.options.windowMs;
    // Insertion order, not time order: an id that arrived late waits behind newer ones, as it did before.
    for (let oldest = this.#seen.oldest(); oldest && oldest[1] <= oldestKept; oldest = this.#seen.oldest()) {
      this.#seen.delete(oldest[0]);
    }
  }
}
