import {
  type AlertOutcome,
  type DeadLetterReason,
  decodeRecord,
  type EnrichedEvent,
  enrich,
  eventKey,
  serializeEvent,
  toAlert,
} from '@sarwatch/core';
import type { AlertSummary, OutboundMessage, PublishedEventSummary, StreamRecord } from '../ports.js';

export interface RecordProcessorOptions {
  streamName: string;
  eventsTopic: string;
  alertsTopic: string;
  deadLetterTopic: string;
  maxRecordBytes: number;
  maxEventBytes: number;
  /** Text fields of `detail` longer than this are cut to it, with their length and SHA-256. */
  maxTextLength: number;
}

export interface ProcessedBatch {
  messages: OutboundMessage[];
  enriched: number;
  deadLettered: Map<DeadLetterReason, number>;
  /** Events dropped because their CloudTrail eventID was already published (or is earlier in this page). */
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

/** The eventIDs already published within the deduplication window. */
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

  process(
    shardId: string,
    records: readonly StreamRecord[],
    seen: SeenEvents = NOTHING_SEEN,
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
    const inThisPage = new Set<string>();
    const alreadyPublished = (eventId: string) => seen.has(eventId) || inThisPage.has(eventId);
    for (const record of records) {
      const message = this.toEventMessage(record, alreadyPublished);
      if (message === 'duplicate') {
        batch.duplicates += 1;
      } else if ('reason' in message) {
        batch.messages.push(this.toDeadLetter(shardId, record, message.reason, message.detail));
        batch.deadLettered.set(message.reason, (batch.deadLettered.get(message.reason) ?? 0) + 1);
      } else {
        batch.messages.push(message.message);
        batch.enriched += 1;
        inThisPage.add(message.eventId);
        batch.published.push({ eventId: message.eventId, atMs: record.arrivedAt?.getTime() ?? Date.now() });
        batch.summaries.push(message.summary);
        this.raiseAlerts(message.event, batch);
      }
    }
    return batch;
  }

  private toEventMessage(
    record: StreamRecord,
    alreadyPublished: (eventId: string) => boolean,
  ):
    | { message: OutboundMessage; eventId: string; event: EnrichedEvent; summary: PublishedEventSummary }
    | { reason: DeadLetterReason; detail: string }
    | 'duplicate' {
    const decoded = decodeRecord(record.data, { maxRecordBytes: this.options.maxRecordBytes });
    if (!decoded.ok) return { reason: decoded.reason, detail: decoded.message };
    const eventId = decoded.record.eventID;
    // EventBridge delivers at least once: the same CloudTrail event may arrive twice.
    if (alreadyPublished(eventId)) return 'duplicate';
    let value: string;
    let event: EnrichedEvent;
    try {
      event = enrich(decoded.record, {
        maxTextLength: this.options.maxTextLength,
        serializedLength: record.data.byteLength,
      });
      value = serializeEvent(event, decoded.record, decoded.recordJson);
    } catch (error) {
      return { reason: 'enrichment-failed', detail: error instanceof Error ? error.message : String(error) };
    }
    if (value.length > this.options.maxEventBytes) {
      return {
        reason: 'unpublishable',
        detail: `enriched event is ${value.length} bytes, the limit is ${this.options.maxEventBytes}`,
      };
    }
    return {
      eventId,
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
        value,
        headers: {
          'content-type': 'application/json',
          'sarwatch-event-name': event.eventName,
          'sarwatch-identity-type': event.identity.type,
        },
      },
    };
  }

  private raiseAlerts(event: EnrichedEvent, batch: ProcessedBatch): void {
    const outcome = this.alerting.evaluate(event);
    batch.alertsSuppressed += outcome.suppressed;
    for (const fired of outcome.fired) {
      const alert = toAlert(fired, new Date());
      batch.messages.push({
        topic: this.options.alertsTopic,
        key: alert.dedupKey,
        value: JSON.stringify(alert),
        headers: {
          'content-type': 'application/json',
          'sarwatch-rule-id': alert.ruleId,
          'sarwatch-severity': alert.severity,
        },
      });
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
