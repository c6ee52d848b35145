import { RecentIds } from '@sarwatch/core';
import type { Logger } from '@sarwatch/runtime';
import { Backoff, sleep } from '@sarwatch/runtime';
import { EnricherError, isEnricherError } from '../errors.js';
import type {
  CommittedPage,
  PageInFlight,
  PipelineMetrics,
  RecordSource,
  ShardLease,
  ShardLeases,
  StartPosition,
} from '../ports.js';
import type { InFlightBudget } from './in-flight-budget.js';
import { PageArena } from './page-arena.js';
import type { ProcessedBatch, RecordProcessor, SeenEvents } from './record-processor.js';
import { ShardThrottle } from './shard-throttle.js';

export interface ShardReaderOptions {
  startPosition: 'TRIM_HORIZON' | 'LATEST';
  maxRecordsPerCall: number;
  idleMinMs: number;
  idleMaxMs: number;
  /** A step that neither succeeds nor fails for this long while records wait is a stall. */
  stallTimeoutMs: number;
  dedupWindowMs: number;
  dedupMaxIds: number;
}

export interface ShardReaderDeps {
  source: RecordSource;
  leases: ShardLeases;
  processor: RecordProcessor;
  budget: InFlightBudget;
  metrics: PipelineMetrics;
  log: Logger;
  options: ShardReaderOptions;
  /** Whether an error means Kafka refused this instance (authentication, TLS, authorization): no retry helps. */
  accessDenied: (error: unknown) => unknown;
  /** Events a trail writer claimed: a stream copy of one is dropped as a duplicate (docs/delivery.md). */
  claimedByTrail?: SeenEvents;
}

const RELEASE_WAIT_MS = 2_000;

/** `fenced`: another instance acquired the shard, so this one must stop without publishing anything more. */
export type ShardOutcome = 'ended' | 'stopped' | 'fenced';

/**
 * Reads one shard from its committed checkpoint to its end, or until stopped or fenced. Each page is published
 * together with the shard's new checkpoint in one Kafka transaction, so for a read_committed subscriber every
 * record appears exactly once. Whatever fails, the reader goes back to the last committed checkpoint: after a
 * Kafka failure it acquires the lease again (which also tells it whether its last commit landed), after a
 * Kinesis failure it asks for a new iterator. Nothing is skipped and nothing is published twice.
 */
export class ShardReader {
  private lease: ShardLease | undefined;
  private lastSequence: string | null = null;
  private positionWithoutCheckpoint: 'TRIM_HORIZON' | 'LATEST';
  private readonly throttle = new ShardThrottle();
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
  private readonly recent: RecentIds;
  private readonly handled: SeenEvents;
  /**
   * A page whose commit failed without an answer: if the next lease's checkpoint is its last record, it landed, and
   * its ids are remembered and its counts reported then (a broker stopped during the commit's last step finishes it
   * when it is back: the page is in Kafka, and is not read again).
   */
  private unconfirmed: {
    lastSequence: string | null;
    published: { eventId: string; atMs: number }[];
    counts: Omit<CommittedPage, 'transactionSeconds' | 'rememberedIdBytes'>;
  } | null = null;
  private readonly log: Logger;
  /** Where a page's messages are written; replaced whenever a step fails, as a failed commit may still hold it. */
  private arena = new PageArena();

  constructor(
    private readonly shardId: string,
    private readonly deps: ShardReaderDeps,
  ) {
    this.positionWithoutCheckpoint = deps.options.startPosition;
    this.recent = new RecentIds({ windowMs: deps.options.dedupWindowMs, maxIds: deps.options.dedupMaxIds });
    const { claimedByTrail } = deps;
    this.handled = claimedByTrail
      ? { has: (eventId) => this.recent.has(eventId) || claimedByTrail.has(eventId) }
      : this.recent;
    this.log = deps.log.child({ shardId });
  }

  /** Stops reading when `stop` aborts; a commit already sent is waited for, never retried. */
  async run(stop: AbortSignal): Promise<ShardOutcome> {
    try {
      return await this.read(stop);
    } finally {
      await this.dropLease();
    }
  }

