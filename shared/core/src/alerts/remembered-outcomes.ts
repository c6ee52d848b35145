import { BoundedMap } from '../bounded-map.js';
import { RecentIds } from '../dedup/recent-ids.js';

/**
 * The outcomes of the last `limit` first evaluations, by event id, for a retry to get the same outcome again.
 *
 * Nearly every outcome is empty (the bench's drain raises 7,486 alerts for 200,000 events). One map of all of them
 * held 50,000 id strings and entries on V8's heap, the largest single item a drain still promoted, which every full
 * collection marked. So the ids evaluated are kept as numbers outside the heap (`RecentIds`, 32-40 bytes each), and
 * only the outcomes that did something are kept in a map beside them.
 *
 * A remembered id whose outcome is not in the map had an empty one: the map forgets an outcome only after `limit`
 * newer outcomes, which are `limit` newer first evaluations, so the id has been forgotten by then too.
 */
export class RememberedOutcomes<Outcome> {
  readonly #evaluated: RecentIds;
  readonly #outcomes: BoundedMap<string, Outcome>;

  constructor(
    limit: number,
    private readonly empty: Outcome,
  ) {
    // Bounded by count alone: the same clock reading for every id keeps them all within any window.
    this.#evaluated = new RecentIds({ windowMs: Number.POSITIVE_INFINITY, maxIds: limit });
    this.#outcomes = new BoundedMap(limit);
  }

  /** The outcome remembered for the event, or undefined when it was not evaluated lately. */
  get(eventId: string): Outcome | undefined {
    if (!this.#evaluated.has(eventId)) return undefined;
    return this.#outcomes.get(eventId) ?? this.empty;
  }

  /** Remembers a first evaluation's outcome; `empty` is remembered without taking an entry of the map. */
  set(eventId: string, outcome: Outcome): void {
    this.#evaluated.remember(eventId, 0);
    if (outcome === this.empty) this.#outcomes.delete(eventId);
    else this.#outcomes.set(eventId, outcome);
  }
}
