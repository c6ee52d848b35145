import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { CLOUDTRAIL_API_CALL_DETAIL_TYPE, type EventBridgeEnvelope } from './envelope.js';

/** What EventBridge calls records whose eventType is AwsServiceEvent (User Guide, eb-service-event-cloudtrail). */
export const CLOUDTRAIL_SERVICE_EVENT_DETAIL_TYPE = 'AWS Service Event via CloudTrail';

export interface WrapOptions {
  /** EventBridge's own event id: a fresh UUID, never the record's eventID. */
  id: string;
  /** Defaults to the record's eventTime at whole seconds, which is what EventBridge puts there. */
  time?: string;
}

/**
 * The envelope EventBridge puts around a CloudTrail record before a rule sees it. The source is `aws.` plus the
 * service prefix of the eventSource (serverlessrepo.amazonaws.com becomes aws.serverlessrepo).
 */
export function wrapInEventBridge(record: CloudTrailRecord, options: WrapOptions): EventBridgeEnvelope {
  return {
    version: '0',
    id: options.id,
    'detail-type':
      record.eventType === 'AwsServiceEvent'
        ? CLOUDTRAIL_SERVICE_EVENT_DETAIL_TYPE
        : CLOUDTRAIL_API_CALL_DETAIL_TYPE,
    source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, '')}`,
    account: record.recipientAccountId ?? record.userIdentity.accountId ?? '',
    time: options.time ?? wholeSeconds(record.eventTime),
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

function wholeSeconds(eventTime: string): string {
  const parsed = new Date(eventTime);
  // An unparseable time is passed through untouched so the envelope shows the record's own mistake.
  return Number.isNaN(parsed.getTime()) ? eventTime : parsed.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
