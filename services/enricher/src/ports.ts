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
}

export interface EventSink {
  /** Resolves once every message is acknowledged by all in-sync replicas. */
  publish(messages: readonly OutboundMessage[]): Promise<void>;
}

export interface Checkpoint {
  shardId: string;
  sequenceNumber: string | null;
  /** The shard was closed and read to its end; its children may start. */
  ended: boolean;
}

export interface CheckpointStore {
  loadAll(signal: AbortSignal): Promise<Map<string, Checkpoint>>;
  save(checkpoint: Checkpoint): Promise<void>;
}
