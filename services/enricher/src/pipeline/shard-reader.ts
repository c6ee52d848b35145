import type { Logger } from '@sarwatch/runtime';
import { Backoff, sleep } from '@sarwatch/runtime';
import { isEnricherError } from '../errors.js';
import type { Checkpoint, CheckpointStore, EventSink, RecordSource, StartPosition } from '../ports.js';
import type { ProcessedBatch, RecordProcessor } from './record-processor.js';
import { ShardThrottle } from './shard-throttle.js';

export interface ShardReaderOptions {
  startPosition: 'TRIM_HORIZON' | 'LATEST';
  maxRecordsPerCall: number;
  idleMinMs: number;
  idleMaxMs: number;
}

export interface ShardReaderDeps {
  source: RecordSource;
  sink: EventSink;
  checkpoints: CheckpointStore;
  processor: RecordProcessor;
  log: Logger;
  options: ShardReaderOptions;
  /** Told of every checkpoint once it is durable, so a restarted reader resumes from the latest one. */
  onCheckpoint?: (checkpoint: Checkpoint) => void;
}

export type ShardOutcome = 'ended' | 'stopped';

/**
 * Reads one shard from its checkpoint to its end (or until stopped), publishing each page and checkpointing it
 * only after Kafka has acknowledged every message of the page. Any failure is retried from the checkpoint, so a
 * record is never skipped; after a crash the page in flight may be published again (at least once).
 */
export class ShardReader {
  private lastSequence: string | null;
  private positionWithoutCheckpoint: 'TRIM_HORIZON' | 'LATEST';
  private readonly throttle = new ShardThrottle();
  private readonly readBackoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
  private readonly log: Logger;

  constructor(
    private readonly shardId: string,
    initial: Checkpoint | undefined,
    private readonly deps: ShardReaderDeps,
  ) {
    this.lastSequence = initial?.sequenceNumber ?? null;
    this.positionWithoutCheckpoint = deps.options.startPosition;
    this.log = deps.log.child({ shardId });
  }

  /**
   * `stop` ends reading after the page in hand is published and checkpointed; `abandon` (the shutdown deadline)
   * also gives up on a page that cannot be published.
   */
  async run(stop: AbortSignal, abandon: AbortSignal): Promise<ShardOutcome> {
    const { source, options } = this.deps;
    let iterator: string | null = null;
    let idleMs = 0;
    this.log.info({ from: this.startPosition() }, 'reading shard');
    while (!stop.aborted) {
      try {
        iterator ??= await source.shardIterator(this.shardId, this.startPosition(), stop);
        await sleep(Math.max(idleMs, this.throttle.delay()), stop);
        if (stop.aborted) break;
        const page = await source.readPage(iterator, options.maxRecordsPerCall, stop);
        this.throttle.recordCall(page.bytes);
        this.readBackoff.reset();
        if (page.records.length > 0) {
          const last = page.records.at(-1)?.sequenceNumber ?? null;
          await this.publishAndCheckpoint(
            page.records.length,
            this.deps.processor.process(this.shardId, page.records),
            last,
            abandon,
          );
        }
        if (page.nextIterator === null) {
          await this.saveCheckpoint('final checkpoint', this.lastSequence, true, abandon);
          this.log.info({ lastSequence: this.lastSequence }, 'shard closed and read to its end');
          return 'ended';
        }
        iterator = page.nextIterator;
        idleMs = nextIdleDelay(idleMs, page.records.length, page.millisBehindLatest, options);
      } catch (error) {
        if (stop.aborted) break;
        iterator = null;
        await sleep(this.recoveryDelay(error), stop);
      }
    }
    this.log.info({ lastSequence: this.lastSequence }, 'stopped reading shard');
    return 'stopped';
  }

  private async publishAndCheckpoint(
    read: number,
    batch: ProcessedBatch,
    lastSequence: string | null,
    abandon: AbortSignal,
  ): Promise<void> {
    await this.retrying('publish', abandon, () => this.deps.sink.publish(batch.messages));
    await this.saveCheckpoint('checkpoint', lastSequence, false, abandon);
    this.lastSequence = lastSequence;
    this.log.debug({ read, enriched: batch.enriched, lastSequence }, 'page published');
  }

  private async saveCheckpoint(
    what: string,
    sequenceNumber: string | null,
    ended: boolean,
    abandon: AbortSignal,
  ): Promise<void> {
    const checkpoint = { shardId: this.shardId, sequenceNumber, ended };
    await this.retrying(what, abandon, () => this.deps.checkpoints.save(checkpoint));
    this.deps.onCheckpoint?.(checkpoint);
  }

  /** Kafka being down is not a reason to drop or skip anything: wait and try the same thing again. */
  private async retrying(what: string, abandon: AbortSignal, action: () => Promise<void>): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5_000 });
    for (;;) {
      try {
        await action();
        return;
      } catch (error) {
        if (abandon.aborted) throw error;
        const wait = backoff.next();
        this.log.warn({ err: error, attempt: backoff.failures, retryInMs: wait }, `${what} failed, retrying`);
        await sleep(wait, abandon);
      }
    }
  }

  private recoveryDelay(error: unknown): number {
    if (isEnricherError(error, 'CHECKPOINT_INVALID')) {
      // The stream was re-created under the same name: the old position means nothing here. Reading the new
      // shard from its start loses nothing.
      this.log.error(
        { err: error, lastSequence: this.lastSequence },
        'checkpoint not valid for this shard, reading from TRIM_HORIZON',
      );
      this.lastSequence = null;
      this.positionWithoutCheckpoint = 'TRIM_HORIZON';
      return 0;
    }
    if (isEnricherError(error, 'ITERATOR_EXPIRED')) {
      this.log.info(
        { lastSequence: this.lastSequence },
        'shard iterator expired, re-acquiring from the checkpoint',
      );
      return 0;
    }
    const wait = this.readBackoff.next();
    const level = isEnricherError(error, 'THROTTLED') ? 'info' : 'warn';
    this.log[level](
      { err: error, retryInMs: wait },
      'reading the shard failed, retrying from the checkpoint',
    );
    return wait;
  }

  private startPosition(): StartPosition {
    return this.lastSequence === null
      ? { type: this.positionWithoutCheckpoint }
      : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.lastSequence };
  }
}

/**
 * Behind the tip: read again as soon as the quota allows. Caught up: the same. Empty page: the shard is idle, so
 * wait longer each time, up to the configured ceiling, to save calls.
 */
export function nextIdleDelay(
  currentMs: number,
  recordCount: number,
  millisBehindLatest: number,
  { idleMinMs, idleMaxMs }: Pick<ShardReaderOptions, 'idleMinMs' | 'idleMaxMs'>,
): number {
  if (recordCount > 0 || millisBehindLatest > 0) return 0;
  return currentMs === 0 ? idleMinMs : Math.min(currentMs * 2, idleMaxMs);
}
