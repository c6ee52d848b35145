import { describe, expect, it } from 'vitest';
import {
  type ContractRow,
  describeContractTable,
  listCloudTrailFixtures,
  loadCloudTrailFixture,
} from '../../test-support/contract-table.js';
import { UA } from '../../test-support/user-agents.js';
import type { Identity, Operation, Source } from './enriched-event.js';

// One fixture per SAR operation, four for PutApplicationPolicy. Every expected value is read off docs/events-v1.md
// (field tables, then the rule tables in order) and the fixture; none is copied from the code's output.

const THUMBNAILS = 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/thumbnail-generator';

// The three callers these fixtures share. Each one always calls with the same user agent, and no field of
// `identity` or `source` depends on the operation, so one statement per caller holds for all its rows.

/** IAM user Alice with her long-term key, from the AWS CLI or the SAM CLI. */
const ALICE: Identity = {
  type: 'IAMUser',
  rawType: 'IAMUser',
  principalArn: 'arn:aws:iam::123456789012:user/Alice',
  principalId: 'AIDAJ45Q7YFFAREXAMPLE',
  accountId: '123456789012',
  userName: 'Alice',
  sessionName: null,
  crossAccount: false,
  mfaAuthenticated: null,
  credential: 'long-term',
  viaConsole: false,
  invokedBy: null,
  actor: 'human',
  actorReason: 'interactive-cli',
};

/** A CodeBuild project's role session, AWS SDK for JavaScript. */
const RELEASE_ROLE: Identity = {
  type: 'AssumedRole',
  rawType: 'AssumedRole',
  principalArn: 'arn:aws:iam::123456789012:role/sar-release',
  principalId: 'AROAEXAMPLERELEASE01:AWSCodeBuild-7f0e2c1a-5b6d-4e3f-9a8b-1c2d3e4f5a6b',
  accountId: '123456789012',
  userName: 'sar-release',
  sessionName: 'AWSCodeBuild-7f0e2c1a-5b6d-4e3f-9a8b-1c2d3e4f5a6b',
  crossAccount: false,
  mfaAuthenticated: false,
  credential: 'temporary',
  viaConsole: false,
  invokedBy: null,
  actor: 'workload',
  actorReason: 'assumed-role-api-session',
};
const RELEASE_SOURCE: Source = {
  ipAddress: '198.51.100.88',
  kind: 'public-ip',
  userAgent: UA.javascript,
  client: { kind: 'sdk', language: 'javascript', version: '3.600.0' },
};

/** Role Admin, session alice, AWS CLI. */
const ADMIN: Identity = {
  type: 'AssumedRole',
  rawType: 'AssumedRole',
  principalArn: 'arn:aws:iam::123456789012:role/Admin',
  principalId: 'AROAEXAMPLEADMINROL1:alice',
  accountId: '123456789012',
  userName: 'Admin',
  sessionName: 'alice',
  crossAccount: false,
  mfaAuthenticated: false,
  credential: 'temporary',
  viaConsole: false,
  invokedBy: null,
  actor: 'human',
  actorReason: 'interactive-cli',
};
const ADMIN_SOURCE: Source = {
  ipAddress: '203.0.113.5',
  kind: 'public-ip',
  userAgent: UA.awsCli,
  client: { kind: 'aws-cli', language: null, version: '2.17.20' },
};

/** A thumbnail-generator operation: the fields that vary, over the defaults of a call that is not a policy. */
const onThumbnails = (fields: Partial<Operation> & Pick<Operation, 'category'>): Operation => ({
  applicationId: THUMBNAILS,
  applicationName: 'thumbnail-generator',
  semanticVersion: null,
  visibility: null,
  principals: [],
  organizationIds: [],
  ...fields,
});

const call = (n: number) => `5a7e0c11-${String(n).padStart(4, '0')}-4b00-9000-${String(n).padStart(12, '0')}`;

