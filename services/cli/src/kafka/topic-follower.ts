import { randomUUID } from 'node:crypto';
import { createKafka, type KafkaConnection } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import type { Admin, KafkaMessage } from 'kafkajs';

export interface FollowOptions {
  connection: KafkaConnection;
  topics: string[];
  fromBeginning: boolean;
  onMessage: (topic: string, message: KafkaMessage) => void;
  /** Settle `caughtUp` once every partition has been read to where it ended when following started. */
  untilEnd?: boolean;
}

export interface Follower {
  /** With `untilEnd`: settles once everything there was at the start has been read. Otherwise never settles. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/** Topics asked for that the cluster does not have (the enricher creates its own at start). */
export class MissingTopicsError extends Error {
  override readonly name = 'MissingTopicsError';
  constructor(readonly missing: readonly string[]) {
    super(`no topic ${missing.join(', ')} on this cluster`);
  }
}

/** The offset each partition ended at when following began: reading up to it is reading "to the end". */
async function endOffsets(admin: Admin, topics: readonly string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(`${topic}:${partition}`, BigInt(high));
    }
  }
  return ends;
}

/**
 * Reads topics as an anonymous observer: a throwaway consumer group that never commits, so watching never moves
 * the offsets of a real subscriber.
 */
export async function followTopics({
  connection,
  topics,
  fromBeginning,
  onMessage,
  untilEnd = false,
}: FollowOptions): Promise<Follower> {
  // Messages are what a follower prints; kafkajs' own lines would mix with them. Failures reach the caller as errors.
  const log = createLogger({ name: 'sarwatch-cli', level: 'silent', format: 'json' });
  const kafka = createKafka({ connection, clientId: 'sarwatch-cli', log });
  const admin = kafka.admin();
  await admin.connect();
  let remaining: Map<string, bigint>;
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) throw new MissingTopicsError(missing);
    remaining = untilEnd && fromBeginning ? await endOffsets(admin, topics) : new Map();
  } finally {
    await admin.disconnect();
  }
  const groupId = `sarwatch-cli-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let reachedEnd = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    reachedEnd = resolve;
  });
  if (untilEnd && remaining.size === 0) reachedEnd();
  // Batches of transaction markers alone carry no message, but still move the position: they come here too.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}:${payload.partition}`;
    const end = remaining.get(key);
    if (end === undefined || BigInt(payload.lastOffset) < end - 1n) return;
    remaining.delete(key);
    if (remaining.size === 0) reachedEnd();
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, message }) => onMessage(topic, message),
  });
  return {
    caughtUp: untilEnd ? caughtUp : new Promise<void>(() => {}),
    stop: async () => {
      await consumer.disconnect();
      const cleanup = kafka.admin();
      await cleanup.connect();
      await cleanup.deleteGroups([groupId]).catch(() => undefined);
      await cleanup.disconnect();
    },
  };
}
