import { describe, expect, it } from 'vitest';
import { type CloudTrailRecord, CloudTrailRecordSchema } from '../cloudtrail/record.js';
import { isConsoleCall, isConsoleUserAgent } from './console-signals.js';

// docs/events-v1.md, `identity.viaConsole`: made with console session credentials: the record's
// `sessionCredentialFromConsole: "true"`, a sign-in event (`eventType: AwsConsoleSignIn`), or a console's user agent
// (`console.amazonaws.com`, `signin.amazonaws.com`, per-service forms such as `console.ec2.amazonaws.com`, or a
// service console in front of AWS's internal SDK). `AWS Internal` alone is not the console, and a long-term `AKIA`
// key never is.

const S3_CONSOLE =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]';
const RDS_CONSOLE =
  'RDS Console, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard';
const INTERNAL_SDK_ALONE =
  'aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard';
const AWS_CLI =
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#serverlessrepo.get-application';
const AWS_CLI_V1 = 'aws-cli/1.33.2 Python/3.11.9 Linux/6.5.0 botocore/1.34.138';
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0';

describe('isConsoleUserAgent', () => {
  it.each([
    ['console.amazonaws.com', 'the console'],
    ['signin.amazonaws.com', 'sign-in'],
    ['console.ec2.amazonaws.com', 'a per-service form'],
    ['console.s3.amazonaws.com', 'a per-service form'],
    [S3_CONSOLE, 'a service console in front of aws-internal, in brackets'],
    [RDS_CONSOLE, 'a service console in front of aws-internal, named with a space'],
  ])('%s is the console (%s)', (userAgent) => {
    expect(isConsoleUserAgent(userAgent)).toBe(true);
  });

  it.each([
    ['AWS Internal', 'a service acting with the credentials of the caller'],
    [INTERNAL_SDK_ALONE, 'the internal SDK alone: AWS made the call'],
    ['aws-internal/3 aws-sdk-java/1.12', 'the internal SDK alone, short'],
    ['cloudformation.amazonaws.com', 'another service'],
    ['lambda.amazonaws.com', 'another service'],
    ['consoles.amazonaws.com', 'not the console host'],
    ['myconsole.amazonaws.com', 'not the console host'],
    ['console.amazonaws.com.example.com', 'not an AWS host'],
    ['console.amazonaws.com ', 'not exactly the host'],
    [AWS_CLI, 'the AWS CLI v2'],
    [AWS_CLI_V1, 'the AWS CLI v1'],
    [BROWSER, 'a browser'],
    [FIREFOX, 'a browser'],
    ['', 'empty'],
    [undefined, 'absent'],
  ])('%j is not the console (%s)', (userAgent, _why) => {
    expect(isConsoleUserAgent(userAgent)).toBe(false);
  });
});

/** A plain API call by an assumed-role session from the AWS CLI: no console signal at all. */
const base = CloudTrailRecordSchema.parse({
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEADMINROL1:alice',
    arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
    accountId: '123456789012',
    accessKeyId: 'ASIAQNZGKIQYEXAMPLE3',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEADMINROL1',
        arn: 'arn:aws:iam::123456789012:role/Admin',
        accountId: '123456789012',
        userName: 'Admin',
      },
      attributes: { creationDate: '2026-11-03T08:00:00Z', mfaAuthenticated: 'true' },
    },
  },
  eventTime: '2026-11-03T09:10:00Z',
  eventSource: 'serverlessrepo.amazonaws.com',
  eventName: 'GetApplication',
  awsRegion: 'us-east-1',
  sourceIPAddress: '52.94.133.131',
  userAgent: AWS_CLI,
  requestParameters: { applicationId: 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/app' },
  responseElements: null,
  eventID: '5a7e0c11-0099-4b00-9000-000000000099',
  readOnly: true,
  eventType: 'AwsApiCall',
  recipientAccountId: '123456789012',
});

const withKey = (record: CloudTrailRecord, accessKeyId: string | undefined): CloudTrailRecord => ({
  ...record,
  userIdentity: { ...record.userIdentity, accessKeyId },
});

