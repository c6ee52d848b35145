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

/** The Kafka key: per-application order for SAR calls, otherwise the event itself. */
export function eventKey(event: EnrichedEvent): string {
  return event.operation?.applicationId ?? event.eventId;
}
