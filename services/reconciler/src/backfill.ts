import { type Delivery, daySlices, type EventBridgeEnvelope, type TimeWindow } from '@sarwatch/core';
import type { RecordProcessor, StreamRecord } from '@sarwatch/enricher';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka } from 'kafkajs';
import { readIndexedEvents } from './kafka/event-index.js';
import type { TrailPublisher } from './kafka/trail-publisher.js';
import type { TrailBucket } from './s3/trail-bucket.js';
import { type DeliveredTrailEvent, deliveredTrailEvents, type TrailReading } from './trail-events.js';

/** Records per transaction: the live path's default page size, so a trail page costs what a stream page does. */
const PAGE_SIZE = 500;
/** EventBridge retries a delivery for up to a day (its target's maximum event age). */
const EVENTBRIDGE_RETRY_MS = 86_400_000;
const MARGIN_MS = 3_600_000;

export interface BackfillRequest {
  window: TimeWindow;
  bucketForSlice: (slice: TimeWindow) => TrailBucket;
  dryRun: boolean;
  /** A repair publishes only these ids; a backfill, every event the index lacks. */
  onlyIds?: ReadonlySet<string>;
}

export interface BackfillCounts extends Omit<TrailReading, 'unreadable'> {
  /** Delivered events the index already holds: published by the live path or an earlier backfill. */
  alreadyHandled: number;
  /** Events published now (or, with --dry-run, that would be). */
  published: number;
  deadLettered: number;
  alerts: number;
}

export interface BackfillResult extends BackfillCounts {
  unreadable: TrailReading['unreadable'];
}

export interface BackfillDeps {
  kafka: Kafka;
  indexTopic: string;
  processor: RecordProcessor;
  deliver: (event: EventBridgeEnvelope) => Delivery;
  /** Null for a dry run, which publishes nothing. */
  writer: TrailPublisher | null;
  /** The stream's retention: with EventBridge's retries, how late a stream copy can arrive (docs/delivery.md). */
  streamRetentionMs: number;
  lateDeliveryMs: number;
  log: Logger;
  onProgress?: (counts: BackfillCounts) => void;
  now?: () => number;
}

/**
 * Publishes the trail events of a window that the event index does not hold, day by day, so that what is held in
 * memory is one day's event ids and one page. Each page is one transaction with its index entries: a run stopped at
 * any point and run again publishes each event once.
 */
export async function backfill(
  deps: BackfillDeps,
  request: BackfillRequest,
  signal: AbortSignal,
): Promise<BackfillResult> {
  const result: BackfillResult = {
    files: 0,
    records: 0,
    delivered: 0,
    alreadyHandled: 0,
    published: 0,
    deadLettered: 0,
    alerts: 0,
    unreadable: [],
  };
  const now = deps.now ?? Date.now;
  // Events newer than this may still come through the stream: they are claimed before they are published.
  const liveHorizonMs = deps.streamRetentionMs + EVENTBRIDGE_RETRY_MS + MARGIN_MS;
  for (const slice of daySlices(request.window)) {
    signal.throwIfAborted();
    const bucket = request.bucketForSlice(slice);
    const reading: TrailReading = { files: 0, records: 0, delivered: 0, unreadable: result.unreadable };
    const trailEvents = (into: TrailReading) =>
      deliveredTrailEvents(bucket, slice, deps.deliver, into, deps.lateDeliveryMs, signal);
    const handled = await indexedIds(deps, slice, signal);
    const publisher = new PagePublisher(deps, result, handled, request.onlyIds, () =>
      deps.onProgress?.({ ...result, ...counted(result, reading) }),
    );
    if (slice.to.getTime() > now() - liveHorizonMs && deps.writer !== null) {
      // Events that may still come through the stream are claimed, and the live writers fenced, before any is
      // published. The scan keeps the candidates themselves when they are few, else only their ids.
      const candidates = new CandidateEvents();
      for await (const event of trailEvents(reading)) {
        if (publisher.wanted(event)) candidates.add(event);
        else publisher.countHandled(event);
      }
      const claims = candidates.ids.filter(({ time }) => Date.parse(time) > now() - liveHorizonMs);
      await deps.writer.claimAndFence(claims, liveHorizonMs, signal);
      // Read again after the fence: every live commit that could hold these events is in the index by now.
      if (claims.length > 0) publisher.handled = await indexedIds(deps, slice, signal);
      const wantedIds = new Set(candidates.ids.map(({ id }) => id));
      const again = candidates.events ?? filtered(trailEvents({ ...reading, unreadable: [] }), wantedIds);
      for await (const event of again) await publisher.offer(event);
    } else {
      for await (const event of trailEvents(reading)) await publisher.offer(event);
    }
    await publisher.flush();
    Object.assign(result, counted(result, reading));
    deps.log.info(
      { day: slice.from.toISOString().slice(0, 10), ...counted(result, reading) },
      'day backfilled',
    );
  }
  return result;
}

