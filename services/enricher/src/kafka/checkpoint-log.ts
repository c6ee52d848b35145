import { randomUUID } from 'node:crypto';
import { type AccessCheck, messageJson, ResilientConsumer } from '@sarwatch/kafka';
import type { Logger } from '@sarwatch/runtime';
import type { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import type { Checkpoint, CheckpointView } from '../ports.js';
import { TrailClaimRecordSchema, TrailClaims } from './trail-claims.js';

/** A shard's position, published in the same transaction as the events it covers. */
export const CheckpointRecordSchema = z.object({
  application: z.string(),
  streamName: z.string(),
  shardId: z.string(),
  sequenceNumber: z.string().nullable(),
  ended: z.boolean(),
  /** The instance that committed it: shows who owned the shard when. */
  owner: z.string().optional(),
  updatedAt: z.string(),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;

/** Written by a new holder of a shard, alone in a transaction, right after it fenced the earlier holders. */
export const TakeoverRecordSchema = z.object({
  shardId: z.string(),
  owner: z.string(),
  nonce: z.string(),
  at: z.string(),
});

/** How far a continuous reconciliation has judged the trail against the event index. */
export const ReconciledRecordSchema = z.object({
  until: z.iso.datetime(),
  at: z.string(),
  owner: z.string(),
});
export type ReconciledRecord = z.infer<typeof ReconciledRecordSchema>;

export interface CheckpointLogOptions {
  topic: string;
  application: string;
  streamName: string;
  /** Kafka refusing access stops the view for good rather than restarting it. */
  accessDenied?: AccessCheck;
}

/**
 * The checkpoint topic, followed from its beginning by a read_committed consumer, so the view holds exactly the
 * checkpoints of committed transactions. It also answers "has everything committed before this moment been
 * read?": a takeover record written now is delivered only after every record before it, and, with
 * read_committed, only once no transaction still open before it could commit a checkpoint ahead of it.
 */
export class KafkaCheckpointLog implements CheckpointView {
  private readonly checkpoints = new Map<string, Checkpoint>();
  /** Every shard a checkpoint or a takeover names: the shards that were ever read, or are being read. */
  private readonly shardsSeen = new Set<string>();
  readonly claims = new TrailClaims();
  private readonly awaited = new Map<string, () => void>();
  private readonly endedListeners: ((shardId: string) => void)[] = [];
  private readonly consumer: ResilientConsumer;
  private readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: CheckpointLogOptions,
    private readonly log: Logger,
  ) {
    // kafkajs reads only through a consumer group; this one never commits, so it always reads from the start.
    this.groupId = `${options.application}.checkpoint-view.${randomUUID()}`;
    this.consumer = new ResilientConsumer(
      () =>
        kafka.consumer({
          groupId: this.groupId,
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: 500,
          // The group has this one member. After a broker restart, the member's old registration must expire
          // before it can join again, and until then no takeover can complete: keep that as short as brokers allow.
          sessionTimeout: 6_000,
          rebalanceTimeout: 6_000,
          heartbeatInterval: 1_000,
        }),
      (consumer) => this.follow(consumer),
      log,
      'checkpoint view',
      options.accessDenied,
    );
  }

  /** While the view cannot read, no takeover can complete: what /healthz reports. */
  get failure(): Error | null {
    return this.consumer.failure;
  }

  checkpointKey(shardId: string): string {
    return `${this.options.application}|${this.options.streamName}|${shardId}`;
  }

  takeoverKey(shardId: string): string {
    return `${this.checkpointKey(shardId)}|takeover`;
  }

  /** Where `sarwatch reconcile --every` records the end of the last window it judged. */
  reconciledKey(): string {
    return this.checkpointKey('reconciled|progress');
  }

  claimKey(nonce: string): string {
    return this.checkpointKey(`claim|${nonce}`);
  }

  /** The shards that may have a writer now: read or taken over at some time, and not ended. */
  openShards(): string[] {
    return [...this.shardsSeen].filter((shardId) => !this.hasEnded(shardId));
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  private async follow(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    const prefix = this.checkpointKey('');
    const claimPrefix = this.claimKey('');
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const key = message.key?.toString();
        if (!key?.startsWith(prefix)) return;
        if (key.startsWith(claimPrefix)) this.applyClaim(key, message.value);
        else if (!message.value) return;
        // The reconciler reads its progress itself, from the topic, when it starts.
        else if (key === this.reconciledKey()) return;
        else if (key.endsWith('|takeover')) this.applyTakeover(message.value);
        else this.applyCheckpoint(key, message.value);
      },
    });
  }

  async stop(): Promise<void> {
    for (const release of this.awaited.values()) release();
    await this.consumer.stop();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
    } catch (error) {
      this.log.debug({ err: error, groupId: this.groupId }, 'could not delete the checkpoint view group');
    } finally {
      await admin.disconnect();
    }
  }

  get(shardId: string): Checkpoint | undefined {
    return this.checkpoints.get(shardId);
  }

  hasEnded(shardId: string): boolean {
    return this.checkpoints.get(shardId)?.ended ?? false;
  }

  onShardEnded(listener: (shardId: string) => void): void {
    this.endedListeners.push(listener);
  }

  /**
   * Resolves once the takeover or claim record carrying `nonce` has been read, i.e. everything committed before it
   * has.
   */
  waitForRecord(nonce: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.awaited.delete(nonce);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.awaited.set(nonce, () => {
        signal.removeEventListener('abort', onAbort);
        this.awaited.delete(nonce);
        resolve();
      });
    });
  }

  private applyCheckpoint(key: string, value: Buffer): void {
    const parsed = CheckpointRecordSchema.safeParse(messageJson(value));
    if (!parsed.success) {
      this.log.warn({ key }, 'ignoring an unreadable checkpoint record');
      return;
    }
    const { shardId, sequenceNumber, ended } = parsed.data;
    this.shardsSeen.add(shardId);
    const endsNow = ended && !this.hasEnded(shardId);
    this.checkpoints.set(shardId, { shardId, sequenceNumber, ended });
    if (endsNow) for (const listener of this.endedListeners) listener(shardId);
  }

  private applyTakeover(value: Buffer): void {
    const parsed = TakeoverRecordSchema.safeParse(messageJson(value));
    if (!parsed.success) return;
    this.shardsSeen.add(parsed.data.shardId);
    this.awaited.get(parsed.data.nonce)?.();
  }

  private applyClaim(key: string, value: Buffer | null): void {
    if (value === null) {
      this.claims.apply(key, null);
      return;
    }
    const parsed = TrailClaimRecordSchema.safeParse(messageJson(value));
    if (!parsed.success) {
      this.log.warn({ key }, 'ignoring an unreadable trail claim record');
      return;
    }
    this.claims.prune();
    this.claims.apply(key, parsed.data);
    this.awaited.get(parsed.data.nonce)?.();
  }
}
