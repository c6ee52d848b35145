/**
 * What the pipeline needs from the outside world. Adapters for Kinesis and Kafka implement these; the pipeline
 * never sees an SDK type.
 */

export interface ShardInfo {
  shardId: string;
  parentShardIds: string[];
  /** Set when the shard was closed by a split or merge: it still holds records until its end. */
  closed: boolean;
}

export type StartPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface StreamRecord {
  data: Uint8Array;
  partitionKey: string;
  sequenceNumber: string;
  arrivedAt: Date | null;
}

export interface RecordPage {
  records: StreamRecord[];
  /** null once a closed shard has been read to its end. */
  nextIterator: string | null;
  millisBehindLatest: number;
  bytes: number;
  /**
   * Frees the memory of the records' data at once, emptying every view of it: only once nothing reads it any more,
   * after the page's commit returned. A page never released is left to the garbage collector.
   */
  release(): void;
}

export interface RecordSource {
  listShards(signal: AbortSignal): Promise<ShardInfo[]>;
  shardIterator(shardId: string, from: StartPosition, signal: AbortSignal): Promise<string>;
  readPage(iterator: string, limit: number, signal: AbortSignal): Promise<RecordPage>;
}

export interface OutboundMessage {
  topic: string;
  key: string;
  value: Uint8Array | string;
  headers: Record<string, string>;
  /** Epoch milliseconds, for a message whose Kafka timestamp must not be the time it was sent. */
  timestamp?: string;
}

export interface Checkpoint {
  shardId: string;
  sequenceNumber: string | null;
  /** The shard was closed and read to its end; its children may start. */
  ended: boolean;
}

/**
 * One instance's exclusive right to publish for one shard. Acquiring it fences every earlier holder, so from then
 * on only this lease's commits can land; a fenced holder's commit fails with EnricherError FENCED.
 */
export interface ShardLease {
  /** The shard's last committed checkpoint, read after the earlier holders were fenced. */
  readonly checkpoint: Checkpoint | undefined;
  /** The page's messages and the shard's new checkpoint, atomically: both become visible or neither does. */
  commit(messages: readonly OutboundMessage[], checkpoint: Checkpoint): Promise<void>;
  release(): Promise<void>;
}

export interface ShardLeases {
  acquire(shardId: string, signal: AbortSignal): Promise<ShardLease>;
}

/** The committed checkpoints of every shard, kept current, for decisions that span shards (resharding). */
export interface CheckpointView {
  hasEnded(shardId: string): boolean;
  /** Called when a shard's final checkpoint is read, whoever wrote it: its children may start. */
  onShardEnded(listener: (shardId: string) => void): void;
}

/** Which shards this instance should read now; decided by a group of instances, not by this one alone. */
export interface ShardOwnership {
  /** Whether this instance is a member of the group right now, i.e. its view of ownership is current. */
  readonly joined: boolean;
  owns(shardId: string): boolean;
  /** Called after every change of what this instance owns. */
  onChange(listener: () => void): void;
}

/** What an operator watches: the pipeline reports here, an adapter turns it into Prometheus metrics. */
export interface PipelineMetrics {
  /** A page is read and held until `pageReleased`: its records and their data's bytes are in flight. */
  pageRead(shardId: string, page: PageInFlight & { millisBehindLatest: number }): void;
  pageReleased(page: PageInFlight): void;
  /** Called once a page's transaction is committed: only then did its events and dead letters happen. */
  pageCommitted(shardId: string, page: CommittedPage): void;
  shardAcquired(shardId: string): void;
  shardReleased(shardId: string): void;
  stalled(shardId: string): void;
  fenced(shardId: string): void;
  reacquired(shardId: string): void;
}

/** A page between GetRecords and the end of its transaction: its records and their data's bytes. */
export interface PageInFlight {
  records: number;
  bytes: number;
}

export interface CommittedPage {
  records: number;
  events: readonly PublishedEventSummary[];
  deadLetters: ReadonlyMap<string, number>;
  duplicates: number;
  alerts: readonly AlertSummary[];
  alertsSuppressed: number;
  /** Null for a page whose commit had no answer, found committed when the shard was acquired again. */
  transactionSeconds: number | null;
  /** What the shard's remembered ids (to drop upstream duplicates) take in memory, after the page. */
  rememberedIdBytes: number;
}

export interface AlertSummary {
  ruleId: string;
  severity: string;
}

/** The few fields of a published event that metrics break counts down by; each has a bounded set of values. */
export interface PublishedEventSummary {
  eventName: string;
  identityType: string;
  actor: string;
  severity: string;
  eventTime: string;
}