  private async read(stop: AbortSignal): Promise<ShardOutcome> {
    const { source, options } = this.deps;
    let iterator: string | null = null;
    let idleMs = 0;
    while (!stop.aborted) {
      try {
        if (!this.lease) {
          iterator = null;
          if ((await this.acquire(stop)) === 'ended') return 'ended';
        }
        iterator ??= await this.guard('get a shard iterator', stop, (signal) =>
          source.shardIterator(this.shardId, this.startPosition(), signal),
        );
        await sleep(Math.max(idleMs, this.throttle.delay()), stop);
        if (stop.aborted) break;
        const next = await this.readAndCommitPage(iterator, stop);
        this.backoff.reset();
        if (next === 'ended') return 'ended';
        iterator = next.iterator;
        idleMs = nextIdleDelay(idleMs, next.records, next.millisBehindLatest, options);
      } catch (error) {
        if (isEnricherError(error, 'FENCED')) {
          this.deps.metrics.fenced(this.shardId);
          this.log.warn(
            { err: error, lastSequence: this.lastSequence },
            'fenced: another instance reads this shard now',
          );
          return 'fenced';
        }
        if (stop.aborted) break;
        // Kafka refused this instance: retrying cannot help, and the guard is stopping the service.
        if (this.deps.accessDenied(error)) break;
        iterator = null;
        this.arena = new PageArena();
        await sleep(await this.recover(error), stop);
      }
    }
    this.log.info({ lastSequence: this.lastSequence }, 'stopped reading shard');
    return 'stopped';
  }

  /** Takes the shard over and starts from its committed checkpoint. */
  private async acquire(stop: AbortSignal): Promise<'ended' | 'acquired'> {
    const lease = await this.guard('acquire the shard', stop, (signal) =>
      this.deps.leases.acquire(this.shardId, signal),
    );
    this.lease = lease;
    this.deps.metrics.shardAcquired(this.shardId);
    this.lastSequence = lease.checkpoint?.sequenceNumber ?? null;
    const landed = this.unconfirmed?.lastSequence === this.lastSequence ? this.unconfirmed : null;
    this.unconfirmed = null;
    if (landed) {
      for (const { eventId, atMs } of landed.published) this.recent.remember(eventId, atMs);
      this.deps.metrics.pageCommitted(this.shardId, {
        ...landed.counts,
        transactionSeconds: null,
        rememberedIdBytes: this.recent.heldBytes,
      });
      this.log.info({ lastSequence: this.lastSequence }, 'the page whose commit had no answer was committed');
    }
    if (lease.checkpoint?.ended) {
      this.log.info({ lastSequence: this.lastSequence }, 'shard already read to its end');
      return 'ended';
    }
    this.log.info({ from: this.startPosition() }, 'reading shard');
    return 'acquired';
  }

  private async readAndCommitPage(
    iterator: string,
    stop: AbortSignal,
  ): Promise<'ended' | { iterator: string; records: number; millisBehindLatest: number }> {
    const { budget, options } = this.deps;
    const lease = this.lease;
    if (!lease) throw new Error('no lease');
    const granted = await budget.take(options.maxRecordsPerCall, stop);
    if (granted === 0) return { iterator, records: 0, millisBehindLatest: 0 };
    let held: PageInFlight | undefined;
    try {
      const page = await this.readAndProcessPage(iterator, granted, stop);
      held = page.inFlight;
      const { batch, last } = page;
      if (batch) {
        const counts = {
          records: held.records,
          events: batch.summaries,
          deadLetters: batch.deadLettered,
          duplicates: batch.duplicates,
          alerts: batch.alerts,
          alertsSuppressed: batch.alertsSuppressed,
        };
        this.unconfirmed = { lastSequence: last, published: batch.published, counts };
        const transactionSeconds = await this.commit(lease, batch.messages, last, false);
        // Only after a commit that returned: a failed one may still be sending the page's dead letters.
        page.release();
        this.unconfirmed = null;
        for (const { eventId, atMs } of batch.published) this.recent.remember(eventId, atMs);
        this.deps.metrics.pageCommitted(this.shardId, {
          ...counts,
          transactionSeconds,
          rememberedIdBytes: this.recent.heldBytes,
        });
        if (batch.duplicates > 0)
          this.log.info({ duplicates: batch.duplicates }, 'dropped events already published');
        this.log.debug(
          { read: held.records, enriched: batch.enriched, lastSequence: last },
          'page committed',
        );
      }
      if (page.nextIterator === null) {
        const transactionSeconds = await this.commit(lease, [], last, true);
        this.deps.metrics.pageCommitted(this.shardId, {
          records: 0,
          events: [],
          deadLetters: new Map(),
          duplicates: 0,
          alerts: [],
          alertsSuppressed: 0,
          transactionSeconds,
          rememberedIdBytes: this.recent.heldBytes,
        });
        this.log.info({ lastSequence: last }, 'shard closed and read to its end');
        return 'ended';
      }
      return {
        iterator: page.nextIterator,
        records: held.records,
        millisBehindLatest: page.millisBehindLatest,
      };
    } finally {
      if (held) this.deps.metrics.pageReleased(held);
      budget.give(granted);
    }
  }

