import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ContractRow,
  describeContractTable,
  enrichRow,
  listCloudTrailFixtures,
} from '../../test-support/contract-table.js';
import { UA } from '../../test-support/user-agents.js';
import { TruncatedTextSchema } from './enriched-event.js';

// The edge cases, one fixture each, the reason in its `source`. Every expected value is read off
// docs/events-v1.md (field tables, then the rule tables in order) and the fixture; none is copied from the code.

const RESIZER = 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/image-resizer';
const NO_RISK = { severity: 'info', reasons: [] } as const;
const call = (n: number) => `e0d9c8b7-${String(n).padStart(4, '0')}-4c00-a000-${String(n).padStart(12, '0')}`;

/** The fixture keeps the template's first lines; the test makes it 40,000 characters, well over 16,384. */
const LARGE_TEMPLATE = expandTemplate(
  "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n",
  40_000,
);

function expandTemplate(head: string, length: number): string {
  let text = head;
  for (let i = 0; text.length < length; i++) {
    text += `  Step${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: step${i}.handler\n`;
  }
  return text.slice(0, length);
}

const largeTemplateRow: ContractRow = {
  fixture: 'edge/large-template-body',
  prepare: (record) => ({
    ...record,
    requestParameters: { ...(record.requestParameters as object), templateBody: LARGE_TEMPLATE },
  }),
  expected: {
    eventId: call(12),
    eventName: 'CreateApplicationVersion',
    readOnly: false,
    errorCode: null,
    recipientAccountId: '123456789012',
    identity: {
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
    },
    source: {
      ipAddress: '198.51.100.88',
      kind: 'public-ip',
      userAgent: UA.javascript,
      client: { kind: 'sdk', language: 'javascript', version: '3.600.0' },
    },
    operation: {
      category: 'publish',
      applicationId: 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/etl-orchestrator',
      applicationName: 'etl-orchestrator',
      semanticVersion: '5.0.0',
      visibility: null,
      principals: [],
      organizationIds: [],
    },
    risk: { severity: 'low', reasons: ['application-published'] },
  },
};

