import {
  type Alert,
  type AlertOutcome,
  type CloudTrailRecord,
  type DeadLetterReason,
  decodeRecord,
  type EnrichedEvent,
  type EventIndexEntry,
  type EventOrigin,
  enrich,
  eventIndexMessages,
  eventKey,
  serializeEventPieces,
  toAlert,
} from '@sarwatch/core';
import type { AlertSummary, OutboundMessage, PublishedEventSummary, StreamRecord } from '../ports.js';
import type { PageArena } from './page-arena.js';

export interface RecordProcessorOptions {
  streamName: string;
  eventsTopic: string;
  alertsTopic: string;
  deadLetterTopic: string;
  /** Lists, in the page's transaction, every event published or dead-lettered: see docs/delivery.md. */
  eventIndexTopic: string;
  /** `stream` for the live path, `trail` for records read from the trail's files. */
  origin: EventOrigin;
  maxRecordBytes: number;
  maxEventBytes: number;
  /** Text fields of `detail` longer than this are cut to it, with their length and SHA-256. */
  maxTextLength: number;
  /** The bench's floor: records published as read (BENCH_SKIP_ENRICHMENT). */
  skipEnrichment?: boolean;
}

export interface ProcessedBatch {
  messages: OutboundMessage[];
  enriched: number;
  deadLettered: Map<DeadLetterReason, number>;
  /** Events dropped because their CloudTrail eventID was already handled (or is earlier in this page). */
  duplicates: number;
  /** The eventIDs published by this page, with their arrival times: remember them once the page is committed. */
  published: { eventId: string; atMs: number }[];
  /** One per enriched event, for metrics once the page is committed. */
  summaries: PublishedEventSummary[];
  /** One per alert in `messages`. */
  alerts: AlertSummary[];
  /** Rule matches that raised nothing because their dedup key had just fired. */
  alertsSuppressed: number;
}

/** Decides which alerts an enriched event raises; the same event always gets the same answer. */
export interface Alerting {
  evaluate(event: EnrichedEvent): AlertOutcome;
}

const NO_ALERTS: Alerting = { evaluate: () => ({ fired: [], suppressed: 0 }) };

/** The eventIDs known to be handled already: published, dead-lettered, or claimed by the trail. */
export interface SeenEvents {
  has(eventId: string): boolean;
}

const NOTHING_SEEN: SeenEvents = { has: () => false };

/**
 * Turns one page of stream records into Kafka messages: an enriched event and the alerts it raises, or a dead letter
 * with its reason. They are committed in one transaction, so an alert is never seen without its event.
 */
export class RecordProcessor {
  constructor(
    private readonly options: RecordProcessorOptions,
    private readonly alerting: Alerting = NO_ALERTS,
  ) {}

  /**
   * With an `arena` (the shard reader's, started on a new page), the text of the events, alerts and index is written
   * into it: see PageArena. Without one, messages keep their text as strings.
   */
  process(
    shardId: string,
    records: readonly StreamRecord[],
    seen: SeenEvents = NOTHING_SEEN,
    arena?: PageArena,
  ): ProcessedBatch {
    const batch: ProcessedBatch = {
      messages: [],
      enriched: 0,
      deadLettered: new Map(),
      duplicates: 0,
      published: [],
      summaries: [],
      alerts: [],
      alertsSuppressed: 0,
    };
    if (this.options.skipEnrichment) {
      for (const record of records) {
        batch.messages.push({
          topic: this.options.eventsTopic,
          key: record.partitionKey,
          value: record.data,
          headers: {},
        });
      }
      batch.enriched = records.length;
      return batch;
    }
    const inThisPage = new Set<string>();
    const index: EventIndexEntry[] = [];
    const alreadyHandled = (eventId: string) => seen.has(eventId) || inThisPage.has(eventId);
    const handled = (
      record: StreamRecord,
      cloudTrail: CloudTrailRecord,
      outcome: EventIndexEntry['outcome'],
    ) => {
      inThisPage.add(cloudTrail.eventID);
      batch.published.push({ eventId: cloudTrail.eventID, atMs: record.arrivedAt?.getTime() ?? Date.now() });
      index.push(indexEntry(cloudTrail, outcome));
    };
    for (const record of records) {
      const message = this.toEventMessage(record, alreadyHandled, arena);
      if (message === 'duplicate') {
        batch.duplicates += 1;
      } else if ('reason' in message) {
        batch.messages.push(this.toDeadLetter(shardId, record, message.reason, message.detail));
        batch.deadLettered.set(message.reason, (batch.deadLettered.get(message.reason) ?? 0) + 1);
        if (message.record) handled(record, message.record, 'dead-lettered');
      } else {
        batch.messages.push(message.message);
        batch.enriched += 1;
        handled(record, message.record, 'published');
        batch.summaries.push(message.summary);
        this.raiseAlerts(message.event, batch, arena);
      }
    }
    for (const { value, timestampMs } of eventIndexMessages(this.options.origin, index, Date.now())) {
      batch.messages.push({
        topic: this.options.eventIndexTopic,
        key: shardId,
        value: inArena(arena, [value]),
        timestamp: String(timestampMs),
        headers: { 'content-type': 'application/json' },
      });
    }
    return batch;
  }

