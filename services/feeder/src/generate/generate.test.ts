import { createHash } from 'node:crypto';
import {
  type CloudTrailRecord,
  classifyIdentity,
  classifySarOperation,
  DEAD_LETTER_REASONS,
  decodeRecord,
  enrich,
} from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import {
  createEventGenerator,
  createRng,
  type GeneratedEvent,
  type GeneratedRecord,
  IDENTITY_SHAPES,
  type IdentityShape,
  MALFORMATION_KINDS,
  makeMalformedRecord,
  type PolicyStatement,
  SAR_OPERATIONS,
} from './index.js';

const DECODE = { maxRecordBytes: 1_048_576 };
const FIXED_NOW = () => new Date('2025-03-01T10:00:00.123Z');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APPLICATION_ARN = /^arn:aws:serverlessrepo:[a-z0-9-]+:\d{12}:applications\/[a-z0-9-]+$/;

function take(count: number, seed: number, malformedRatio = 0): GeneratedRecord[] {
  const generator = createEventGenerator({ seed, malformedRatio, now: FIXED_NOW });
  return Array.from({ length: count }, () => generator.next());
}

const events = (records: GeneratedRecord[]) => records.filter((r): r is GeneratedEvent => r.kind === 'event');

/** Recognises the caller shape from the record alone, so the test checks output rather than a label. */
function shapeOf(record: CloudTrailRecord): IdentityShape {
  const identity = record.userIdentity;
  const context = identity.sessionContext;
  const session = identity.arn?.split('/').at(-1) ?? '';
  switch (identity.type) {
    case undefined:
      return 'aws-service-event';
    case 'AWSService':
      return 'aws-service';
    case 'Root':
      return 'root-console';
    case 'FederatedUser':
      return 'federated-user';
    case 'IAMUser':
      return record.sessionCredentialFromConsole === 'true' ? 'iam-user-console' : 'iam-user-access-key';
    case 'AssumedRole':
      if (identity.accountId !== record.recipientAccountId) return 'cross-account-role';
      if (context?.webIdFederationData?.federatedProvider?.endsWith('/token.actions.githubusercontent.com')) {
        return 'web-identity-ci';
      }
      if (context?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_')) return 'identity-center';
      if (context?.ec2RoleDelivery === '2.0' && /^i-0[0-9a-f]{16}$/.test(session)) return 'ec2-instance-role';
      if (context?.sourceIdentity !== undefined) return 'role-chaining';
  }
  throw new Error(`unrecognised identity ${JSON.stringify(identity)}`);
}

describe('createEventGenerator', () => {
  it('produces the same bytes for the same seed and different bytes for another', () => {
    const run = (seed: number) => take(500, seed, 0.05).map((r) => Buffer.from(r.data).toString('base64'));
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('covers every SAR operation and every identity shape within 2,000 events', () => {
    const records = events(take(2_000, 7)).map((e) => e.record);
    expect(new Set(records.map((r) => r.eventName))).toEqual(new Set(SAR_OPERATIONS));
    expect(new Set(records.map(shapeOf))).toEqual(new Set(IDENTITY_SHAPES));
  });

  it('emits events that decode, over 5,000 events and several seeds', () => {
    const eventIds = new Set<string>();
    for (const seed of [1, 2, 3, 42, 2025]) {
      for (const event of events(take(1_000, seed))) {
        const decoded = decodeRecord(event.data, DECODE);
        expect(decoded.ok ? null : decoded.message).toBeNull();
        if (!decoded.ok) continue;
        expect(decoded.record).toEqual(event.record);
        expect(decoded.envelope).toEqual(event.envelope);
        expect(() => enrich(decoded.record)).not.toThrow();
        eventIds.add(event.record.eventID);
      }
    }
    expect(eventIds.size).toBe(5_000);
  });

  it('wraps each record as EventBridge does and keys it by the envelope id', () => {
    for (const { record, envelope, partitionKey } of events(take(300, 5))) {
      expect(envelope).toMatchObject({
        version: '0',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.serverlessrepo',
        account: record.recipientAccountId,
        time: record.eventTime,
        region: record.awsRegion,
        resources: [],
      });
      expect(envelope.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(envelope.id).toMatch(UUID_V4);
      expect(envelope.id).not.toBe(record.eventID);
      expect(partitionKey).toBe(envelope.id);
    }
  });

  it('writes records with the fields and identifiers CloudTrail uses', () => {
    for (const { record } of events(take(2_000, 9))) {
      expect(['1.08', '1.09']).toContain(record.eventVersion);
      expect(record).toMatchObject({
        eventSource: 'serverlessrepo.amazonaws.com',
        eventType: 'AwsApiCall',
        managementEvent: true,
        eventCategory: 'Management',
      });
      expect(record.eventID).toMatch(UUID_V4);
      expect(record.readOnly).toBe(/^(Get|List)/.test(record.eventName));
      if (record.errorCode !== undefined) {
        expect(record.errorCode).toBe('AccessDeniedException');
        expect(record.errorMessage).toContain(`serverlessrepo:${record.eventName}`);
        expect(record.responseElements).toBeNull();
      }
      const identity = record.userIdentity;
      if (identity.accessKeyId !== undefined)
        expect(identity.accessKeyId).toMatch(/^(AKIA|ASIA)[A-Z0-9]{16}$/);
      if (identity.type === 'IAMUser') expect(identity.principalId).toMatch(/^AIDA[A-Z0-9]{17}$/);
      if (identity.type === 'AssumedRole') expect(identity.principalId).toMatch(/^AROA[A-Z0-9]{17}:.+$/);
      // CreateApplication names the application; SAR answers with its ARN. ListApplications names none.
      const request = record.requestParameters ?? {};
      if (record.eventName === 'CreateApplication') {
        expect(request.name).toMatch(/^[a-z0-9-]+$/);
        if (record.errorCode === undefined)
          expect(record.responseElements?.applicationId).toMatch(APPLICATION_ARN);
      } else if (record.eventName === 'ListApplications') {
        expect(request.applicationId).toBeUndefined();
      } else {
        expect(request.applicationId).toMatch(APPLICATION_ARN);
      }
      if (/^CreateApplication/.test(record.eventName)) {
        expect(record.requestParameters?.templateBody).toContain('Transform: AWS::Serverless-2016-10-31');
      }
    }
  });

  it('lets the identity classifier see what each shape is meant to show', () => {
    for (const { record } of events(take(2_000, 13))) {
      const identity = classifyIdentity(record);
      const shape = shapeOf(record);
      expect(identity.crossAccount).toBe(shape === 'cross-account-role');
      if (shape === 'iam-user-access-key') expect(identity.credential).toBe('long-term');
      if (shape === 'root-console') expect(identity.actor).toBe('root');
      if (shape === 'aws-service' || shape === 'aws-service-event')
        expect(identity.actor).toBe('aws-service');
      if (shape === 'web-identity-ci' || shape === 'ec2-instance-role')
        expect(identity.actor).toBe('workload');
      if (shape === 'identity-center' || shape === 'iam-user-console') expect(identity.actor).toBe('human');
    }
  });

  it('draws from a pool of about thirty applications in six accounts, so applications recur', () => {
    const ids = events(take(2_000, 21)).flatMap((e) => {
      const id = e.record.requestParameters?.applicationId;
      return typeof id === 'string' ? [id] : [];
    });
    const distinct = new Set(ids);
    expect(distinct.size).toBeGreaterThanOrEqual(25);
    expect(distinct.size).toBeLessThanOrEqual(30);
    expect(new Set([...distinct].map((id) => id.split(':')[4])).size).toBe(6);
  });

  it("spreads events over every shard of a 4-shard stream when keyed by account, as EventBridge's target keys them", () => {
    const perShard = [0, 0, 0, 0];
    for (const { envelope } of events(take(2_000, 22))) {
      // Kinesis maps a partition key to a shard by the MD5 of the key, over evenly split hash ranges.
      const hash = BigInt(`0x${createHash('md5').update(envelope.account).digest('hex')}`);
      perShard[Number((hash * 4n) >> 128n)] += 1;
    }
    for (const count of perShard) expect(count).toBeGreaterThan(200);
  });

  it('reports Identity Center sessions without MFA, as CloudTrail does', () => {
    const sso = events(take(2_000, 23))
      .map((e) => e.record.userIdentity)
      .filter((identity) => identity.sessionContext?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_'));
    expect(sso.length).toBeGreaterThan(100);
    for (const identity of sso) expect(identity.sessionContext?.attributes?.mfaAuthenticated).toBe('false');
  });

  it('denies every write of a read-only role, and only a few calls of the others', () => {
    const records = events(take(20_000, 24)).map((e) => e.record);
    const readOnlyRole = (record: CloudTrailRecord) =>
      record.userIdentity.sessionContext?.sessionIssuer?.userName?.startsWith(
        'AWSReservedSSO_ReadOnlyAccess_',
      );
    const readOnlyWrites = records.filter((record) => readOnlyRole(record) && record.readOnly === false);
    expect(readOnlyWrites.length).toBeGreaterThan(10);
    for (const record of readOnlyWrites) expect(record.errorCode).toBe('AccessDeniedException');
    const denied = records.filter((record) => record.errorCode !== undefined).length;
    expect(denied / records.length).toBeLessThan(0.06);
  });

  it('changes applications in a few calls in a hundred, as an organisation does', () => {
    const records = events(take(20_000, 25)).map((e) => e.record);
    // Writes other than deployments (CreateCloudFormationTemplate, CreateCloudFormationChangeSet) change an application.
    const changes = records.filter(
      (record) => record.readOnly === false && !record.eventName.startsWith('CreateCloudFormation'),
    );
    expect(changes.length / records.length).toBeGreaterThan(0.03);
    expect(changes.length / records.length).toBeLessThan(0.1);
  });

  it('shares publicly, with the organization, with accounts, and makes private again', () => {
    const policies = events(take(5_000, 31))
      .map((e) => e.record)
      .filter((r) => r.eventName === 'PutApplicationPolicy' && r.errorCode === undefined);
    const statementsOf = (r: CloudTrailRecord) =>
      (r.requestParameters?.statements ?? []) as PolicyStatement[];
    const kinds = new Set(
      policies.map((r) => {
        const [statement] = statementsOf(r);
        if (statement === undefined) return 'private';
        if (statement.principals.includes('*')) return statement.principalOrgIDs ? 'organization' : 'public';
        return 'accounts';
      }),
    );
    expect(kinds).toEqual(new Set(['public', 'organization', 'accounts', 'private']));
    const emptied = policies.find((r) => statementsOf(r).length === 0);
    expect(emptied && classifySarOperation(emptied)?.category).toBe('unshare');
  });

  it('keeps records at realistic sizes: 1.5 to 3 KB on average and typically', () => {
    const sizes = events(take(3_000, 17))
      .map((e) => e.data.byteLength)
      .sort((a, b) => a - b);
    const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    expect(mean).toBeGreaterThanOrEqual(1_500);
    expect(mean).toBeLessThanOrEqual(3_000);
    const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(1_500);
    expect(median).toBeLessThanOrEqual(3_000);
    expect(sizes.at(-1)).toBeLessThan(10_000);
  });

  it('mixes in malformed records at the requested ratio, without oversize unless asked', () => {
    const records = take(5_000, 3, 0.2);
    const malformed = records.filter((r) => r.kind === 'malformed');
    expect(malformed.length / records.length).toBeGreaterThan(0.17);
    expect(malformed.length / records.length).toBeLessThan(0.23);
    expect(new Set(malformed.map((r) => r.malformation))).toEqual(
      new Set(MALFORMATION_KINDS.filter((kind) => kind !== 'oversize')),
    );
    for (const record of malformed) {
      const decoded = decodeRecord(record.data, DECODE);
      expect(decoded.ok ? 'ok' : decoded.reason).toBe(record.malformation);
    }
    const withOversize = createEventGenerator({
      seed: 3,
      malformedRatio: 1,
      includeOversize: true,
      now: FIXED_NOW,
    });
    const kinds = new Set(
      Array.from({ length: 60 }, () => withOversize.next()).map(
        (r) => r.kind === 'malformed' && r.malformation,
      ),
    );
    expect(kinds.has('oversize')).toBe(true);
  });

  it('uses the given account and region and rejects bad options', () => {
    const [first] = events(take(50, 4)).filter((e) => e.record.recipientAccountId === '111122223333');
    expect(first).toBeDefined();
    const custom = createEventGenerator({
      seed: 4,
      accountId: '999988887777',
      region: 'eu-west-1',
      malformedRatio: 0,
    });
    const records = Array.from({ length: 200 }, () => custom.next()).filter((r) => r.kind === 'event');
    expect(
      records.every((r) => r.record.awsRegion === 'eu-west-1' && r.envelope.region === 'eu-west-1'),
    ).toBe(true);
    expect(records.some((r) => r.record.recipientAccountId === '999988887777')).toBe(true);
    expect(() => createEventGenerator({ seed: 1, accountId: '1234' })).toThrow(RangeError);
    expect(() => createEventGenerator({ seed: 1, malformedRatio: 1.5 })).toThrow(RangeError);
    expect(() => createEventGenerator({ seed: Number.NaN })).toThrow(RangeError);
  });
});

describe('makeMalformedRecord', () => {
  it('names only dead-letter reasons', () => {
    for (const kind of MALFORMATION_KINDS) expect(DEAD_LETTER_REASONS).toContain(kind);
  });

  it.each(MALFORMATION_KINDS)('makes %s records that the decoder rejects with that reason', (kind) => {
    for (let seed = 1; seed <= 20; seed++) {
      const record = makeMalformedRecord(kind, createRng(seed));
      expect(record.malformation).toBe(kind);
      const decoded = decodeRecord(record.data, DECODE);
      expect(decoded.ok ? 'ok' : decoded.reason).toBe(kind);
    }
  });

  it('makes oversize records just over 1 MiB', () => {
    const record = makeMalformedRecord('oversize', createRng(1));
    expect(record.data.byteLength).toBeGreaterThan(1_048_576);
    expect(record.data.byteLength).toBeLessThan(1_100_000);
  });
});