const rows: ContractRow[] = [
  {
    fixture: 'sar/create-application',
    expected: {
      eventId: call(1),
      eventName: 'CreateApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ALICE,
      source: {
        ipAddress: '198.51.100.14',
        kind: 'public-ip',
        userAgent: UA.samCli,
        client: { kind: 'sam-cli', language: null, version: '1.115.0' },
      },
      // applicationId from the response, name and version from the request
      operation: onThumbnails({ category: 'publish', semanticVersion: '1.0.0' }),
      risk: { severity: 'low', reasons: ['application-published', 'long-term-key-write'] },
    },
  },
  {
    fixture: 'sar/create-application-version',
    expected: {
      eventId: call(2),
      eventName: 'CreateApplicationVersion',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      operation: onThumbnails({ category: 'publish', semanticVersion: '1.1.0' }),
      risk: { severity: 'low', reasons: ['application-published'] },
    },
  },
  {
    fixture: 'sar/update-application',
    expected: {
      eventId: call(3),
      eventName: 'UpdateApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      // name from the response, version from the response's `version`
      operation: onThumbnails({ category: 'update', semanticVersion: '1.1.0' }),
      risk: { severity: 'low', reasons: ['application-updated'] },
    },
  },
  {
    fixture: 'sar/put-application-policy-public',
    expected: {
      eventId: call(4),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({ category: 'share', visibility: 'public', principals: ['*'] }),
      risk: { severity: 'critical', reasons: ['made-public'] },
    },
  },
  {
    fixture: 'sar/put-application-policy-organization',
    expected: {
      eventId: call(5),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({
        category: 'share',
        visibility: 'organization',
        principals: ['*'],
        organizationIds: ['o-a1b2c3d4e5'],
      }),
      risk: { severity: 'medium', reasons: ['shared-with-organization'] },
    },
  },
  {
    fixture: 'sar/put-application-policy-accounts',
    expected: {
      eventId: call(6),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({
        category: 'share',
        visibility: 'accounts',
        principals: ['111122223333', '444455556666'],
      }),
      risk: { severity: 'medium', reasons: ['shared-with-accounts'] },
    },
  },
  {
    fixture: 'sar/put-application-policy-private',
    expected: {
      eventId: call(7),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      // a policy that grants nothing is an unshare
      operation: onThumbnails({ category: 'unshare', visibility: 'private' }),
      risk: { severity: 'low', reasons: ['sharing-removed'] },
    },
  },
  {
    fixture: 'sar/unshare-application',
    expected: {
      eventId: call(8),
      eventName: 'UnshareApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({ category: 'unshare', organizationIds: ['o-a1b2c3d4e5'] }),
      risk: { severity: 'low', reasons: ['sharing-removed'] },
    },
  },
  {
    fixture: 'sar/delete-application',
    expected: {
      eventId: call(9),
      eventName: 'DeleteApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({ category: 'delete' }),
      risk: { severity: 'high', reasons: ['application-deleted'] },
    },
  },
  {
    fixture: 'sar/get-application',
    expected: {
      eventId: call(10),
      eventName: 'GetApplication',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      operation: onThumbnails({ category: 'read', semanticVersion: '1.1.0' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/get-application-policy',
    expected: {
      eventId: call(11),
      eventName: 'GetApplicationPolicy',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      // visibility and the grants describe a PutApplicationPolicy call; reading a policy grants nothing
      operation: onThumbnails({ category: 'read' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/get-cloudformation-template',
    expected: {
      eventId: call(12),
      eventName: 'GetCloudFormationTemplate',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      // The request names none; the response's top-level semanticVersion is the template's version.
      operation: onThumbnails({ category: 'read', semanticVersion: '1.1.0' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/list-applications',
    expected: {
      eventId: call(13),
      eventName: 'ListApplications',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ALICE,
      source: {
        ipAddress: '198.51.100.14',
        kind: 'public-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      operation: {
        category: 'read',
        applicationId: null,
        applicationName: null,
        semanticVersion: null,
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'info', reasons: [] }, // a long-term key, but a read
    },
  },
  {
    fixture: 'sar/list-application-versions',
    expected: {
      eventId: call(14),
      eventName: 'ListApplicationVersions',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      operation: onThumbnails({ category: 'read' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/list-application-dependencies',
    expected: {
      eventId: call(15),
      eventName: 'ListApplicationDependencies',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      operation: onThumbnails({ category: 'read', semanticVersion: '1.1.0' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/create-cloudformation-change-set',
    expected: {
      eventId: call(16),
      eventName: 'CreateCloudFormationChangeSet',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: ADMIN,
      source: ADMIN_SOURCE,
      operation: onThumbnails({ category: 'deploy', semanticVersion: '1.1.0' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
  {
    fixture: 'sar/create-cloudformation-template',
    expected: {
      eventId: call(17),
      eventName: 'CreateCloudFormationTemplate',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: RELEASE_ROLE,
      source: RELEASE_SOURCE,
      operation: onThumbnails({ category: 'deploy', semanticVersion: '1.1.0' }),
      risk: { severity: 'info', reasons: [] },
    },
  },
];

describeContractTable(rows);

describe('SAR operation fixtures', () => {
  it('cover every SAR API operation', () => {
    const records = listCloudTrailFixtures('sar').map((fixture) => loadCloudTrailFixture(fixture).record);
    expect(new Set(records.map((record) => record.eventSource))).toEqual(
      new Set(['serverlessrepo.amazonaws.com']),
    );
    expect(new Set(records.map((record) => record.eventName))).toEqual(
      new Set([
        'CreateApplication',
        'CreateApplicationVersion',
        'UpdateApplication',
        'PutApplicationPolicy',
        'UnshareApplication',
        'DeleteApplication',
        'GetApplication',
        'GetApplicationPolicy',
        'GetCloudFormationTemplate',
        'ListApplications',
        'ListApplicationVersions',
        'ListApplicationDependencies',
        'CreateCloudFormationChangeSet',
        'CreateCloudFormationTemplate',
      ]),
    );
  });

  it('cover the four kinds of application policy', () => {
    const visibilities = rows
      .filter((row) => row.expected.eventName === 'PutApplicationPolicy')
      .map((row) => row.expected.operation?.visibility);
    expect(new Set(visibilities)).toEqual(new Set(['public', 'organization', 'accounts', 'private']));
  });

  it('each have a row in the table', () => {
    expect(rows.map((row) => row.fixture).sort()).toEqual(listCloudTrailFixtures('sar'));
  });
});
