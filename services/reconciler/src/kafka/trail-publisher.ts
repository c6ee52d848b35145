import { randomUUID } from 'node:crypto';
import {
  type KafkaCheckpointLog,
  type KafkaShardLeases,
  MAX_IDS_PER_CLAIM,
  type OutboundMessage,
  type TrailClaimRecord,
} from '@sarwatch/enricher';
import { findFencingError, keyPartitioner } from '@sarwatch/kafka';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka, Message, Producer } from 'kafkajs';
import { ReconcilerError } from '../errors.js';

export interface TrailPublisherOptions {
  application: string;
  streamName: string;
  checkpointTopic: string;
  /** Names this process in claims and takeover records. */
  owner: string;
  transactionTimeoutMs: number;
}

/**
 * The one writer of trail events for an application and stream: a transactional producer whose id is
 * `<application>|<stream>|trail`, so a second backfill or repair fences the first. It also keeps the live path from
 * publishing what it publishes: it claims the events on the checkpoint topic, then fences every shard's writer once,
 * so each of them reads the claims before it commits again (docs/delivery.md).
 */
export class TrailPublisher {
  private readonly producer: Producer;
  /** Another trail publisher of the stream took the transactional id: this one can commit nothing more. */
  fenced = false;

  constructor(
    kafka: Kafka,
    private readonly checkpointLog: KafkaCheckpointLog,
    private readonly leases: KafkaShardLeases,
    private readonly options: TrailPublisherOptions,
    private readonly log: Logger,
  ) {
    this.producer = kafka.producer({
      transactionalId: `${options.application}|${options.streamName}|trail`,
      createPartitioner: keyPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs,
    });
  }

  /** Connects and takes the trail writer's transactional id, fencing any other backfill or repair. */
  async start(): Promise<void> {
    await this.producer.connect();
    // The first transaction initialises the transactional id; expired claims are cleared while at it.
    const tombstones = this.checkpointLog.claims.expiredRecordKeys().map((key) => ({ key, value: null }));
    await this.transact(
      tombstones.length === 0 ? [] : [{ topic: this.options.checkpointTopic, messages: tombstones }],
    );
  }

  /**
   * Claims the events, then fences the writer of every shard that is or was read and has not ended. When it
   * resolves, every commit of the live path either is already in the event index or will be made by a writer that
   * has read the claims, and so drops these events.
   */
  async claimAndFence(
    events: readonly { id: string; time: string }[],
    retentionMs: number,
    signal: AbortSignal,
  ) {
    if (events.length === 0) return;
    const messages: Message[] = [];
    let lastNonce = '';
    for (let start = 0; start < events.length; start += MAX_IDS_PER_CLAIM) {
      const chunk = events.slice(start, start + MAX_IDS_PER_CLAIM);
      const latestMs = Math.max(...chunk.map(({ time }) => Date.parse(time) || Date.now()));
      lastNonce = randomUUID();
      const claim: TrailClaimRecord = {
        owner: this.options.owner,
        nonce: lastNonce,
        at: new Date().toISOString(),
        keepUntil: new Date(latestMs + retentionMs).toISOString(),
        ids: chunk.map(({ id }) => id),
      };
      messages.push({ key: this.checkpointLog.claimKey(lastNonce), value: JSON.stringify(claim) });
    }
    const claimed = this.checkpointLog.waitForRecord(lastNonce, signal);
    await this.transact([{ topic: this.options.checkpointTopic, messages }]);
    await claimed;
    const shards = this.checkpointLog.openShards();
    for (const shardId of shards) {
      const lease = await this.leases.acquire(shardId, signal);
      await lease.release();
    }
    this.log.info(
      { claimed: events.length, shardsFenced: shards.length },
      'claimed events and fenced the live writers',
    );
  }

  /** One page: its events, alerts, dead letters and index entries, atomically. */
  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, headers, timestamp } of messages) {
      const list = byTopic.get(topic) ?? [];
      list.push({ key, value: typeof value === 'string' ? value : Buffer.from(value), headers, timestamp });
      byTopic.set(topic, list);
    }
    await this.transact([...byTopic].map(([topic, list]) => ({ topic, messages: list })));
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }

  private async transact(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    try {
      const transaction = await this.producer.transaction();
      try {
        if (topicMessages.length > 0) await transaction.sendBatch({ acks: -1, topicMessages });
        await transaction.commit();
      } catch (error) {
        if (transaction.isActive()) await transaction.abort().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      if (findFencingError(error) !== null) this.fenced = true;
      throw fencedOrSame(error);
    }
  }
}

function fencedOrSame(error: unknown): unknown {
  if (findFencingError(error) === null) return error;
  return new ReconcilerError(
    'TRAIL_WRITER_FENCED',
    'another backfill or repair of this stream started and took over; this one stopped without publishing more',
    { cause: error },
  );
}