/** The run's totals so far: the slices before this one, and this one's reading. */
function counted(result: BackfillResult, reading: TrailReading) {
  return {
    files: result.files + reading.files,
    records: result.records + reading.records,
    delivered: result.delivered + reading.delivered,
  };
}

async function indexedIds(deps: BackfillDeps, slice: TimeWindow, signal: AbortSignal): Promise<Set<string>> {
  return new Set((await readIndexedEvents(deps.kafka, deps.indexTopic, slice, deps.log, signal)).keys());
}

/** Pages of events to publish, each one transaction; what the index or an earlier page holds is counted, not sent. */
class PagePublisher {
  private page: DeliveredTrailEvent[] = [];

  constructor(
    private readonly deps: BackfillDeps,
    private readonly result: BackfillResult,
    public handled: Set<string>,
    private readonly onlyIds: ReadonlySet<string> | undefined,
    private readonly onPage: () => void,
  ) {}

  wanted(event: DeliveredTrailEvent): boolean {
    return !this.handled.has(event.id) && (this.onlyIds === undefined || this.onlyIds.has(event.id));
  }

  countHandled(event: DeliveredTrailEvent): void {
    if (this.handled.has(event.id) && (this.onlyIds === undefined || this.onlyIds.has(event.id))) {
      this.result.alreadyHandled += 1;
    }
  }

  async offer(event: DeliveredTrailEvent): Promise<void> {
    // An organization trail beside an account's own trail holds the same event twice.
    if (!this.wanted(event) || this.page.some(({ id }) => id === event.id)) {
      this.countHandled(event);
      return;
    }
    this.page.push(event);
    if (this.page.length >= PAGE_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.page.length === 0) return;
    const records: StreamRecord[] = this.page.map((event) => ({
      data: event.data,
      partitionKey: event.partitionKey,
      sequenceNumber: event.location,
      arrivedAt: null,
    }));
    const batch = this.deps.processor.process('trail', records);
    if (this.deps.writer !== null) await this.deps.writer.publish(batch.messages);
    this.result.published += batch.enriched;
    this.result.alerts += batch.alerts.length;
    for (const count of batch.deadLettered.values()) this.result.deadLettered += count;
    for (const event of this.page) this.handled.add(event.id);
    this.page = [];
    this.onPage();
  }
}

/** Up to this many bytes of candidate events are kept from the scan, saving a second read of the day's files. */
const KEPT_CANDIDATE_BYTES = 32 * 1_048_576;

class CandidateEvents {
  readonly ids: { id: string; time: string }[] = [];
  events: DeliveredTrailEvent[] | null = [];
  private bytes = 0;

  add(event: DeliveredTrailEvent): void {
    this.ids.push({ id: event.id, time: event.time });
    if (this.events === null) return;
    this.bytes += event.data.byteLength;
    if (this.bytes > KEPT_CANDIDATE_BYTES) this.events = null;
    else this.events.push(event);
  }
}

async function* filtered(events: AsyncIterable<DeliveredTrailEvent>, ids: ReadonlySet<string>) {
  for await (const event of events) if (ids.has(event.id)) yield event;
}
