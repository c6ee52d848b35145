import { describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { SAMPLE_EVENTS } from '../infra/sample-events.js';
import { PatternError } from '../pattern/index.js';
import { compileKeyPath, createRuleDelivery, type RuleState } from './rule-delivery.js';
import { wrapInEventBridge } from './wrap-cloudtrail-record.js';

const SAR_PATTERN = {
  source: ['aws.serverlessrepo'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['serverlessrepo.amazonaws.com'] },
};
const [write, readOnly, otherService] = SAMPLE_EVENTS.map((sample) => sample.event);
if (!write || !readOnly || !otherService) throw new Error('the sample events changed');

const deliveryUnder = (state: RuleState, partitionKeyPath?: string) =>
  createRuleDelivery({ pattern: SAR_PATTERN, state, ...(partitionKeyPath ? { partitionKeyPath } : {}) });

describe('createRuleDelivery', () => {
  it('delivers SAR calls, read-only ones included, under ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', () => {
    const deliver = deliveryUnder('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', '$.account');
    expect(deliver(write)).toEqual({ delivered: true, partitionKey: '123456789012' });
    expect(deliver(readOnly)).toEqual({ delivered: true, partitionKey: '123456789012' });
    expect(deliver(otherService)).toEqual({ delivered: false, reason: 'pattern-not-matched' });
  });

  it('keeps read-only management events from a plain ENABLED rule, whatever its pattern says', () => {
    const deliver = deliveryUnder('ENABLED', '$.account');
    expect(deliver(write).delivered).toBe(true);
    expect(deliver(readOnly)).toEqual({ delivered: false, reason: 'read-only-under-write-only-rule' });
    const matchEverything = createRuleDelivery({
      pattern: { account: [{ exists: true }] },
      state: 'ENABLED',
    });
    expect(matchEverything(readOnly).delivered).toBe(false);
    expect(matchEverything(otherService).delivered).toBe(true);
  });

  it('treats events that are not read-only management events through CloudTrail as write events', () => {
    const deliver = createRuleDelivery({ pattern: { account: [{ exists: true }] }, state: 'ENABLED' });
    const detail = readOnly.detail as CloudTrailRecord;
    expect(deliver({ ...readOnly, detail: { ...detail, managementEvent: false } }).delivered).toBe(true);
    expect(deliver({ ...readOnly, 'detail-type': 'Scheduled Event' }).delivered).toBe(true);
    expect(deliver({ ...readOnly, detail: 'not an object' }).delivered).toBe(true);
  });

  it('delivers nothing when disabled', () => {
    const deliver = deliveryUnder('DISABLED');
    expect(SAMPLE_EVENTS.map((sample) => deliver(sample.event))).toEqual(
      SAMPLE_EVENTS.map(() => ({ delivered: false, reason: 'rule-disabled' })),
    );
  });

  it('keys by the event id without a partition key path, as EventBridge does', () => {
    expect(deliveryUnder('ENABLED')(write)).toEqual({ delivered: true, partitionKey: write.id });
  });

  it('refuses a pattern EventBridge would refuse', () => {
    expect(() => createRuleDelivery({ pattern: { source: 'aws.serverlessrepo' }, state: 'ENABLED' })).toThrow(
      PatternError,
    );
  });
});

describe('compileKeyPath', () => {
  const event = {
    account: '1',
    detail: { requestParameters: { applicationId: 'arn:x', count: 3 }, empty: '' },
  };

  it('reads top-level and nested fields, numbers as text', () => {
    expect(compileKeyPath('$.account')(event)).toBe('1');
    expect(compileKeyPath('$.detail.requestParameters.applicationId')(event)).toBe('arn:x');
    expect(compileKeyPath('$.detail.requestParameters.count')(event)).toBe('3');
  });

  it('gives nothing for a missing, empty or non-scalar value', () => {
    expect(compileKeyPath('$.region')(event)).toBeUndefined();
    expect(compileKeyPath('$.detail.empty')(event)).toBeUndefined();
    expect(compileKeyPath('$.detail')(event)).toBeUndefined();
    expect(compileKeyPath('$.account.deeper')(event)).toBeUndefined();
  });

  it('refuses JSONPath it does not implement rather than reading it differently', () => {
    for (const path of ['account', '$', '$.', '$..account', "$['account']", '$.resources[0]', '$.a b']) {
      expect(() => compileKeyPath(path), path).toThrow(RangeError);
    }
  });
});

describe('wrapInEventBridge', () => {
  const record = { ...(write.detail as CloudTrailRecord), eventTime: '2025-03-01T10:00:00.987Z' };

  it('takes its time from the record at whole seconds unless told', () => {
    expect(wrapInEventBridge(record, { id: 'e1' }).time).toBe('2025-03-01T10:00:00Z');
    expect(wrapInEventBridge(record, { id: 'e1', time: '2025-03-01T10:00:05Z' }).time).toBe(
      '2025-03-01T10:00:05Z',
    );
  });

  it('names the source after the service and labels service events as EventBridge does', () => {
    expect(wrapInEventBridge(record, { id: 'e1' })).toMatchObject({
      source: 'aws.serverlessrepo',
      'detail-type': 'AWS API Call via CloudTrail',
      account: '123456789012',
      region: 'us-east-1',
      resources: [],
    });
    const envelope = wrapInEventBridge({ ...record, eventType: 'AwsServiceEvent' }, { id: 'e2' });
    expect(envelope['detail-type']).toBe('AWS Service Event via CloudTrail');
  });
});
