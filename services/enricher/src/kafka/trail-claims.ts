import { z } from 'zod';

/**
 * Event ids a trail writer (`sarwatch backfill`, `sarwatch reconcile --repair`) is about to publish or has
 * published, on the checkpoint topic, committed before it fences the shards' writers. From then on the live path
 * drops a stream copy of any of them, so an event is never published by both: see docs/delivery.md.
 */
export const TrailClaimRecordSchema = z.object({
  owner: z.string(),
  nonce: z.string(),
  at: z.string(),
  /** After this, no stream copy of these events can still arrive (the stream's retention and EventBridge's retries). */
  keepUntil: z.string(),
  ids: z.array(z.string()),
});
export type TrailClaimRecord = z.infer<typeof TrailClaimRecordSchema>;

/** Claim records stay under Kafka's 1 MB default message limit: an event id is 36 characters. */
export const MAX_IDS_PER_CLAIM = 10_000;

/** The live claims, as the checkpoint topic's view has read them; each is forgotten once it has expired. */
export class TrailClaims {
  private readonly keepUntilById = new Map<string, number>();
  /** Claim record keys with their expiry, so a trail writer can remove expired records from the topic. */
  private readonly records = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  apply(key: string, record: TrailClaimRecord | null): void {
    if (record === null) {
      this.records.delete(key);
      return;
    }
    const keepUntil = Date.parse(record.keepUntil);
    if (!(keepUntil > this.now())) return;
    this.records.set(key, keepUntil);
    for (const id of record.ids) {
      if ((this.keepUntilById.get(id) ?? 0) < keepUntil) this.keepUntilById.set(id, keepUntil);
    }
  }

  has(eventId: string): boolean {
    const keepUntil = this.keepUntilById.get(eventId);
    if (keepUntil === undefined) return false;
    if (keepUntil > this.now()) return true;
    this.keepUntilById.delete(eventId);
    return false;
  }

  get size(): number {
    return this.keepUntilById.size;
  }

  /** Keys of claim records that have expired: a trail writer writes tombstones for them. */
  expiredRecordKeys(): string[] {
    const now = this.now();
    return [...this.records].filter(([, keepUntil]) => keepUntil <= now).map(([key]) => key);
  }

  /** Drops expired ids; called now and then so that memory follows the live claims only. */
  prune(): void {
    const now = this.now();
    for (const [id, keepUntil] of this.keepUntilById) if (keepUntil <= now) this.keepUntilById.delete(id);
  }
}
