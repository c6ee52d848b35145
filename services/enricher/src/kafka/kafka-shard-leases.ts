import { randomUUID } from 'node:crypto';
import { findFencingError, keyPartitioner } from '@sarwatch/kafka';
import type { Kafka, Message, Producer } from 'kafkajs';
import { EnricherError } from '../errors.js';
import type { Checkpoint, OutboundMessage, ShardLease, ShardLeases } from '../ports.js';
import type { CheckpointRecord, KafkaCheckpointLog } from './checkpoint-log.js';

export interface KafkaShardLeasesOptions {
  checkpointTopic: string;
  application: string;
  streamName: string;
  /** Names this instance in checkpoints and takeover records. */
  owner: string;
  /** How long the broker lets a transaction stay open before aborting it (a hung or dead holder's). */
  transactionTimeoutMs: number;
}

type TopicMessages = { topic: string; messages: Message[] }[];

/**
 * Shard leases as Kafka transactional producers, one per shard, with a transactional id made of the application,
 * the stream and the shard. Initialising the producer of a transactional id bumps its epoch, which fences the
 * earlier producer of the same id wherever it runs and aborts its open transaction: the broker enforces single
 * ownership, not this process.
 */
export class KafkaShardLeases implements ShardLeases {
  constructor(
    private readonly kafka: Kafka,
    private readonly checkpointLog: KafkaCheckpointLog,
    private readonly options: KafkaShardLeasesOptions,
  ) {}

  async acquire(shardId: string, signal: AbortSignal): Promise<ShardLease> {
    const { application, streamName, owner, checkpointTopic } = this.options;
    const producer = this.kafka.producer({
      transactionalId: `${application}|${streamName}|${shardId}`,
      createPartitioner: keyPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs,
      // Failures surface quickly; the shard reader decides what follows (acquire again, resume from the checkpoint).
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 3 },
    });
    try {
      await producer.connect();
      const nonce = randomUUID();
      const takenOver = this.checkpointLog.waitForRecord(nonce, signal);
      // A producer's first transaction initialises its transactional id: that is the fencing step.
      await commitTransaction(producer, [
        {
          topic: checkpointTopic,
          messages: [
            {
              key: this.checkpointLog.takeoverKey(shardId),
              value: JSON.stringify({ shardId, owner, nonce, at: new Date().toISOString() }),
            },
          ],
        },
      ]);
      await takenOver;
      return new KafkaShardLease(producer, shardId, this.checkpointLog.get(shardId), (checkpoint) => ({
        topic: checkpointTopic,
        message: this.checkpointMessage(checkpoint),
      }));
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw asFenced(error);
    }
  }

  private checkpointMessage(checkpoint: Checkpoint): Message {
    const record: CheckpointRecord = {
      application: this.options.application,
      streamName: this.options.streamName,
      ...checkpoint,
      owner: this.options.owner,
      updatedAt: new Date().toISOString(),
    };
    return { key: this.checkpointLog.checkpointKey(checkpoint.shardId), value: JSON.stringify(record) };
  }
}

class KafkaShardLease implements ShardLease {
  constructor(
    private readonly producer: Producer,
    private readonly shardId: string,
    readonly checkpoint: Checkpoint | undefined,
    private readonly checkpointRecord: (checkpoint: Checkpoint) => { topic: string; message: Message },
  ) {}

  async commit(messages: readonly OutboundMessage[], checkpoint: Checkpoint): Promise<void> {
    if (checkpoint.shardId !== this.shardId) {
      throw new Error(`the lease of ${this.shardId} cannot checkpoint ${checkpoint.shardId}`);
    }
    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, message: Message) => {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    };
    for (const message of messages) add(message.topic, kafkaMessage(message));
    const { topic, message } = this.checkpointRecord(checkpoint);
    add(topic, message);
    try {
      await commitTransaction(
        this.producer,
        [...byTopic].map(([name, list]) => ({ topic: name, messages: list })),
      );
    } catch (error) {
      throw asFenced(error);
    }
  }

  release(): Promise<void> {
    return this.producer.disconnect();
  }
}

/** Sends and commits, or aborts on any failure and rethrows it. */
async function commitTransaction(producer: Producer, topicMessages: TopicMessages): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await transaction.sendBatch({ acks: -1, topicMessages });
    await transaction.commit();
  } catch (error) {
    // Best effort: if the abort does not reach the broker, fencing or the transaction timeout ends it.
    if (transaction.isActive()) await transaction.abort().catch(() => undefined);
    throw error;
  }
}

/** A fencing error anywhere in a kafkajs error's chain of causes, as EnricherError FENCED. */
function asFenced(error: unknown): unknown {
  const fencing = findFencingError(error);
  return fencing === null
    ? error
    : new EnricherError('FENCED', `another instance holds the shard now: ${fencing.message}`, {
        cause: error,
      });
}

/**
 * The message as kafkajs takes it, which only reads it: the message itself when its value is text (which kafkajs
 * writes straight into the request) or a Buffer (as the page arena gives), else a copy whose value is a Buffer over
 * the same bytes. A copy of every message lived through the transaction's first round trip, long enough to be
 * promoted to the old generation.
 */
function kafkaMessage(message: OutboundMessage): Message {
  const { value } = message;
  // Its value, just checked, is one kafkajs takes as it is.
  if (typeof value === 'string' || Buffer.isBuffer(value))
    return message as OutboundMessage & { value: typeof value };
  return {
    key: message.key,
    value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    headers: message.headers,
    ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
  };
}
