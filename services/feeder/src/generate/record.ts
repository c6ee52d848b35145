import { type CloudTrailRecord, SAR_EVENT_SOURCE } from '@sarwatch/core';
import { isoSeconds } from './clock.js';
import { buildCaller, IDENTITY_SHAPE_WEIGHTS, IDENTITY_SHAPES, type IdentityShape } from './identities.js';
import type { Rng } from './prng.js';
import {
  buildOperation,
  isReadOnly,
  needsApplication,
  SAR_OPERATION_WEIGHTS,
  SAR_OPERATIONS,
  type SarOperation,
} from './sar-operations.js';
import { type Application, applicationArn, type World } from './world.js';

export interface EventContext {
  rng: Rng;
  world: World;
  now: Date;
}

// CloudFormation touches SAR only while it expands an AWS::Serverless::Application resource.
const SERVICE_OPERATIONS: readonly SarOperation[] = [
  'GetApplication',
  'GetCloudFormationTemplate',
  'CreateCloudFormationTemplate',
];

// Another account can only read and deploy what was shared with it; it never administers the application.
const CROSS_ACCOUNT_OPERATIONS: readonly SarOperation[] = [
  ...SERVICE_OPERATIONS,
  'CreateCloudFormationChangeSet',
  'ListApplicationVersions',
  'ListApplicationDependencies',
  'GetApplicationPolicy',
];

const OPERATIONS_BY_SHAPE: Partial<Record<IdentityShape, readonly SarOperation[]>> = {
  'aws-service': SERVICE_OPERATIONS,
  'aws-service-event': SERVICE_OPERATIONS,
  'cross-account-role': CROSS_ACCOUNT_OPERATIONS,
};

const SHAPE_ENTRIES = IDENTITY_SHAPES.map((shape) => [shape, IDENTITY_SHAPE_WEIGHTS[shape]] as const);

/** Denials are rare for a team's own principals and common for callers from other accounts. */
const DENIAL_RATE = { ownAccount: 0.02, crossAccount: 0.15 };

/** One CloudTrail record of a SAR API call, as CloudTrail writes it (event version 1.08/1.09 field order). */
export function buildEvent(context: EventContext): CloudTrailRecord {
  const { rng, world, now } = context;
  const shape = rng.weighted(SHAPE_ENTRIES);
  const allowed = OPERATIONS_BY_SHAPE[shape] ?? SAR_OPERATIONS;
  const operation = rng.weighted(allowed.map((op) => [op, SAR_OPERATION_WEIGHTS[op]] as const));
  const app = needsApplication(operation) ? rng.pick(world.applications) : null;
  const recipient = app?.owner ?? rng.pick(world.publishers);
  const caller = buildCaller(shape, { rng, world, recipient, operation, now });
  const callerAccountId = caller.userIdentity.accountId ?? recipient.id;

  const crossAccount = callerAccountId !== recipient.id;
  const denied =
    caller.principalArn !== null &&
    ((caller.readOnly && !isReadOnly(operation)) ||
      rng.chance(crossAccount ? DENIAL_RATE.crossAccount : DENIAL_RATE.ownAccount));
  // A denied call changes nothing, so the application's version must not move on because of it.
  const versionBefore = app ? ([...app.version] as Application['version']) : null;
  const payload = buildOperation(operation, { rng, world, app, callerAccountId, now });
  if (denied && app && versionBefore) app.version = versionBefore;

  const resource = app
    ? applicationArn(app, world.region)
    : `arn:aws:serverlessrepo:${world.region}:${recipient.id}:applications/*`;
  const viaService = caller.userIdentity.invokedBy === 'cloudformation.amazonaws.com';
  return {
    eventVersion: rng.chance(0.7) ? '1.09' : '1.08',
    userIdentity: caller.userIdentity,
    eventTime: isoSeconds(now),
    eventSource: SAR_EVENT_SOURCE,
    eventName: operation,
    awsRegion: world.region,
    sourceIPAddress: caller.sourceIPAddress,
    userAgent: caller.userAgent,
    ...(denied
      ? {
          errorCode: 'AccessDeniedException',
          errorMessage: `User: ${caller.principalArn} is not authorized to perform: serverlessrepo:${operation} on resource: ${resource} because no ${crossAccount ? 'resource-based' : 'identity-based'} policy allows the serverlessrepo:${operation} action`,
        }
      : {}),
    requestParameters: payload.requestParameters,
    responseElements: denied ? null : payload.responseElements,
    requestID: rng.uuid(),
    eventID: rng.uuid(),
    readOnly: isReadOnly(operation),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: recipient.id,
    eventCategory: 'Management',
    // CloudTrail records the TLS session only for calls that reached the public endpoint themselves.
    ...(viaService
      ? {}
      : {
          tlsDetails: {
            tlsVersion: rng.chance(0.8) ? 'TLSv1.3' : 'TLSv1.2',
            cipherSuite: rng.pick([
              'TLS_AES_128_GCM_SHA256',
              'TLS_AES_256_GCM_SHA384',
              'ECDHE-RSA-AES128-GCM-SHA256',
            ]),
            clientProvidedHostHeader: `serverlessrepo.${world.region}.amazonaws.com`,
          },
        }),
    ...(caller.fromConsole ? { sessionCredentialFromConsole: 'true' } : {}),
  };
}
