import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface TopicRangeOptions {
  topic: string;
  /** Start at each partition's first message stamped at or after this (epoch ms); from the beginning when absent. */
  fromTimestampMs?: number;
  onMessage: (message: KafkaMessage, partition: number) => void;
  signal?: AbortSignal;
}

/**
 * Reads a topic with read_committed, from a time to the end each partition had when the read began, and resolves
 * once there. Kafka finds the start offsets (ListOffsets by timestamp): the earliest message stamped at or after the
 * time. A throwaway group that never commits does the reading, since kafkajs reads only through groups.
 */
export async function readTopicRange(kafka: Kafka, options: TopicRangeOptions): Promise<void> {
  const { topic, fromTimestampMs, onMessage, signal } = options;
  const admin = kafka.admin();
  await admin.connect();
  const ranges = new Map<number, { start: bigint; end: bigint }>();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts =
      fromTimestampMs === undefined ? null : await admin.fetchTopicOffsetsByTimestamp(topic, fromTimestampMs);
    for (const { partition, high, low } of ends) {
      const fromTime = starts?.find((start) => start.partition === partition)?.offset;
      const start = BigInt(fromTime ?? low) > BigInt(low) ? BigInt(fromTime ?? low) : BigInt(low);
      if (start < BigInt(high)) ranges.set(partition, { start, end: BigInt(high) });
    }
  } finally {
    await admin.disconnect();
  }
  if (ranges.size === 0) return;

  const groupId = `sarwatch-range-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  const remaining = new Set(ranges.keys());
  let finish = () => {};
  let fail = (_error: unknown) => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const onAbort = () => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // A batch of transaction markers alone carries no message but still moves the position: it comes here too.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const range = ranges.get(payload.partition);
    if (range === undefined || BigInt(payload.lastOffset) < range.end - 1n) return;
    remaining.delete(payload.partition);
    if (remaining.size === 0) finish();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = ranges.get(partition);
        // A fetch sent before the seek below took effect may bring messages from before the range.
        if (
          range === undefined ||
          BigInt(message.offset) < range.start ||
          BigInt(message.offset) >= range.end
        )
          return;
        onMessage(message, partition);
      },
    });
    for (const [partition, { start }] of ranges) consumer.seek({ topic, partition, offset: String(start) });
    await done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => undefined);
    await cleanup.disconnect().catch(() => undefined);
  }
}
