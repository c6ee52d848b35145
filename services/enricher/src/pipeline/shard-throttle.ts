/** Kinesis Data Streams quotas per shard, shared by every polling consumer of the stream. */
export const GET_RECORDS_CALLS_PER_SECOND = 5;
export const READ_BYTES_PER_SECOND = 2 * 1024 * 1024;

/**
 * Spaces one shard's GetRecords calls so they stay within both read quotas: at most five calls a second, and
 * after a large page, long enough for the bytes read to fit in the 2 MB/s budget.
 */
export class ShardThrottle {
  private nextCallAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds to wait before the next call. */
  delay(): number {
    return Math.max(0, this.nextCallAt - this.now());
  }

  recordCall(bytesRead: number): void {
    const callSpacing = 1000 / GET_RECORDS_CALLS_PER_SECOND;
    const byteSpacing = (bytesRead / READ_BYTES_PER_SECOND) * 1000;
    this.nextCallAt = this.now() + Math.max(callSpacing, byteSpacing);
  }
}
