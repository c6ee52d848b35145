import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { DevstackError } from './errors.js';
import type { DevstackLog } from './log.js';
import { waitUntil } from './wait.js';

export interface EnsureStreamOptions {
  client: KinesisClient;
  streamName: string;
  shardCount: number;
  log: DevstackLog;
  timeoutMs?: number;
}

/**
 * Creates the stream if it does not exist and waits until it is ACTIVE. An existing stream is kept as it is, even
 * with a different shard count (logged), because resharding would throw away the records a test put there.
 */
export async function ensureStream(options: EnsureStreamOptions): Promise<void> {
  const { client, streamName, shardCount, log } = options;
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
    log.info({ streamName, shardCount }, 'created Kinesis stream');
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }

  // The SDK's waitUntilStreamExists polls every 10 s at best; the emulator turns ACTIVE in tens of milliseconds.
  let status: string | undefined;
  let openShards: number | undefined;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const outcome = await waitUntil(
    async () => {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      status = summary?.StreamStatus;
      openShards = summary?.OpenShardCount;
      return status === 'ACTIVE';
    },
    { timeoutMs, intervalMs: 100 },
  );
  if (!outcome.ready) {
    const cause = outcome.reason === 'timeout' ? outcome.lastError : undefined;
    throw new DevstackError(
      'STREAM_NOT_ACTIVE',
      `Kinesis stream ${streamName} not ACTIVE after ${timeoutMs} ms (last status: ${status ?? 'unknown'})`,
      { cause },
    );
  }
  if (openShards !== undefined && openShards !== shardCount) {
    log.warn(
      { streamName, shardCount, openShards },
      'Kinesis stream exists with a different shard count; kept',
    );
  }
}
