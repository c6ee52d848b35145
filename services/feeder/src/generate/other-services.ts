import type { CloudTrailRecord } from '@sarwatch/core';
import { isoSeconds } from './clock.js';
import { buildCaller, IDENTITY_SHAPE_WEIGHTS, IDENTITY_SHAPES } from './identities.js';
import type { EventContext } from './record.js';

/**
 * Calls the same people and pipelines make to other services, which share the bus with SAR's. The EventBridge
 * rule must keep every one of them out of the stream; read-only ones also test the rule state.
 */
export const OTHER_SERVICE_CALLS = [
  { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', readOnly: false },
  { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction20150331v2', readOnly: true },
  { eventSource: 'cloudformation.amazonaws.com', eventName: 'CreateChangeSet', readOnly: false },
  { eventSource: 'cloudformation.amazonaws.com', eventName: 'DescribeStacks', readOnly: true },
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', readOnly: false },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetRole', readOnly: true },
] as const;

// Services calling on their own behalf and outside accounts stay on SAR; here the account's own principals act.
const OWN_ACCOUNT_SHAPES = IDENTITY_SHAPES.filter(
  (shape) => shape !== 'aws-service' && shape !== 'aws-service-event' && shape !== 'cross-account-role',
).map((shape) => [shape, IDENTITY_SHAPE_WEIGHTS[shape]] as const);

/** One CloudTrail record of a call to a service other than SAR, from a principal of one of the publishing accounts. */
export function buildOtherServiceEvent(context: EventContext): CloudTrailRecord {
  const { rng, world, now } = context;
  const call = rng.pick(OTHER_SERVICE_CALLS);
  const recipient = rng.pick(world.publishers);
  const caller = buildCaller(rng.weighted(OWN_ACCOUNT_SHAPES), {
    rng,
    world,
    recipient,
    operation: call.eventName,
    now,
  });
  return {
    eventVersion: '1.09',
    userIdentity: caller.userIdentity,
    eventTime: isoSeconds(now),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: world.region,
    sourceIPAddress: caller.sourceIPAddress,
    userAgent: caller.userAgent,
    requestParameters: null,
    responseElements: null,
    requestID: rng.uuid(),
    eventID: rng.uuid(),
    readOnly: call.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: recipient.id,
    eventCategory: 'Management',
  };
}