  /**
   * Reads a page and turns it into messages. What the commit needs is returned without the records: they are not
   * needed once processed (a retry reads them again from Kinesis), and kept through the commit, they outlived two
   * young-generation collections, so their bytes and objects were promoted and waited for a full collection.
   */
  private async readAndProcessPage(iterator: string, limit: number, stop: AbortSignal) {
    const page = await this.guard('read a page', stop, (signal) =>
      this.deps.source.readPage(iterator, limit, signal),
    );
    this.throttle.recordCall(page.bytes);
    const inFlight: PageInFlight = { records: page.records.length, bytes: page.bytes };
    let batch: ProcessedBatch | null = null;
    if (page.records.length > 0) {
      // The last page's commit returned, or this arena is new: nothing holds its bytes any more.
      this.arena.nextPage();
      batch = this.deps.processor.process(this.shardId, page.records, this.handled, this.arena);
    }
    // Counted in flight until the caller releases it, which it does for every page it is handed.
    this.deps.metrics.pageRead(this.shardId, { ...inFlight, millisBehindLatest: page.millisBehindLatest });
    if (batch === null) page.release();
    return {
      inFlight,
      batch,
      release: () => page.release(),
      last: page.records.at(-1)?.sequenceNumber ?? this.lastSequence,
      nextIterator: page.nextIterator,
      millisBehindLatest: page.millisBehindLatest,
    };
  }

  private async commit(
    lease: ShardLease,
    messages: Parameters<ShardLease['commit']>[0],
    sequenceNumber: string | null,
    ended: boolean,
  ): Promise<number> {
    const checkpoint = { shardId: this.shardId, sequenceNumber, ended };
    const startedAt = performance.now();
    // A commit cannot be called back once sent: on a stall, the lease is dropped and the next holder (this reader,
    // after acquiring again) fences the hung producer, so its transaction can never land late.
    await this.guard('commit a page', undefined, () => lease.commit(messages, checkpoint));
    this.lastSequence = sequenceNumber;
    return (performance.now() - startedAt) / 1000;
  }

  /**
   * Runs one step under the watchdog: a step that neither resolves nor rejects within the stall timeout is
   * abandoned (its request aborted when it takes a signal), counted and logged, and the reader recovers from its
   * checkpoint.
   */
  private async guard<T>(
    step: string,
    stop: AbortSignal | undefined,
    action: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const watchdog = new AbortController();
    const signal = stop ? AbortSignal.any([stop, watchdog.signal]) : watchdog.signal;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new EnricherError(
          'STALLED',
          `could not ${step} for ${this.deps.options.stallTimeoutMs} ms`,
        );
        watchdog.abort(error);
        reject(error);
      }, this.deps.options.stallTimeoutMs);
    });
    try {
      return await Promise.race([action(signal), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How long to wait before trying again, having put the reader back on its last committed checkpoint. */
  private async recover(error: unknown): Promise<number> {
    if (isEnricherError(error, 'STALLED')) {
      this.deps.metrics.stalled(this.shardId);
      this.log.warn(
        { err: error, lastSequence: this.lastSequence },
        'shard stalled; recovering from the checkpoint',
      );
      await this.dropLease();
      return 0;
    }
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
    const wait = this.backoff.next();
    if (isEnricherError(error)) {
      // Kinesis: the lease still holds; only the iterator is renewed.
      const level = error.code === 'THROTTLED' ? 'info' : 'warn';
      this.log[level](
        { err: error, retryInMs: wait },
        'reading the shard failed, retrying from the checkpoint',
      );
      return wait;
    }
    // Kafka: whether the last commit landed is unknown until the lease is acquired again and its checkpoint read.
    this.deps.metrics.reacquired(this.shardId);
    this.log.warn(
      { err: error, retryInMs: wait },
      'publishing failed; acquiring the shard again to resume from its committed checkpoint',
    );
    await this.dropLease();
    return wait;
  }

  /** Whether the reader holds its shard right now: what readiness is made of. */
  get holdsLease(): boolean {
    return this.lease !== undefined;
  }

  private async dropLease(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (!lease) return;
    this.deps.metrics.shardReleased(this.shardId);
    // Never wait long on a hung producer: acquiring the shard again fences it anyway.
    await Promise.race([
      lease.release().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, RELEASE_WAIT_MS).unref()),
    ]);
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
