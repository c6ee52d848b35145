import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { sleep } from '@sarwatch/runtime';
import { FeedImpossibleError, impossibleFeed } from './put-failure.js';

export interface FeedRecord {
  data: Uint8Array;
  partitionKey: string;
}

export interface FeedLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FeederOptions {
  streamName: string;
  /**
   * Events generated per second, the account's call rate; those the local EventBridge keeps out are not sent. The
   * feeder sends in batches of up to 500, a few times a second.
   */
  ratePerSecond: number;
  /** Stop after generating this many events; unlimited when absent. */
  limit?: number;
}

export interface FeedStats {
  generated: number;
  sent: number;
  retried: number;
}

const MAX_RECORDS_PER_PUT = 500;
const TICKS_PER_SECOND = 10;

/**
 * Puts generated records into a stream at a steady rate, retrying the entries Kinesis throttles and calls that may
 * pass; throws FeedImpossibleError for those that cannot (no such stream, no or refused credentials). `next` returns
 * null for an event that happened but is not for the stream (the rule filtered it).
 */
export class KinesisFeeder {
  constructor(
    private readonly client: KinesisClient,
    private readonly next: () => FeedRecord | null,
    private readonly options: FeederOptions,
    private readonly log: FeedLog,
  ) {}

  async run(signal: AbortSignal): Promise<FeedStats> {
    const stats: FeedStats = { generated: 0, sent: 0, retried: 0 };
    const started = Date.now();
    const limit = this.options.limit ?? Number.POSITIVE_INFINITY;
    while (!signal.aborted && stats.generated < limit) {
      // Catch up to where the rate says we should be, so slow calls do not lower the average rate.
      const due = Math.min(limit, Math.floor(((Date.now() - started) / 1000) * this.options.ratePerSecond));
      let backlog = due - stats.generated;
      while (backlog > 0 && !signal.aborted) {
        const size = Math.min(backlog, MAX_RECORDS_PER_PUT);
        const batch: FeedRecord[] = [];
        for (let index = 0; index < size; index += 1) {
          const record = this.next();
          if (record !== null) batch.push(record);
        }
        stats.generated += size;
        if (batch.length > 0) await this.put(batch, stats, signal);
        backlog -= size;
      }
      await sleep(1000 / TICKS_PER_SECOND, signal);
    }
    return stats;
  }

  private async put(records: FeedRecord[], stats: FeedStats, signal: AbortSignal): Promise<void> {
    let pending: PutRecordsRequestEntry[] = records.map((r) => ({
      Data: r.data,
      PartitionKey: r.partitionKey,
    }));
    let attempt = 0;
    while (pending.length > 0 && !signal.aborted) {
      try {
        const result = await this.client.send(
          new PutRecordsCommand({ StreamName: this.options.streamName, Records: pending }),
        );
        const failed = pending.filter((_, index) => result.Records?.[index]?.ErrorCode !== undefined);
        stats.sent += pending.length - failed.length;
        stats.retried += failed.length;
        pending = failed;
      } catch (error) {
        const impossible = impossibleFeed(error, this.options.streamName);
        if (impossible) throw new FeedImpossibleError(impossible, { cause: error });
        this.log.warn({ err: error, records: pending.length }, 'PutRecords failed, retrying');
      }
      if (pending.length > 0) await sleep(Math.min(5_000, 100 * 2 ** attempt++), signal);
    }
  }
}
