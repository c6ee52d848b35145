import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test-support/load-fixture.js';
import { CloudTrailRecordSchema } from '../cloudtrail/record.js';
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
