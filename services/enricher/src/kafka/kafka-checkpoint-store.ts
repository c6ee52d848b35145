import { randomUUID } from 'node:crypto';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka, Producer } from 'kafkajs';
import { z } from 'zod';
import { EnricherError } from '../errors.js';
import type { Checkpoint, CheckpointStore } from '../ports.js';
import { createDurableProducer } from './kafka-client.js';

const CheckpointRecordSchema = z.object({
  application: z.string(),
  streamName: z.string(),
  shardId: z.string(),
  sequenceNumber: z.string().nullable(),
  ended: z.boolean(),
  updatedAt: z.string(),
});

export interface KafkaCheckpointStoreOptions {
  topic: string;
  application: string;
  streamName: string;
  loadTimeoutMs?: number;
}

/**
 * Checkpoints as a compacted topic keyed by application, stream and shard: the broker keeps the latest one per
 * shard, and it lives as long as the events it describes. Loaded once at start by reading the topic to its end.
 */
export class KafkaCheckpointStore implements CheckpointStore {
  private readonly producer: Producer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaCheckpointStoreOptions,
    private readonly log: Logger,
  ) {
    this.producer = createDurableProducer(kafka);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    const value: z.infer<typeof CheckpointRecordSchema> = {
      application: this.options.application,
      streamName: this.options.streamName,
      ...checkpoint,
      updatedAt: new Date().toISOString(),
    };
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key: this.keyOf(checkpoint.shardId), value: JSON.stringify(value) }],
    });
  }

  async loadAll(signal: AbortSignal): Promise<Map<string, Checkpoint>> {
    const checkpoints = new Map<string, Checkpoint>();
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      ends = new Map(
        offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
      );
    } finally {
      await admin.disconnect();
    }
    if (ends.size === 0) return checkpoints;

    // kafkajs reads only through a consumer group; a throwaway group that never commits reads from the start.
    const groupId = `${this.options.application}-checkpoint-loader-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const prefix = this.keyOf('');
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(
          () =>
            reject(
              new EnricherError('CHECKPOINT_LOAD_TIMEOUT', `could not read ${this.options.topic} to its end`),
            ),
          this.options.loadTimeoutMs ?? 60_000,
        );
        const finish = () => {
          clearTimeout(timeout);
          resolve();
        };
        signal.addEventListener('abort', finish, { once: true });
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const key = message.key?.toString();
              if (key?.startsWith(prefix) && message.value) this.apply(checkpoints, key, message.value);
              const end = ends.get(partition);
              if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(partition);
              if (ends.size === 0) finish();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.deleteGroup(groupId);
    }
    return checkpoints;
  }

  private apply(checkpoints: Map<string, Checkpoint>, key: string, value: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const result = CheckpointRecordSchema.safeParse(parsed);
    if (!result.success) {
      this.log.warn({ key }, 'ignoring an unreadable checkpoint record');
      return;
    }
    const { shardId, sequenceNumber, ended } = result.data;
    checkpoints.set(shardId, { shardId, sequenceNumber, ended });
  }

  private keyOf(shardId: string): string {
    return `${this.options.application}|${this.options.streamName}|${shardId}`;
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch (error) {
      this.log.debug({ err: error, groupId }, 'could not delete the checkpoint loader group');
    } finally {
      await admin.disconnect();
    }
  }
}