  private toEventMessage(
    record: StreamRecord,
    alreadyHandled: (eventId: string) => boolean,
    arena: PageArena | undefined,
  ):
    | {
        message: OutboundMessage;
        record: CloudTrailRecord;
        event: EnrichedEvent;
        summary: PublishedEventSummary;
      }
    | { reason: DeadLetterReason; detail: string; record?: CloudTrailRecord }
    | 'duplicate' {
    const decoded = decodeRecord(record.data, { maxRecordBytes: this.options.maxRecordBytes });
    if (!decoded.ok) return { reason: decoded.reason, detail: decoded.message };
    // EventBridge delivers at least once: the same CloudTrail event may arrive twice.
    if (alreadyHandled(decoded.record.eventID)) return 'duplicate';
    let pieces: readonly string[];
    let event: EnrichedEvent;
    try {
      event = enrich(decoded.record, {
        maxTextLength: this.options.maxTextLength,
        serializedLength: record.data.byteLength,
        origin: this.options.origin,
      });
      pieces = serializeEventPieces(event, decoded.record, decoded.recordJson);
    } catch (error) {
      return {
        reason: 'enrichment-failed',
        detail: error instanceof Error ? error.message : String(error),
        record: decoded.record,
      };
    }
    // In UTF-8 bytes, as Kafka counts: a string's length counts UTF-16 units, up to three times fewer. Measuring also
    // flattens the enrichment the serializer built by concatenation, here while its pieces are in cache: left to
    // kafkajs, that happened out of cache and twice the heap waited with the page (5% of a drain's profile). The
    // detail, most of the event, is a slice of the record's text and is written from there.
    let bytes = 0;
    for (const piece of pieces) bytes += Buffer.byteLength(piece);
    if (bytes > this.options.maxEventBytes) {
      return {
        reason: 'unpublishable',
        detail: `enriched event is ${bytes} bytes, the limit is ${this.options.maxEventBytes}`,
        record: decoded.record,
      };
    }
    return {
      record: decoded.record,
      event,
      summary: {
        eventName: event.eventName,
        identityType: event.identity.type,
        actor: event.identity.actor,
        severity: event.risk.severity,
        eventTime: event.eventTime,
      },
      message: {
        topic: this.options.eventsTopic,
        key: eventKey(event),
        value: inArena(arena, pieces, bytes),
        headers: {
          'content-type': 'application/json',
          'sarwatch-event-name': event.eventName,
          'sarwatch-identity-type': event.identity.type,
          'sarwatch-origin': event.origin,
        },
      },
    };
  }

  private raiseAlerts(event: EnrichedEvent, batch: ProcessedBatch, arena: PageArena | undefined): void {
    const outcome = this.alerting.evaluate(event);
    batch.alertsSuppressed += outcome.suppressed;
    for (const fired of outcome.fired) {
      const alert = toAlert(fired, new Date());
      const message = alertMessage(alert, this.options.alertsTopic);
      if (typeof message.value === 'string') message.value = inArena(arena, [message.value]);
      batch.messages.push(message);
      batch.alerts.push({ ruleId: alert.ruleId, severity: alert.severity });
    }
  }

  private toDeadLetter(
    shardId: string,
    record: StreamRecord,
    reason: DeadLetterReason,
    detail: string,
  ): OutboundMessage {
    return {
      topic: this.options.deadLetterTopic,
      key: `${shardId}:${record.sequenceNumber}`,
      value: record.data,
      headers: {
        'sarwatch-reason': reason,
        'sarwatch-reason-detail': detail.slice(0, 1_000),
        'sarwatch-stream': this.options.streamName,
        'sarwatch-shard-id': shardId,
        'sarwatch-sequence-number': record.sequenceNumber,
        'sarwatch-partition-key': record.partitionKey,
        ...(record.arrivedAt ? { 'sarwatch-arrived-at': record.arrivedAt.toISOString() } : {}),
      },
    };
  }
}

/** An alert as a message of the alerts topic, keyed by its dedup key. */
export function alertMessage(alert: Alert, topic: string): OutboundMessage {
  return {
    topic,
    key: alert.dedupKey,
    value: JSON.stringify(alert),
    headers: {
      'content-type': 'application/json',
      'sarwatch-rule-id': alert.ruleId,
      'sarwatch-severity': alert.severity,
    },
  };
}

/**
 * The texts written one after the other into the page's arena, when there is one and they fit; else the texts joined.
 * `bytes` is their length in UTF-8 when the caller has measured it.
 */
function inArena(
  arena: PageArena | undefined,
  texts: readonly string[],
  bytes?: number,
): Uint8Array | string {
  if (arena === undefined) return texts.join('');
  const measured = bytes ?? texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return arena.write(texts, measured) ?? texts.join('');
}

function indexEntry(record: CloudTrailRecord, outcome: EventIndexEntry['outcome']): EventIndexEntry {
  return {
    id: record.eventID,
    time: record.eventTime,
    name: record.eventName,
    source: record.eventSource,
    account: record.recipientAccountId ?? record.userIdentity.accountId ?? null,
    region: record.awsRegion,
    outcome,
  };
}
