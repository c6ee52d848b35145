import { z } from 'zod';
import { EventOriginSchema } from './enriched-event.js';

/**
 * One CloudTrail event sarwatch has handled, as the event index records it: enough to count it by day, account,
 * region and name, and to know it is not to be published again.
 */
export const EventIndexEntrySchema = z.object({
  /** CloudTrail `eventID`. */
  id: z.string(),
  /** CloudTrail `eventTime`, as the record gave it. */
  time: z.string(),
  name: z.string(),
  source: z.string(),
  /** `recipientAccountId`, else the caller's account; null when the record names neither. */
  account: z.string().nullable(),
  region: z.string(),
  /** `published` on the events topic, or `dead-lettered`: on the dead-letter topic, with its reason. */
  outcome: z.enum(['published', 'dead-lettered']),
});
export type EventIndexEntry = z.infer<typeof EventIndexEntrySchema>;

/**
 * A message on `sarwatch.event-index.v1`, committed in the same transaction as the events it lists: a
 * read_committed reader of the index sees exactly the events a read_committed reader of the events topic sees. Its
 * Kafka timestamp is the latest eventTime among its entries, so the index of a time window starts at the offset
 * Kafka finds for the window's start (ListOffsets by timestamp) and never before. Brokers refuse timestamps more than
 * an hour ahead (`log.message.timestamp.after.max.ms`), so an event stamped in the future is indexed at the time it
 * was handled: reconcile judges such an entry with the window of its timestamp.
 */
export const EventIndexRecordSchema = z.object({
  version: z.literal(1),
  origin: EventOriginSchema,
  entries: z.array(EventIndexEntrySchema),
});
export type EventIndexRecord = z.infer<typeof EventIndexRecordSchema>;

export const EVENT_INDEX_TOPIC_V1 = 'sarwatch.event-index.v1';

/** Entries per index message: 2,000 entries of about 200 bytes stay well inside Kafka's 1 MB default message limit. */
export const MAX_INDEX_ENTRIES_PER_MESSAGE = 2_000;

/** The index messages for a page's entries, each with the timestamp (epoch ms) it must be written with. */
export function eventIndexMessages(
  origin: EventIndexRecord['origin'],
  entries: readonly EventIndexEntry[],
  nowMs: number,
): { value: string; timestampMs: number }[] {
  const messages: { value: string; timestampMs: number }[] = [];
  for (let start = 0; start < entries.length; start += MAX_INDEX_ENTRIES_PER_MESSAGE) {
    const chunk = entries.slice(start, start + MAX_INDEX_ENTRIES_PER_MESSAGE);
    let latest = Number.NEGATIVE_INFINITY;
    for (const entry of chunk) {
      const time = Date.parse(entry.time);
      if (time > latest) latest = time;
    }
    const record: EventIndexRecord = { version: 1, origin, entries: chunk };
    messages.push({
      value: JSON.stringify(record),
      // A record whose eventTime does not parse still needs a timestamp: when it was handled.
      timestampMs: Number.isFinite(latest) ? Math.min(Math.max(latest, 0), nowMs) : nowMs,
    });
  }
  return messages;
}
