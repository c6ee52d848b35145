import { EventIndexRecordSchema, type IndexedEvent, inWindow, type TimeWindow } from '@sarwatch/core';
import { messageJson, readTopicRange } from '@sarwatch/kafka';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka } from 'kafkajs';

/** CloudTrail's clock and ours may differ a little; an eventTime further ahead of its index message is not real. */
const FUTURE_TOLERANCE_MS = 15 * 60_000;

/**
 * The index entries of a window, read with read_committed from the first index message stamped at or after the
 * window's start (index messages carry the latest eventTime of their entries) to the end of the topic.
 *
 * An entry stamped in the future was indexed at the time it was handled, and belongs to the window of that time:
 * CloudTrail never writes such a record, so it is what an injected record looks like, and it must not escape every
 * window.
 */
export async function readIndexedEvents(
  kafka: Kafka,
  topic: string,
  window: TimeWindow,
  log: Logger,
  signal?: AbortSignal,
): Promise<Map<string, IndexedEvent>> {
  const events = new Map<string, IndexedEvent>();
  let unreadable = 0;
  await readTopicRange(kafka, {
    topic,
    fromTimestampMs: window.from.getTime(),
    signal,
    onMessage: (message) => {
      const parsed = EventIndexRecordSchema.safeParse(messageJson(message.value));
      if (!parsed.success) {
        unreadable += 1;
        return;
      }
      const stampedMs = Number(message.timestamp);
      for (const entry of parsed.data.entries) {
        const timeMs = Date.parse(entry.time);
        const futureDated = !(timeMs <= stampedMs + FUTURE_TOLERANCE_MS);
        if (futureDated ? inWindow(window, stampedMs) : inWindow(window, timeMs)) {
          events.set(entry.id, { ...entry, origin: parsed.data.origin, stampedMs });
        }
      }
    },
  });
  if (unreadable > 0) log.warn({ topic, unreadable }, 'skipped index messages that are not index records');
  return events;
}
