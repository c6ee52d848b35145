import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createEventGenerator } from '@sarwatch/feeder';

export interface BenchRecord {
  eventId: string;
  data: Uint8Array;
  partitionKey: string;
}

/**
 * Realistic SAR CloudTrail events in EventBridge envelopes, as the feeder makes them. Keyed by envelope id, so they
 * spread over every shard, as an organization-wide trail's many accounts would.
 */
export function benchRecords(count: number, seed: number): BenchRecord[] {
  const generator = createEventGenerator({ seed, malformedRatio: 0 });
  return Array.from({ length: count }, () => {
    const record = generator.next();
    if (record.kind !== 'event') throw new Error('asked for events only');
    return { eventId: record.record.eventID, data: record.data, partitionKey: record.partitionKey };
  });
}

const MAX_PER_CALL = 500;

/** Puts records with PutRecords, retrying the entries the emulator refuses, until all are stored. */
export async function putRecords(kinesis: KinesisClient, stream: string, records: readonly BenchRecord[]) {
  let pending = records;
  while (pending.length > 0) {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: pending.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
      }),
    );
    pending = pending.filter((_, index) => result.Records?.[index]?.ErrorCode !== undefined);
  }
}

/** Fills a stream as fast as `concurrency` parallel PutRecords calls allow; resolves with the seconds it took. */
export async function prefill(
  kinesis: KinesisClient,
  stream: string,
  records: readonly BenchRecord[],
  concurrency = 4,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const batch = records.slice(next, next + MAX_PER_CALL);
      next += MAX_PER_CALL;
      await putRecords(kinesis, stream, batch);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

export interface PacedPut {
  /** When each event's PutRecords call was made (Date.now()), by CloudTrail eventID. */
  sentAt: Map<string, number>;
  put: number;
  seconds: number;
}

const TICK_MS = 20;

/**
 * Puts `rate` records a second for `seconds`, in small batches every 20 ms so that arrival is close to steady, with
 * up to `maxInFlight` calls at once when the emulator answers slower than the rate needs. Falls behind, rather than
 * bursting, when even that is not enough: the achieved rate is in the result.
 */
export async function putAtRate(
  kinesis: KinesisClient,
  stream: string,
  {
    rate,
    seconds,
    seed,
    maxInFlight = 8,
  }: { rate: number; seconds: number; seed: number; maxInFlight?: number },
): Promise<PacedPut> {
  const records = benchRecords(Math.ceil(rate * seconds), seed);
  const sentAt = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let next = 0;
  while (next < records.length) {
    const due = Math.min(records.length, Math.floor(((performance.now() - started) / 1000) * rate));
    while (next < due && inFlight.size < maxInFlight) {
      const batch = records.slice(next, Math.min(due, next + MAX_PER_CALL));
      next += batch.length;
      const now = Date.now();
      for (const record of batch) sentAt.set(record.eventId, now);
      const call = putRecords(kinesis, stream, batch).finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    else await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(inFlight);
  return { sentAt, put: records.length, seconds: (performance.now() - started) / 1000 };
}
