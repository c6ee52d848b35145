import type { CloudTrailRecord } from './cloudtrail/record.js';
import { type EnrichedEvent, EnrichedEventSchema, type EventOrigin } from './contract/enriched-event.js';
import { truncateLongText } from './detail/truncate-long-text.js';
import { classifyIdentity } from './identity/classify-identity.js';
import { classifySarOperation } from './operation/classify-sar-operation.js';
import { assessRisk } from './risk/assess-risk.js';
import { classifySource } from './source/classify-source.js';

export interface EnrichOptions {
  /** Text fields of `detail` longer than this many characters are cut (see TruncatedText). */
  maxTextLength: number;
  /**
   * The record's serialized size when the caller knows it (the bytes it parsed), so small records skip the walk
   * for long strings. Without it every record is walked.
   */
  serializedLength?: number;
  /** Where the record was read; the live path's `stream` unless said otherwise. */
  origin?: EventOrigin;
}

export const DEFAULT_ENRICH_OPTIONS: EnrichOptions = { maxTextLength: 16_384 };

export function enrich(
  record: CloudTrailRecord,
  options: EnrichOptions = DEFAULT_ENRICH_OPTIONS,
): EnrichedEvent {
  const identity = classifyIdentity(record);
  const operation = classifySarOperation(record);
  const readOnly = record.readOnly ?? null;
  const errorCode = record.errorCode ?? null;
  return {
    eventId: record.eventID,
    eventTime: record.eventTime,
    eventName: record.eventName,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    recipientAccountId: record.recipientAccountId ?? null,
    readOnly,
    errorCode,
    identity,
    source: classifySource(record),
    operation,
    risk: assessRisk({ eventName: record.eventName, readOnly, errorCode, identity, operation }),
    origin: options.origin ?? 'stream',
    detail: truncateLongText(
      record,
      options.maxTextLength,
      options.serializedLength ?? Number.POSITIVE_INFINITY,
    ),
  };
}

/**
 * The event as JSON, the message published. When `detail` is still the record itself (nothing was truncated) and
 * the record's original text is known, that text is reused rather than serializing the parsed copy again: it is the
 * bulk of the message. It means the same JSON value, keys in their original order.
 *
 * The enrichment before it goes through JSON.stringify, which writes one flat string. A string built by
 * concatenation, as a serializer compiled from the schema did, is a tree of about a hundred pieces: twice the heap
 * while the page waits for Kafka, and flattened again, out of cache, where kafkajs measures and copies it (5% of a
 * drain's profile on Node 24).
 */
export function serializeEvent(
  event: EnrichedEvent,
  record: CloudTrailRecord,
  recordJson: string | null,
): string {
  const detailJson =
    recordJson !== null && event.detail === record ? recordJson : JSON.stringify(event.detail);
  const enrichment = JSON.stringify(enrichmentOf(event));
  return `${enrichment.slice(0, -1)},"detail":${detailJson}}`;
}

/** The contract's fields but `detail`, in its order. */
const ENRICHMENT_FIELDS = Object.keys(EnrichedEventSchema.shape).filter(
  (field): field is Exclude<keyof EnrichedEvent, 'detail'> => field !== 'detail',
);

function enrichmentOf(event: EnrichedEvent): Omit<EnrichedEvent, 'detail'> {
  const enrichment: Partial<Record<keyof EnrichedEvent, unknown>> = {};
  for (const field of ENRICHMENT_FIELDS) enrichment[field] = event[field];
  return enrichment as Omit<EnrichedEvent, 'detail'>;
}

/** The Kafka key: per-application order for SAR calls, otherwise the event itself. */
export function eventKey(event: EnrichedEvent): string {
  return event.operation?.applicationId ?? event.eventId;
}
