import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { EventBridgeEnvelope } from '../eventbridge/envelope.js';
import { wrapInEventBridge } from '../eventbridge/wrap-cloudtrail-record.js';
import { SAR_EVENT_SOURCE } from '../operation/classify-sar-operation.js';

export interface SampleEvent {
  name: string;
  event: EventBridgeEnvelope;
  /** What the sarwatch pattern must answer: TestEventPattern's expected result. */
  shouldMatch: boolean;
}

const ACCOUNT = '123456789012';
const APPLICATION = `arn:aws:serverlessrepo:us-east-1:${ACCOUNT}:applications/thumbnail-generator`;

function record(
  eventSource: string,
  eventName: string,
  readOnly: boolean,
  request: Record<string, unknown>,
): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPUBLISHER1',
      arn: `arn:aws:iam::${ACCOUNT}:user/publisher`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLEPUBLISHER',
      userName: 'publisher',
    },
    eventTime: '2026-11-03T09:30:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.4',
    requestParameters: request,
    responseElements: null,
    requestID: '5f2d6c1e-0a3b-4c5d-8e9f-0a1b2c3d4e5f',
    eventID: `sample-${eventName}`,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

const wrap = (cloudTrail: CloudTrailRecord, id: string) => wrapInEventBridge(cloudTrail, { id });

/**
 * Events to put through a deployed rule's pattern (TestEventPattern) to show it selects what sarwatch needs: a SAR
 * write call, a SAR read-only call, and nothing from other services.
 */
export const SAMPLE_EVENTS: readonly SampleEvent[] = [
  {
    name: 'SAR write call (PutApplicationPolicy)',
    event: wrap(
      record(SAR_EVENT_SOURCE, 'PutApplicationPolicy', false, {
        applicationId: APPLICATION,
        statements: [{ principals: ['*'], actions: ['Deploy'] }],
      }),
      '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01',
    ),
    shouldMatch: true,
  },
  {
    name: 'SAR read-only call (GetApplication)',
    event: wrap(
      record(SAR_EVENT_SOURCE, 'GetApplication', true, { applicationId: APPLICATION }),
      '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a02',
    ),
    shouldMatch: true,
  },
  {
    name: 'another service (Lambda CreateFunction)',
    event: wrap(
      record('lambda.amazonaws.com', 'CreateFunction20150331', false, {
        functionName: 'thumbnail-generator',
      }),
      '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a03',
    ),
    shouldMatch: false,
  },
];
