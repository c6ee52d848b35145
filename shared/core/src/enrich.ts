import type { CloudTrailRecord } from './cloudtrail/record.js';
import type { EnrichedEvent } from './contract/enriched-event.js';
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
    detail: truncateLongText(
      record,
      options.maxTextLength,
      options.serializedLength ?? Number.POSITIVE_INFINITY,
    ),
  };
}

/**
 * The event as JSON. When `detail` is still the record itself (nothing was truncated) and the record's original
 * text is known, that text is reused rather than serializing the parsed copy again: re-serializing the record is
 * the costliest step of the whole path. It means the same JSON value, keys in their original order.
 */
export function serializeEvent(
  event: EnrichedEvent,
  record: CloudTrailRecord,
  recordJson: string | null,
): string {
  if (recordJson === null || event.detail !== record) return JSON.stringify(event);
  const { detail: _reused, ...enrichment } = event;
  const head = JSON.stringify(enrichment);
  return `${head.slice(0, -1)},"detail":${recordJson}}`;
}

/** The Kafka key: per-application order for SAR calls, otherwise the event itself. */
export function eventKey(event: EnrichedEvent): string {
  return event.operation?.applicationId ?? event.eventId;
}
