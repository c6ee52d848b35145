import { uuidWords } from './uuid-words.js';

export interface RecentIdsOptions {
  /** An id is remembered this long, measured on the times given to `remember` (Kinesis arrival times). */
  windowMs: number;
  /** Memory bound: past it, the oldest ids are forgotten first, whatever their age. */
  maxIds: number;
}

const MAX_INITIAL_SLOTS = 1_024;
const GONE = Number.NaN;
const EMPTY = 0;

/**
 * The ids seen recently, to drop what an at-least-once upstream (EventBridge) delivers twice. Time is whatever the
 * caller passes, so a window can be replayed deterministically and no clock is read here.
 *
 * A drain or an overload remembers hundreds of thousands of ids, the largest part of the enricher's heap when they
 * were strings in a Map (about 130 bytes each, all marked by every collection). CloudTrail's eventIDs are UUIDs, so
 * they are kept as four 32-bit words in typed arrays instead: a ring in the order they were remembered, and an
 * open-addressing table over it, 32 to 40 bytes an id at the bound and nothing for the collector to walk. Any
 * other id is kept as a string beside them, in the same order.
 */
export class RecentIds {
  /** Slot s holds the id remembered s-th modulo the ring's size: words 4s..4s+3, or a string in `#strings`. */
  #words: Uint32Array;
  /** When each slot's id was remembered; GONE once it was remembered again later, or forgotten. */
  #times: Float64Array;
  #strings = new Map<number, string>();
  /** Open addressing, linear probing: slot + 1 of each UUID in the ring, EMPTY where none. */
  #table: Int32Array;
  /** Where string ids are, the UUIDs' table's counterpart. */
  #stringSlots = new Map<string, number>();
  /** The ring's largest size: 4/3 of maxIds, so that a ring holding maxIds ids still has a quarter free. */
  readonly #maxSlots: number;
  /** Logical positions: slot = position modulo the ring's size. */
  #oldest = 0;
  #next = 0;
  #live = 0;
  #latestMs = Number.NEGATIVE_INFINITY;
  /** The words of the id `#find` was last asked about, when it is a UUID. */
  readonly #scratch = new Uint32Array(4);
  #scratchIsUuid = false;
  /**
   * The id `#find` was last asked about and its slot, until anything changes: the alert engine asks whether an id
   * was evaluated and then remembers it, and looking it up once instead of twice was 7% of its time.
   */
  #foundId: string | undefined;
  #foundSlot = -1;

  constructor(private readonly options: RecentIdsOptions) {
    if (!(options.windowMs > 0) || !Number.isInteger(options.maxIds) || options.maxIds < 1) {
      throw new RangeError('RecentIds needs a positive windowMs and maxIds');
    }
    // The ring grows as ids come; a small bound starts small.
    const slots = Math.min(MAX_INITIAL_SLOTS, 2 ** Math.ceil(Math.log2(options.maxIds + 1)));
    this.#maxSlots = Math.max(slots, Math.ceil((options.maxIds * 4) / 3));
    this.#words = new Uint32Array(slots * 4);
    this.#times = new Float64Array(slots).fill(GONE);
    this.#table = new Int32Array(this.#tableLength(slots));
  }

  get size(): number {
    return this.#live;
  }

  /** The memory the ids are kept in, outside V8's heap: 24 bytes a slot and 4 an entry of the table. */
  get heldBytes(): number {
    return this.#words.byteLength + this.#times.byteLength + this.#table.byteLength;
  }

  has(id: string): boolean {
    return this.rememberedAt(id) !== undefined;
  }

  /** The time `id` was last remembered at, while it is remembered; else undefined. */
  rememberedAt(id: string): number | undefined {
    const slot = this.#find(id);
    if (slot < 0) return undefined;
    const atMs = this.#times[slot] as number;
    return atMs > this.#latestMs - this.options.windowMs ? atMs : undefined;
  }

