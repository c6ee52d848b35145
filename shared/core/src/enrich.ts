import type { CloudTrailRecord } from './cloudtrail/record.js';
import type { EnrichedEvent } from './contract/enriched-event.js';
import { classifyIdentity } from './identity/classify-identity.js';
import { classifySarOperation } from './operation/classify-sar-operation.js';
import { classifySource } from './source/classify-source.js';

export function enrich(record: CloudTrailRecord): EnrichedEvent {
  return {
    eventId: record.eventID,
    eventTime: record.eventTime,
    eventName: record.eventName,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    recipientAccountId: record.recipientAccountId ?? null,
    readOnly: record.readOnly ?? null,
    errorCode: record.errorCode ?? null,
    identity: classifyIdentity(record),
    source: classifySource(record),
    operation: classifySarOperation(record),
    detail: record,
  };
}

/** The Kafka key: per-application order for SAR calls, otherwise the event itself. */
export function eventKey(event: EnrichedEvent): string {
  return event.operation?.applicationId ?? event.eventId;
}
