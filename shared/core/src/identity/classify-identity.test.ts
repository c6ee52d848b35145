import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_FOLDERS,
  listContractFixtures,
  loadContractFixture,
} from '../../test-support/contract-fixtures.js';
import { loadFixture } from '../../test-support/load-fixture.js';
import { mutatedRecord, realShapedRecords } from '../../test-support/mutated-records.js';
import { type CloudTrailRecord, CloudTrailRecordSchema } from '../cloudtrail/record.js';
import type { UserIdentity } from '../cloudtrail/user-identity.js';
import { classifyIdentity } from './classify-identity.js';

const fixture = (name: string) => CloudTrailRecordSchema.parse(loadFixture(`cloudtrail/${name}.json`).record);

describe('classifyIdentity', () => {
  it('root signing in through the console, without MFA', () => {
    expect(classifyIdentity(fixture('root-console-create-application'))).toEqual({
      type: 'Root',
      rawType: 'Root',
      principalArn: 'arn:aws:iam::999999999999:root',
      principalId: '999999999999',
      accountId: '999999999999',
      userName: null,
      sessionName: null,
      crossAccount: false,
      mfaAuthenticated: false,
      credential: 'temporary',
      viaConsole: true,
      invokedBy: 'signin.amazonaws.com',
      actor: 'root',
      actorReason: 'root-identity',
    });
  });

  it('an IAM user with a long-term key from the AWS CLI', () => {
    expect(classifyIdentity(fixture('iam-user-cli-put-application-policy'))).toMatchObject({
      type: 'IAMUser',
      principalArn: 'arn:aws:iam::123456789012:user/Alice',
      userName: 'Alice',
      credential: 'long-term',
      mfaAuthenticated: null,
      viaConsole: false,
      crossAccount: false,
      actor: 'human',
      actorReason: 'interactive-cli',
    });
  });

  it('an Identity Center session acting on another account', () => {
    expect(classifyIdentity(fixture('identity-center-cross-account-delete'))).toMatchObject({
      type: 'AssumedRole',
      principalArn:
        'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      sessionName: 'bob@example.com',
      accountId: '111122223333',
      crossAccount: true,
      mfaAuthenticated: true,
      credential: 'temporary',
      actor: 'human',
      actorReason: 'identity-center-session',
    });
  });

  it('an AWS service event with no identity type', () => {
    expect(classifyIdentity(fixture('aws-service-event-no-type'))).toMatchObject({
      type: 'Unknown',
      rawType: null,
      principalArn: 'cloudformation.amazonaws.com',
      credential: 'none',
      actor: 'aws-service',
      actorReason: 'aws-service-event',
    });
  });

  it('keeps an unrecognised type as raw and reports Unknown', () => {
    const record = fixture('iam-user-cli-put-application-policy');
    const identity = classifyIdentity({
      ...record,
      userIdentity: { ...record.userIdentity, type: 'Martian' },
    });
    expect(identity).toMatchObject({ type: 'Unknown', rawType: 'Martian' });
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'long-term'],
    ['ASIAIOSFODNN7EXAMPLE', 'temporary'],
    ['', 'none'],
    [undefined, 'none'],
    ['ABIAEXAMPLE', 'unknown'],
  ])('access key %s is %s', (accessKeyId, credential) => {
    const record = fixture('iam-user-cli-put-application-policy');
    const identity = classifyIdentity({ ...record, userIdentity: { ...record.userIdentity, accessKeyId } });
    expect(identity.credential).toBe(credential);
  });

  it('reads MFA from ConsoleLogin additionalEventData', () => {
    const record = fixture('iam-user-cli-put-application-policy');
    // Sign-in events carry no access key.
    const { accessKeyId: _key, ...userIdentity } = record.userIdentity;
    const login = {
      ...record,
      userIdentity,
      eventName: 'ConsoleLogin',
      additionalEventData: { MFAUsed: 'Yes' },
    };
    expect(classifyIdentity(login)).toMatchObject({ mfaAuthenticated: true, viaConsole: true });
  });
});

const RDS_CONSOLE =
  'RDS Console, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard';

const withIdentity = (record: CloudTrailRecord, change: Partial<UserIdentity>): CloudTrailRecord => ({
  ...record,
  userIdentity: { ...record.userIdentity, ...change },
});