  /** Records that `id` was accepted at `atMs`. Call only once the id's event is durably published. */
  remember(id: string, atMs: number): void {
    // Also leaves the id's words in #scratch, which forgetting and rebuilding leave alone.
    const previous = this.#find(id);
    this.#foundId = undefined;
    if (previous >= 0) this.#forget(previous);
    if (this.#next - this.#oldest === this.#times.length) this.#rebuild();
    const slot = this.#next % this.#times.length;
    this.#next += 1;
    // NaN marks a slot as gone: a time that is no number (an invalid arrival date) counts as long past instead.
    this.#times[slot] = Number.isNaN(atMs) ? Number.NEGATIVE_INFINITY : atMs;
    this.#live += 1;
    if (this.#scratchIsUuid) {
      this.#words.set(this.#scratch, slot * 4);
      this.#insert(slot);
    } else {
      this.#strings.set(slot, id);
      this.#stringSlots.set(id, slot);
    }
    while (this.#live > this.options.maxIds) this.#forget(this.#oldestSlot());
    if (atMs > this.#latestMs) this.#latestMs = atMs;
    // Insertion order, not time order: an id that arrived late waits behind newer ones.
    const oldestKept = this.#latestMs - this.options.windowMs;
    while (this.#live > 0) {
      const slot = this.#oldestSlot();
      if ((this.#times[slot] as number) > oldestKept) break;
      this.#forget(slot);
    }
  }

  /** The slot of the oldest id still remembered (there must be one), passing over those remembered again. */
  #oldestSlot(): number {
    for (;;) {
      const slot = this.#oldest % this.#times.length;
      if (!Number.isNaN(this.#times[slot])) return slot;
      this.#oldest += 1;
    }
  }

  #forget(slot: number): void {
    const text = this.#strings.get(slot);
    if (text === undefined) this.#remove(slot);
    else {
      this.#strings.delete(slot);
      this.#stringSlots.delete(text);
    }
    this.#times[slot] = GONE;
    this.#live -= 1;
  }

  #find(id: string): number {
    if (id === this.#foundId) return this.#foundSlot;
    this.#foundId = id;
    this.#foundSlot = this.#lookUp(id);
    return this.#foundSlot;
  }

  #lookUp(id: string): number {
    this.#scratchIsUuid = uuidWords(id, this.#scratch, 0);
    if (!this.#scratchIsUuid) return this.#stringSlots.get(id) ?? -1;
    for (let at = this.#home(this.#scratch, 0); ; at = this.#after(at)) {
      const entry = this.#table[at] as number;
      if (entry === EMPTY) return -1;
      if (this.#sameWords(entry - 1)) return entry - 1;
    }
  }

  #sameWords(slot: number): boolean {
    const words = this.#words;
    const base = slot * 4;
    const scratch = this.#scratch;
    return (
      words[base] === scratch[0] &&
      words[base + 1] === scratch[1] &&
      words[base + 2] === scratch[2] &&
      words[base + 3] === scratch[3]
    );
  }

  /**
   * Twice the ids a ring of `slots` can hold, so the table stays at most half full: maxIds, and the one `remember`
   * adds before it forgets the oldest. Not rounded up to a power of two, which made it up to four times as large:
   * 262,144 entries (1 MiB) for the 75,000 ids of each shard in the bench's overload, against 177,148.
   */
  #tableLength(slots: number): number {
    return 2 * Math.min(slots, this.options.maxIds + 1);
  }

  /**
   * Where a UUID's probing starts. Version 4 UUIDs are random, but mixing keeps others from crowding. The mixed
   * 32-bit hash, as a fraction of 2^32, scales to the table's length (exact: the product stays below 2^53).
   */
  #home(words: Uint32Array, base: number): number {
    let hash = Math.imul((words[base] as number) ^ 0x9e3779b9, 0x85ebca6b);
    hash = Math.imul(hash ^ (words[base + 1] as number), 0xc2b2ae35);
    hash = Math.imul(hash ^ (words[base + 2] as number), 0x27d4eb2f);
    hash = Math.imul(hash ^ (words[base + 3] as number), 0x165667b1);
    return Math.floor((((hash ^ (hash >>> 15)) >>> 0) * this.#table.length) / 2 ** 32);
  }

  /** The table entry probed after `at`, wrapping around. */
  #after(at: number): number {
    return at + 1 === this.#table.length ? 0 : at + 1;
  }

  #insert(slot: number): void {
    let at = this.#home(this.#words, slot * 4);
    while (this.#table[at] !== EMPTY) at = this.#after(at);
    this.#table[at] = slot + 1;
  }

  /** Takes a UUID's slot out of the table, moving back the entries after it that its place had pushed along. */
  #remove(slot: number): void {
    const table = this.#table;
    let hole = this.#home(this.#words, slot * 4);
    while (table[hole] !== slot + 1) hole = this.#after(hole);
    for (let at = this.#after(hole); table[at] !== EMPTY; at = this.#after(at)) {
      const home = this.#home(this.#words, ((table[at] as number) - 1) * 4);
      // The entry may fill the hole unless its home lies after the hole, up to where it sits (cyclically).
      const homeAfterHole = hole <= at ? home > hole && home <= at : home > hole || home <= at;
      if (!homeAfterHole) {
        table[hole] = table[at] as number;
        hole = at;
      }
    }
    table[hole] = EMPTY;
  }

  /**
   * The ring is full: copies what is still remembered, in order, to the front of a ring of the same size when at
   * most three quarters of it is, else of half again the size up to 4/3 of maxIds, and indexes it again. A quarter
   * or more is then free, so each id is copied a few times at most over its life. Neither needs a power of two: a
   * ring doubled to the next one held 131,072 slots for the 75,000 ids of each shard in the bench's overload.
   */
  #rebuild(): void {
    const oldSlots = this.#times.length;
    const slots =
      this.#live * 4 <= oldSlots * 3 ? oldSlots : Math.min(Math.ceil(oldSlots * 1.5), this.#maxSlots);
    const words = new Uint32Array(slots * 4);
    const times = new Float64Array(slots).fill(GONE);
    const strings = new Map<number, string>();
    let kept = 0;
    for (let position = this.#oldest; position < this.#next; position++) {
      const from = position % oldSlots;
      if (Number.isNaN(this.#times[from])) continue;
      times[kept] = this.#times[from] as number;
      words.set(this.#words.subarray(from * 4, from * 4 + 4), kept * 4);
      const text = this.#strings.get(from);
      if (text !== undefined) strings.set(kept, text);
      kept += 1;
    }
    this.#words = words;
    this.#times = times;
    this.#strings = strings;
    this.#stringSlots = new Map([...strings].map(([slot, text]) => [text, slot]));
    this.#table = new Int32Array(this.#tableLength(slots));
    for (let slot = 0; slot < kept; slot++) if (!strings.has(slot)) this.#insert(slot);
    this.#oldest = 0;
    this.#next = kept;
  }
}