describe('isConsoleCall', () => {
  it('is false without any signal', () => {
    expect(isConsoleCall(base)).toBe(false);
  });

  describe('each documented signal on its own', () => {
    it.each([
      ['sessionCredentialFromConsole "true"', { sessionCredentialFromConsole: 'true' }],
      ['sessionCredentialFromConsole true, re-typed by a relay', { sessionCredentialFromConsole: true }],
      [
        'a CheckMfa sign-in event',
        { eventSource: 'signin.amazonaws.com', eventName: 'CheckMfa', eventType: 'AwsConsoleSignIn' },
      ],
      [
        'a ConsoleLogin sign-in event',
        { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn' },
      ],
      ['the console user agent', { userAgent: 'console.amazonaws.com' }],
      ['the sign-in user agent', { userAgent: 'signin.amazonaws.com' }],
      ['a per-service console user agent', { userAgent: 'console.ec2.amazonaws.com' }],
      ['a service console in front of aws-internal', { userAgent: S3_CONSOLE }],
      ['a named service console in front of aws-internal', { userAgent: RDS_CONSOLE }],
    ])('%s', (_signal, change: Partial<CloudTrailRecord>) => {
      expect(isConsoleCall({ ...base, ...change })).toBe(true);
    });

    it('the signals hold for a sign-in event without any access key', () => {
      const signIn = { ...withKey(base, undefined), eventName: 'CheckMfa', eventType: 'AwsConsoleSignIn' };
      expect(isConsoleCall(signIn)).toBe(true);
      expect(isConsoleCall({ ...withKey(base, ''), userAgent: 'console.amazonaws.com' })).toBe(true);
    });
  });

  describe('what is not the console', () => {
    it.each([
      ['sessionCredentialFromConsole "false"', { sessionCredentialFromConsole: 'false' }],
      ['sessionCredentialFromConsole false', { sessionCredentialFromConsole: false }],
      [
        '"AWS Internal" as user agent and source',
        { userAgent: 'AWS Internal', sourceIPAddress: 'AWS Internal' },
      ],
      [
        '"AWS Internal" everywhere, invokedBy included',
        {
          userAgent: 'AWS Internal',
          sourceIPAddress: 'AWS Internal',
          userIdentity: { ...base.userIdentity, invokedBy: 'AWS Internal' },
        },
      ],
      ['the internal SDK alone', { userAgent: INTERNAL_SDK_ALONE }],
      ['another service as user agent', { userAgent: 'cloudformation.amazonaws.com' }],
      ['a browser user agent alone', { userAgent: BROWSER }],
      ['an ordinary API call', { eventType: 'AwsApiCall' }],
      ['an AWS service event', { eventType: 'AwsServiceEvent' }],
      ['no user agent', { userAgent: undefined }],
    ])('%s', (_case, change: Partial<CloudTrailRecord>) => {
      expect(isConsoleCall({ ...base, ...change })).toBe(false);
    });
  });

  describe('a long-term AKIA key is never the console', () => {
    const longTerm = withKey(base, 'AKIAIOSFODNN7EXAMPLE');

    it.each([
      ['sessionCredentialFromConsole "true"', { sessionCredentialFromConsole: 'true' }],
      ['a sign-in event type', { eventType: 'AwsConsoleSignIn', eventName: 'CheckMfa' }],
      ['ConsoleLogin', { eventName: 'ConsoleLogin' }],
      ['the console user agent', { userAgent: 'console.amazonaws.com' }],
      ['a per-service console user agent', { userAgent: 'console.ec2.amazonaws.com' }],
      ['a service console in front of aws-internal', { userAgent: S3_CONSOLE }],
      [
        'every signal at once',
        {
          sessionCredentialFromConsole: 'true',
          eventType: 'AwsConsoleSignIn',
          eventName: 'ConsoleLogin',
          userAgent: 'console.amazonaws.com',
        },
      ],
    ])('even with %s', (_signal, change: Partial<CloudTrailRecord>) => {
      expect(isConsoleCall({ ...longTerm, ...change })).toBe(false);
    });

    it('while the same signals with a temporary ASIA key are the console', () => {
      expect(isConsoleCall({ ...base, sessionCredentialFromConsole: 'true' })).toBe(true);
      expect(isConsoleCall({ ...base, userAgent: 'console.amazonaws.com' })).toBe(true);
    });
  });
});