describe('classifyIdentity: console user agents', () => {
  it('a service console named before aws-internal ("RDS Console, aws-internal/3 …") is a console session', () => {
    // An assumed-role session with a temporary key and no sessionCredentialFromConsole: only the agent tells.
    const record = fixture('identity/assumed-role');
    const viaRdsConsole = {
      ...withIdentity(record, { accessKeyId: 'ASIAQNZGKIQYEXAMPLE3' }),
      userAgent: RDS_CONSOLE,
    };
    expect(record.sessionCredentialFromConsole).toBeUndefined();
    expect(classifyIdentity(viaRdsConsole)).toMatchObject({
      type: 'AssumedRole',
      principalArn: 'arn:aws:iam::123456789012:role/RoleToBeAssumed',
      credential: 'temporary',
      viaConsole: true,
      actor: 'human',
      actorReason: 'console-session',
    });
  });

  it('the internal SDK without a console in front is not', () => {
    const record = fixture('identity/assumed-role');
    const internal = { ...record, userAgent: RDS_CONSOLE.slice('RDS Console, '.length) };
    expect(classifyIdentity(internal)).toMatchObject({ viaConsole: false, actor: 'workload' });
  });
});

describe('classifyIdentity: federated users', () => {
  // docs/events-v1.md: userName is `userName`, for federated users the name in their ARN (`federated-user/<name>`);
  // sessionName is, for federated users, the name in their ARN, else what follows the `:` of `principalId`.
  it('take userName and sessionName from their ARN', () => {
    expect(classifyIdentity(fixture('identity/federated-user'))).toMatchObject({
      type: 'FederatedUser',
      principalArn: 'arn:aws:sts::123456789012:federated-user/Bob',
      userName: 'Bob',
      sessionName: 'Bob',
    });
  });

  it.each([
    ['arn:aws:sts::123456789012:federated-user/bob.smith@example.com', 'bob.smith@example.com'],
    ['arn:aws-cn:sts::123456789012:federated-user/Bob', 'Bob'],
    ['arn:aws-us-gov:sts::123456789012:federated-user/deploy+ci=1,x-y', 'deploy+ci=1,x-y'],
  ])('read the name in %s', (arn, name) => {
    const record = withIdentity(fixture('identity/federated-user'), {
      arn,
      principalId: `123456789012:${name}`,
    });
    expect(classifyIdentity(record)).toMatchObject({ principalArn: arn, userName: name, sessionName: name });
  });

  it('prefer the ARN to principalId for the session name', () => {
    const record = withIdentity(fixture('identity/federated-user'), { principalId: '123456789012:Robert' });
    expect(classifyIdentity(record)).toMatchObject({ userName: 'Bob', sessionName: 'Bob' });
  });

  it('fall back to what follows the colon of principalId for the session name when there is no ARN', () => {
    const { arn: _arn, ...userIdentity } = fixture('identity/federated-user').userIdentity;
    const record = { ...fixture('identity/federated-user'), userIdentity };
    expect(classifyIdentity(record)).toMatchObject({ principalArn: null, sessionName: 'Bob' });
  });

  it('keep a userName the record gives', () => {
    const record = withIdentity(fixture('identity/federated-user'), { userName: 'bob-given' });
    expect(classifyIdentity(record)).toMatchObject({ userName: 'bob-given', sessionName: 'Bob' });
  });

  it('and other types get no name from a federated-user ARN', () => {
    const record = withIdentity(fixture('identity/federated-user'), { type: 'Role' });
    expect(classifyIdentity(record)).toMatchObject({ type: 'Role', userName: null, sessionName: null });
  });
});

