import { type AccessCheck, ResilientConsumer } from '@sarwatch/kafka';
import type { Logger } from '@sarwatch/runtime';
import { AssignerProtocol, type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { ShardOwnership } from '../ports.js';

export interface KafkaLeaseGroupOptions {
  /** One group per application and stream: its members share that stream's shards. */
  groupId: string;
  /** A topic that holds no data; only its partitions matter, as the units Kafka hands out to members. */
  topic: string;
  /** How long a silent member keeps its partitions: the bound on how long a dead instance's shards wait. */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Kafka refusing access stops the member for good rather than restarting it. */
  accessDenied?: AccessCheck;
}

/**
 * Shard ownership decided by Kafka's consumer-group protocol. The members of one group split the partitions of a
 * lease topic among themselves, and a shard belongs to whoever holds the partition its id hashes to. When a
 * member joins, leaves or stops heartbeating, the group coordinator (a broker) rebalances: no consensus is
 * written here. Two members may both believe they own a shard for a moment during a rebalance; the shard's
 * transactional lease fences the earlier one, so only one of them can publish.
 */
export class KafkaLeaseGroup implements ShardOwnership {
  private readonly consumer: ResilientConsumer;
  private readonly listeners: (() => void)[] = [];
  private assigned = new Set<number>();
  private partitions = 0;
  joined = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaLeaseGroupOptions,
    private readonly log: Logger,
  ) {
    this.consumer = new ResilientConsumer(
      () => this.member(),
      (consumer) => this.join(consumer),
      log,
      'lease group member',
      options.accessDenied,
    );
  }

  /** While the member is down, ownership can no longer change here: what /healthz reports. */
  get failure(): Error | null {
    return this.consumer.failure;
  }

  private member(): Consumer {
    const { options } = this;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      // The topic stays empty: short fetch waits keep the member heartbeating on time.
      maxWaitTimeInMs: options.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      partitionAssigners: [moduloAssigner],
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assign(payload.memberAssignment[options.topic] ?? [], payload.memberId);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      if (payload.restart)
        this.log.warn({ err: payload.error }, 'lease group member crashed; kafkajs restarts it');
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    return consumer;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [this.options.topic] });
      this.partitions = metadata.topics[0]?.partitions.length ?? 0;
    } finally {
      await admin.disconnect();
    }
    if (this.partitions === 0) throw new Error(`lease topic ${this.options.topic} has no partitions`);
    await this.consumer.start();
  }

  private async join(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic });
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  owns(shardId: string): boolean {
    return this.partitions > 0 && this.assigned.has(leasePartition(shardId, this.partitions));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private assign(partitions: number[], memberId: string): void {
    this.joined = true;
    this.assigned = new Set(partitions);
    this.log.info(
      { memberId, leasePartitions: partitions.length, of: this.partitions },
      'lease partitions assigned',
    );
    for (const listener of this.listeners) listener();
  }
}

/**
 * Partition p goes to the (p mod n)-th member in member-id order. Kinesis numbers shards consecutively and a shard
 * maps to partition (number mod partitions), so the open shards of a stream spread evenly over the members. kafkajs'
 * own round-robin assigner deals partitions in metadata order, which is not numeric: with 4 shards and 3 members it
 * can leave a member with none. Every member must offer this assigner; the group refuses members that do not.
 */
export const moduloAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'SarwatchModuloAssigner',
  version: 1,
  async assign({ members, topics }) {
    const memberIds = members.map(({ memberId }) => memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map(({ partitionId }) => partitionId)
        .sort((a, b) => a - b);
      for (const partition of partitions) {
        const member = assignment.get(memberIds[partition % memberIds.length] ?? '');
        if (!member) continue;
        member[topic] = [...(member[topic] ?? []), partition];
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: topicPartitions,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'SarwatchModuloAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});

/**
 * The lease partition of a shard: its number, as Kinesis numbers shards in order (`shardId-000000000007`), mod
 * the partition count. With the modulo assigner, consecutive shards land on different members, and the open shards
 * of a stream are consecutive after any reshard. Any other id is hashed (FNV-1a).
 */
export function leasePartition(shardId: string, partitions: number): number {
  const number = /^shardId-(\d{1,15})$/.exec(shardId)?.[1];
  if (number !== undefined) return Number(number) % partitions;
  let hash = 0x811c9dc5;
  for (let index = 0; index < shardId.length; index += 1) {
    hash ^= shardId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
