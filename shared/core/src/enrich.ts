import type { CloudTrailRecord } from './cloudtrail/record.js';
import { compileSerializer } from './contract/compile-serializer.js';
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
 * bulk of the message. It means the same JSON value, keys in their original order. The enrichment before it is
 * written by a serializer compiled from the contract's schema.
 */
export function serializeEvent(
  event: EnrichedEvent,
  record: CloudTrailRecord,
  recordJson: string | null,
): string {
  const [enrichment, detail, end] = serializeEventPieces(event, record, recordJson);
  return `${enrichment}${detail}${end}`;
}

/**
 * serializeEvent's text in the pieces it is made of, for a caller that writes them out one after the other: the
 * enrichment, the detail's text, and the closing brace. Joined into one string, the reused record text would be
 * copied once more, into young garbage as large as the event.
 */
export function serializeEventPieces(
  event: EnrichedEvent,
  record: CloudTrailRecord,
  recordJson: string | null,
): readonly [enrichment: string, detail: string, end: string] {
  const detailJson =
    recordJson !== null && event.detail === record ? recordJson : JSON.stringify(event.detail);
  // Every string of the enrichment is the record's, or a piece of one, or a constant of ours. A string that needs
  // escaping in JSON (a quote, a backslash, a control character, a lone surrogate) is written with a backslash in
  // JSON text, so a record whose text has none has no such string, and its strings are written as they are. Most
  // records have none: CloudTrail escapes little besides the line breaks of templates and READMEs.
  const enrichment =
    recordJson !== null && !recordJson.includes('\\') ? serializeSafeEnrichment : serializeEnrichment;
  return [`${enrichment(event)},"detail":`, detailJson, '}'];
}

/** Every field but `detail`, whose text is mostly reused as it came. */
const EnrichmentSchema = EnrichedEventSchema.omit({ detail: true });
const serializeEnrichment = compileSerializer(EnrichmentSchema, { open: true });
const serializeSafeEnrichment = compileSerializer(EnrichmentSchema, {
  open: true,
  stringsNeedNoEscaping: true,
});

/** The Kafka key: per-application order for SAR calls, otherwise the event itself. */
export function eventKey(event: EnrichedEvent): string {
  return event.operation?.applicationId ?? event.eventId;
}