describe('classifyIdentity: sign-in events without an ARN', () => {
  // docs/events-v1.md, principalArn: for an IAM user's sign-in event that gives only `accountId` and `userName`,
  // `arn:<partition>:iam::<account>:user/<name>`; the partition is the region's (IAM User Guide, ARN format).
  const checkMfa = fixture('edge/check-mfa-sign-in');

  it.each([
    ['us-east-1', 'arn:aws:iam::111122223333:user/anaya'],
    ['eu-central-1', 'arn:aws:iam::111122223333:user/anaya'],
    ['cn-north-1', 'arn:aws-cn:iam::111122223333:user/anaya'],
    ['cn-northwest-1', 'arn:aws-cn:iam::111122223333:user/anaya'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::111122223333:user/anaya'],
  ])('a CheckMfa in %s gives %s', (awsRegion, principalArn) => {
    expect(classifyIdentity({ ...checkMfa, awsRegion })).toMatchObject({
      type: 'IAMUser',
      principalArn,
      userName: 'anaya',
      viaConsole: true,
      credential: 'none',
      actor: 'human',
      actorReason: 'console-session',
    });
  });

  it('a failed ConsoleLogin in a China region, with an empty key, gets an aws-cn ARN', () => {
    const login = CloudTrailRecordSchema.parse({
      ...loadFixture('cloudtrail/edge/console-login-mfa-no.json').record,
      awsRegion: 'cn-north-1',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        accountId: '111122223333',
        accessKeyId: '',
        userName: 'anaya',
      },
      responseElements: { ConsoleLogin: 'Failure' },
      errorMessage: 'Failed authentication',
    });
    expect(classifyIdentity(login)).toMatchObject({
      principalArn: 'arn:aws-cn:iam::111122223333:user/anaya',
      viaConsole: true,
      mfaAuthenticated: false,
      credential: 'none',
    });
  });

  it('keeps the ARN the record gives, whatever the region', () => {
    const record = withIdentity(
      { ...checkMfa, awsRegion: 'cn-north-1' },
      {
        arn: 'arn:aws:iam::111122223333:user/anaya',
      },
    );
    expect(classifyIdentity(record).principalArn).toBe('arn:aws:iam::111122223333:user/anaya');
  });

  it('builds none for the hidden user name of a failed sign-in', () => {
    expect(classifyIdentity(fixture('edge/console-login-hidden-user-name'))).toMatchObject({
      principalArn: null,
      userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      accountId: '123456789012',
      viaConsole: true,
    });
  });

  it.each([
    ['no account', { accountId: undefined }],
    ['no user name', { userName: undefined }],
    ['an empty user name', { userName: '' }],
  ])('builds none with %s', (_case, change: Partial<UserIdentity>) => {
    expect(classifyIdentity(withIdentity(checkMfa, change)).principalArn).toBeNull();
  });
});

describe('classifyIdentity: a console session is never an AWS service', () => {
  // console-session comes right after root-identity: whatever else the record says, console credentials are a
  // person's (or root's). invokedBy still names a service that forwarded the call.
  const contractRecords = CONTRACT_FOLDERS.flatMap(listContractFixtures).map(
    (name) => loadContractFixture(name).record,
  );
  const records = [...contractRecords, ...realShapedRecords].map((record) =>
    CloudTrailRecordSchema.parse(record),
  );

  const expectPersonWhenConsole = (record: CloudTrailRecord) => {
    const identity = classifyIdentity(record);
    if (!identity.viaConsole) return false;
    expect(identity.actor).not.toBe('aws-service');
    expect(identity.type === 'Root' ? 'root-identity' : 'console-session').toBe(identity.actorReason);
    return true;
  };

  it('in every fixture', () => {
    const consoleRecords = records.filter(expectPersonWhenConsole);
    expect(consoleRecords.length).toBeGreaterThanOrEqual(8);
  });

  const consoleSignals: Partial<CloudTrailRecord>[] = [
    { sessionCredentialFromConsole: 'true' },
    { userAgent: 'console.amazonaws.com' },
    { userAgent: RDS_CONSOLE },
    { eventType: 'AwsConsoleSignIn' },
  ];
  const serviceHints: ((record: CloudTrailRecord) => CloudTrailRecord)[] = [
    (record) => withIdentity(record, { invokedBy: 'AWS Internal' }),
    (record) => withIdentity(record, { invokedBy: 'cloudformation.amazonaws.com' }),
    (record) => ({ ...withIdentity(record, { invokedBy: 'AWS Internal' }), sourceIPAddress: 'AWS Internal' }),
    (record) => withIdentity(record, { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }),
    (record) => withIdentity(record, { type: undefined, invokedBy: 'cloudformation.amazonaws.com' }),
    (record) =>
      withIdentity(record, {
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: 'arn:aws:iam::123456789012:role/aws-service-role/serverlessrepo.amazonaws.com/AWSServiceRoleForX',
            userName: 'AWSServiceRoleForX',
          },
        },
      }),
  ];

  it('in every fixture given a console signal and a hint of an AWS service', () => {
    let consoleCount = 0;
    for (const record of records) {
      for (const signal of consoleSignals) {
        for (const hint of serviceHints) {
          const mutated = { ...hint(record), ...signal };
          const identity = classifyIdentity(mutated);
          if (mutated.userIdentity.accessKeyId?.startsWith('AKIA')) {
            expect(identity.viaConsole).toBe(false);
            continue;
          }
          expect(identity.viaConsole).toBe(true);
          expect(expectPersonWhenConsole(mutated)).toBe(true);
          consoleCount++;
        }
      }
    }
    expect(consoleCount).toBeGreaterThan(records.length);
  });

  it('in randomly mutated records', () => {
    fc.assert(
      fc.property(mutatedRecord, (value) => {
        const parsed = CloudTrailRecordSchema.safeParse(value);
        if (parsed.success) expectPersonWhenConsole(parsed.data);
      }),
      { numRuns: 2_000 },
    );
  });
});
