import { BoundedMap } from '../bounded-map.js';
import { RecentIds } from '../dedup/recent-ids.js';

/** What an id is remembered at (see RecentIds): whether its outcome is in the map. */
const EMPTY_OUTCOME = 0;
const OUTCOME_IN_MAP = 1;

/**
 * The outcomes of the last `limit` first evaluations, by event id, for a retry to get the same outcome again.
 *
 * Nearly every outcome is empty (the bench's drain raises 7,486 alerts for 200,000 events). One map of all of them
 * held 50,000 id strings and entries on V8's heap, the largest single item a drain still promoted, which every full
 * collection marked. So the ids evaluated are kept as numbers outside the heap (`RecentIds`, 32-40 bytes each), and
 * only the outcomes that did something are kept in a map beside them.
 *
 * Each id is remembered at a "time" that says whether its outcome is in the map, so an empty outcome costs the map
 * nothing, not even a lookup. The map may still hold an earlier, forgotten evaluation of an id evaluated again with
 * an empty outcome; that entry is never read. An id remembered as in the map has its outcome there: the map forgets
 * an outcome only after `limit` newer outcomes, which are `limit` newer first evaluations, so the id has been
 * forgotten by then too.
 */
export class RememberedOutcomes<Outcome> {
  readonly #evaluated: RecentIds;
  readonly #outcomes: BoundedMap<string, Outcome>;

  constructor(
    limit: number,
    private readonly empty: Outcome,
  ) {
    // Bounded by count alone: an infinite window keeps every id within it, whatever it is remembered at.
    this.#evaluated = new RecentIds({ windowMs: Number.POSITIVE_INFINITY, maxIds: limit });
    this.#outcomes = new BoundedMap(limit);
  }

  /** The outcome remembered for the event, or undefined when it was not evaluated lately. */
  get(eventId: string): Outcome | undefined {
    const remembered = this.#evaluated.rememberedAt(eventId);
    if (remembered === undefined) return undefined;
    return remembered === EMPTY_OUTCOME ? this.empty : this.#outcomes.get(eventId);
  }

  /** Remembers a first evaluation's outcome; `empty` is remembered without taking an entry of the map. */
  set(eventId: string, outcome: Outcome): void {
    const empty = outcome === this.empty;
    this.#evaluated.remember(eventId, empty ? EMPTY_OUTCOME : OUTCOME_IN_MAP);
    if (!empty) this.#outcomes.set(eventId, outcome);
  }
}