const rows: ContractRow[] = [
  {
    fixture: 'edge/aws-service-event-no-type',
    expected: {
      eventId: call(1),
      eventName: 'GetApplication',
      readOnly: null, // the record has no readOnly flag
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'Unknown', // absent
        rawType: null,
        principalArn: 'cloudformation.amazonaws.com', // an AWS service: the invokedBy name
        principalId: null,
        accountId: '123456789012',
        userName: null,
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: null,
        credential: 'none',
        viaConsole: false,
        invokedBy: 'cloudformation.amazonaws.com',
        actor: 'aws-service',
        actorReason: 'aws-service-event',
      },
      source: {
        ipAddress: 'cloudformation.amazonaws.com',
        kind: 'aws-service',
        userAgent: 'cloudformation.amazonaws.com',
        client: { kind: 'cloudformation', language: null, version: null },
      },
      operation: {
        category: 'read',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: '1.2.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: NO_RISK, // no type at all is not an unknown type
    },
  },
  {
    fixture: 'edge/empty-access-key',
    expected: {
      eventId: call(2),
      eventName: 'UpdateApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalArn: 'arn:aws:iam::123456789012:user/Alice',
        principalId: 'AIDAJ45Q7YFFAREXAMPLE',
        accountId: '123456789012',
        userName: 'Alice',
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: null,
        credential: 'none',
        viaConsole: false,
        invokedBy: null,
        actor: 'human',
        actorReason: 'interactive-cli',
      },
      source: {
        ipAddress: '198.51.100.7',
        kind: 'public-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      operation: {
        category: 'update',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: '1.2.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'low', reasons: ['application-updated'] }, // an empty key is no long-term key
    },
  },
  {
    fixture: 'edge/iam-user-console-session',
    expected: {
      eventId: call(3),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '444455556666',
      identity: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalArn: 'arn:aws:iam::444455556666:user/JaneDoe',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        accountId: '444455556666',
        userName: 'JaneDoe',
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: true, // sessionCredentialFromConsole
        invokedBy: null,
        actor: 'human',
        actorReason: 'console-session',
      },
      source: {
        ipAddress: '203.0.113.15',
        kind: 'public-ip',
        userAgent: UA.browser,
        client: { kind: 'other', language: null, version: null },
      },
      operation: {
        category: 'share',
        applicationId: 'arn:aws:serverlessrepo:us-east-2:444455556666:applications/report-builder',
        applicationName: 'report-builder',
        semanticVersion: null,
        visibility: 'accounts',
        principals: ['111122223333'],
        organizationIds: [],
      },
      risk: { severity: 'medium', reasons: ['shared-with-accounts', 'no-mfa-console'] },
    },
  },
  {
    fixture: 'edge/identity-center-sso-role',
    expected: {
      eventId: call(4),
      eventName: 'CreateApplicationVersion',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn:
          'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PowerUserAccess_1a2b3c4d5e6f7a8b',
        principalId: 'AROAEXAMPLESSOROLE01:alice@example.com',
        accountId: '123456789012',
        userName: 'AWSReservedSSO_PowerUserAccess_1a2b3c4d5e6f7a8b',
        sessionName: 'alice@example.com',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: null,
        actor: 'human',
        actorReason: 'identity-center-session',
      },
      source: {
        ipAddress: '203.0.113.31',
        kind: 'public-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      operation: {
        category: 'publish',
        applicationId: 'arn:aws:serverlessrepo:eu-west-1:123456789012:applications/audit-log-shipper',
        applicationName: 'audit-log-shipper',
        semanticVersion: '0.4.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'low', reasons: ['application-published'] },
    },
  },
  {
    fixture: 'edge/github-actions-oidc',
    expected: {
      eventId: call(5),
      eventName: 'CreateApplicationVersion',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::123456789012:role/github-actions-sar-publish',
        principalId: 'AROAEXAMPLEGITHUB001:GitHubActions',
        accountId: '123456789012',
        userName: 'github-actions-sar-publish',
        sessionName: 'GitHubActions',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: null,
        actor: 'workload', // before interactive-cli: the SAM CLI runs in CI here
        actorReason: 'web-identity-federation',
      },
      source: {
        ipAddress: '198.51.100.200',
        kind: 'public-ip',
        userAgent: UA.samCliOnGitHubRunner,
        client: { kind: 'sam-cli', language: null, version: '1.115.0' },
      },
      operation: {
        category: 'publish',
        applicationId: 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/slack-notifier',
        applicationName: 'slack-notifier',
        semanticVersion: '2.3.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'low', reasons: ['application-published'] },
    },
  },
  {
    fixture: 'edge/role-chaining-source-identity',
    expected: {
      eventId: call(6),
      eventName: 'UpdateApplication',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '111111111111',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::111111111111:role/JohnRole1', // the issuer's ARN, as published
        principalId: 'AROAIN5ATK5U7KEXAMPLE:JohnRole1',
        accountId: '111111111111',
        userName: 'JohnDoe', // the issuer's userName, as published
        sessionName: 'JohnRole1',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'long-term', // the published example's AKIA key
        viaConsole: false,
        invokedBy: null,
        actor: 'human',
        actorReason: 'source-identity',
      },
      source: {
        ipAddress: '123.145.67.89',
        kind: 'public-ip',
        userAgent:
          'aws-cli/1.16.248 Python/3.4.7 Linux/4.9.184-0.1.ac.235.83.329.metal1.x86_64 botocore/1.12.239',
        client: { kind: 'aws-cli', language: null, version: '1.16.248' },
      },
      operation: {
        category: 'update',
        applicationId: 'arn:aws:serverlessrepo:us-east-2:111111111111:applications/cost-reporter',
        applicationName: 'cost-reporter',
        semanticVersion: '1.0.3',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'low', reasons: ['application-updated', 'long-term-key-write'] },
    },
  },
  {
    fixture: 'edge/service-linked-role',
    expected: {
      eventId: call(7),
      eventName: 'GetApplication',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn:
          'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
        principalId: 'AROAEXAMPLECONFIG001:AWSConfig-Describe',
        accountId: '123456789012',
        userName: 'AWSServiceRoleForConfig',
        sessionName: 'AWSConfig-Describe',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: 'config.amazonaws.com',
        actor: 'aws-service',
        actorReason: 'service-linked-role',
      },
      source: {
        ipAddress: 'config.amazonaws.com',
        kind: 'aws-service',
        userAgent: 'config.amazonaws.com',
        client: { kind: 'aws-service', language: null, version: null },
      },
      operation: {
        category: 'read',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: null,
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: NO_RISK,
    },
  },
  {
    fixture: 'edge/invoked-by-cloudformation',
    expected: {
      eventId: call(8),
      eventName: 'CreateCloudFormationTemplate',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::123456789012:role/deploy',
        principalId: 'AROAEXAMPLEDEPLOY001:alice',
        accountId: '123456789012',
        userName: 'deploy',
        sessionName: 'alice',
        crossAccount: false,
        mfaAuthenticated: true,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: 'cloudformation.amazonaws.com',
        actor: 'aws-service',
        actorReason: 'invoked-by-aws-service',
      },
      source: {
        ipAddress: 'cloudformation.amazonaws.com',
        kind: 'aws-service',
        userAgent: 'cloudformation.amazonaws.com',
        client: { kind: 'cloudformation', language: null, version: null },
      },
      operation: {
        category: 'deploy',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: '1.2.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: NO_RISK,
    },
  },
  {
    fixture: 'edge/console-login-mfa-yes',
    expected: {
      eventId: 'fed06f42-cb12-4764-8c69-121063dc79b9',
      eventName: 'ConsoleLogin',
      readOnly: null,
      errorCode: null,
      recipientAccountId: '111122223333',
      identity: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalArn: 'arn:aws:iam::111122223333:user/anaya',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        accountId: '111122223333',
        userName: 'anaya',
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: true, // MFAUsed "Yes"
        credential: 'none',
        viaConsole: true,
        invokedBy: null,
        actor: 'human',
        actorReason: 'console-session',
      },
      source: {
        ipAddress: '192.0.2.0',
        kind: 'public-ip',
        userAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36',
        client: { kind: 'other', language: null, version: null },
      },
      operation: null,
      risk: NO_RISK,
    },
  },
  {
    fixture: 'edge/console-login-mfa-no',
    expected: {
      eventId: '3fcfb182-98f8-4744-bd45-10a395ab61cb',
      eventName: 'ConsoleLogin',
      readOnly: null,
      errorCode: null,
      recipientAccountId: null,
      identity: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalArn: 'arn:aws:iam::111122223333:user/anaya',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        accountId: '111122223333',
        userName: 'anaya',
        sessionName: null,
        crossAccount: false, // no recipientAccountId
        mfaAuthenticated: false, // MFAUsed "No"
        credential: 'none',
        viaConsole: true,
        invokedBy: null,
        actor: 'human',
        actorReason: 'console-session',
      },
      source: {
        ipAddress: '192.0.2.0',
        kind: 'public-ip',
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0',
        client: { kind: 'other', language: null, version: null },
      },
      operation: null,
      risk: { severity: 'medium', reasons: ['no-mfa-console'] },
    },
  },
  {
    fixture: 'edge/console-login-hidden-user-name',
    expected: {
      eventId: 'a7654656-0417-45c6-9386-ea8231385051',
      eventName: 'ConsoleLogin',
      readOnly: null,
      errorCode: null, // the failure is in responseElements and errorMessage
      recipientAccountId: '123456789012',
      identity: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalArn: null, // no arn in the record
        principalId: null,
        accountId: '123456789012',
        userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'none',
        viaConsole: true,
        invokedBy: null,
        actor: 'human',
        actorReason: 'console-session',
      },
      source: {
        ipAddress: '192.0.2.101',
        kind: 'public-ip',
        userAgent: 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:24.0) Gecko/20100101 Firefox/24.0',
        client: { kind: 'other', language: null, version: null },
      },
      operation: null,
      risk: { severity: 'medium', reasons: ['no-mfa-console'] },
    },
  },
  {
    fixture: 'edge/access-denied',
    expected: {
      eventId: call(9),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: 'AccessDenied',
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::123456789012:role/developer',
        principalId: 'AROAEXAMPLEDEVELOP01:bob',
        accountId: '123456789012',
        userName: 'developer',
        sessionName: 'bob',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: null,
        actor: 'human',
        actorReason: 'interactive-cli',
      },
      source: {
        ipAddress: '203.0.113.66',
        kind: 'public-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      // No response: the statements are read from the request, which asked for a public application.
      operation: {
        category: 'share',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: null,
        // Denied: nothing changed, so no visibility; what it tried to grant stays in principals.
        visibility: null,
        principals: ['*'],
        organizationIds: [],
      },
      // made-public needs a successful call
      risk: { severity: 'medium', reasons: ['access-denied'] },
    },
  },
  {
    fixture: 'edge/cross-account-write',
    expected: {
      eventId: call(10),
      eventName: 'CreateCloudFormationTemplate',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '444455556666',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::111122223333:role/deployer',
        principalId: 'AROAEXAMPLEDEPLOYER1:pipeline',
        accountId: '111122223333',
        userName: 'deployer',
        sessionName: 'pipeline',
        crossAccount: true,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: null,
        actor: 'workload',
        actorReason: 'assumed-role-api-session',
      },
      source: {
        ipAddress: '198.51.100.120',
        kind: 'public-ip',
        userAgent: UA.javascript,
        client: { kind: 'sdk', language: 'javascript', version: '3.600.0' },
      },
      operation: {
        category: 'deploy',
        applicationId: 'arn:aws:serverlessrepo:us-east-1:444455556666:applications/shared-vpc-endpoints',
        applicationName: 'shared-vpc-endpoints',
        semanticVersion: '4.1.0',
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'high', reasons: ['cross-account-write'] },
    },
  },
  {
    fixture: 'edge/ec2-instance-role',
    expected: {
      eventId: call(11),
      eventName: 'ListApplicationVersions',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalArn: 'arn:aws:iam::123456789012:role/build-host',
        principalId: 'AROAEXAMPLEBUILDHST1:i-0abc1234def567890',
        accountId: '123456789012',
        userName: 'build-host',
        sessionName: 'i-0abc1234def567890',
        crossAccount: false,
        mfaAuthenticated: false,
        credential: 'temporary',
        viaConsole: false,
        invokedBy: null,
        actor: 'workload', // before interactive-cli
        actorReason: 'ec2-instance-role',
      },
      source: {
        ipAddress: '10.0.1.25',
        kind: 'private-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      operation: {
        category: 'read',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: null,
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: NO_RISK,
    },
  },
  largeTemplateRow,
  {
    fixture: 'edge/unrecognised-type',
    expected: {
      eventId: call(13),
      eventName: 'GetApplication',
      readOnly: true,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
        type: 'Unknown',
        rawType: 'FutureType',
        principalArn: null,
        principalId: 'AFTEXAMPLEPRINCIPAL01',
        accountId: '123456789012',
        userName: null,
        sessionName: null,
        crossAccount: false,
        mfaAuthenticated: null,
        credential: 'none',
        viaConsole: false,
        invokedBy: null,
        actor: 'unknown',
        actorReason: 'no-rule-matched',
      },
      source: {
        ipAddress: '198.51.100.44',
        kind: 'public-ip',
        userAgent: UA.javascript,
        client: { kind: 'sdk', language: 'javascript', version: '3.600.0' },
      },
      operation: {
        category: 'read',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: null,
        visibility: null,
        principals: [],
        organizationIds: [],
      },
      risk: { severity: 'medium', reasons: ['unknown-identity'] },
    },
  },
  {
    fixture: 'edge/policy-accounts-in-organization',
    expected: {
      eventId: call(14),
      eventName: 'PutApplicationPolicy',
      readOnly: false,
      errorCode: null,
      recipientAccountId: '123456789012',
      identity: {
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
      },
      source: {
        ipAddress: '203.0.113.5',
        kind: 'public-ip',
        userAgent: UA.awsCli,
        client: { kind: 'aws-cli', language: null, version: '2.17.20' },
      },
      operation: {
        category: 'share',
        applicationId: RESIZER,
        applicationName: 'image-resizer',
        semanticVersion: null,
        visibility: 'accounts', // named accounts, not `*`
        principals: ['111122223333', '444455556666'],
        organizationIds: ['o-a1b2c3d4e5'],
      },
      risk: { severity: 'medium', reasons: ['shared-with-accounts'] },
    },
  },
];

describeContractTable(rows);

describe('edge fixtures', () => {
  it('each have a row in the table', () => {
    expect(rows.map((row) => row.fixture).sort()).toEqual(listCloudTrailFixtures('edge'));
  });

  it('replace a 40,000-character templateBody in detail by a TruncatedText, with the default limit', () => {
    expect(LARGE_TEMPLATE).toHaveLength(40_000);
    const detail = enrichRow(largeTemplateRow).detail;
    const request = detail.requestParameters as Record<string, unknown>;
    const truncated = TruncatedTextSchema.parse(request.templateBody);
    expect(truncated).toEqual({
      sarwatchTruncated: true,
      prefix: LARGE_TEMPLATE.slice(0, 16_384),
      originalLength: 40_000,
      sha256: createHash('sha256').update(LARGE_TEMPLATE, 'utf8').digest('hex'),
    });
    expect(truncated.prefix).toHaveLength(16_384);
    // the shorter texts around it stay as they are
    expect(request.sourceCodeUrl).toBe('https://github.com/example/etl-orchestrator');
    expect(request.semanticVersion).toBe('5.0.0');
  });
});
