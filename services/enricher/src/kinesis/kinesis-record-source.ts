import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorCommandOutput,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { releaseRecordData } from '@sarwatch/runtime';
import { EnricherError } from '../errors.js';
import type { RecordPage, RecordSource, ShardInfo, StartPosition } from '../ports.js';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
]);

/** Reads a stream shard by shard with the polling API (GetShardIterator/GetRecords). */
export class KinesisRecordSource implements RecordSource {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async listShards(signal: AbortSignal): Promise<ShardInfo[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // ListShards refuses StreamName together with NextToken: the token already names the stream.
      const input = nextToken ? { NextToken: nextToken } : { StreamName: this.streamName };
      const page = await this.call(() =>
        this.client.send(new ListShardsCommand(input), { abortSignal: signal }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards.map((shard) => ({
      shardId: shard.ShardId ?? '',
      parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => !!id),
      closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
    }));
  }

  async shardIterator(shardId: string, from: StartPosition, signal: AbortSignal): Promise<string> {
    const command = new GetShardIteratorCommand({
      StreamName: this.streamName,
      ShardId: shardId,
      ShardIteratorType: from.type,
      ...(from.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: from.sequenceNumber } : {}),
    });
    let result: GetShardIteratorCommandOutput;
    try {
      result = await this.client.send(command, { abortSignal: signal });
    } catch (error) {
      if (
        error instanceof Error &&
        error.name === 'InvalidArgumentException' &&
        from.type === 'AFTER_SEQUENCE_NUMBER'
      ) {
        throw new EnricherError('CHECKPOINT_INVALID', `${shardId}: ${error.message}`, { cause: error });
      }
      throw classifyKinesisError(error, this.streamName);
    }
    if (!result.ShardIterator) throw new EnricherError('TRANSIENT', `no iterator returned for ${shardId}`);
    return result.ShardIterator;
  }

  async readPage(iterator: string, limit: number, signal: AbortSignal): Promise<RecordPage> {
    const command = new GetRecordsCommand({ ShardIterator: iterator, Limit: limit });
    const result = await this.call(() => this.client.send(command, { abortSignal: signal }));
    let bytes = 0;
    const records = (result.Records ?? []).map((record) => {
      const data = record.Data ?? new Uint8Array();
      bytes += data.byteLength;
      return {
        data,
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        arrivedAt: record.ApproximateArrivalTimestamp ?? null,
      };
    });
    return {
      records,
      nextIterator: result.NextShardIterator ?? null,
      millisBehindLatest: result.MillisBehindLatest ?? 0,
      bytes,
      // The protocol decodes all of a page's data into one buffer: any record's data names it.
      release: () => {
        if (records[0]) releaseRecordData(records[0].data);
      },
    };
  }

  /** Maps SDK failures onto the few cases the shard reader treats differently. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classifyKinesisError(error, this.streamName);
    }
  }
}

export function classifyKinesisError(error: unknown, streamName: string): unknown {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  if (error.name === 'ExpiredIteratorException') {
    return new EnricherError('ITERATOR_EXPIRED', error.message, { cause: error });
  }
  if (THROTTLING.has(error.name)) return new EnricherError('THROTTLED', error.message, { cause: error });
  if (error.name === 'ResourceNotFoundException') {
    return new EnricherError('STREAM_NOT_FOUND', `stream ${streamName}: ${error.message}`, { cause: error });
  }
  return new EnricherError('TRANSIENT', `${error.name}: ${error.message}`, { cause: error });
}
