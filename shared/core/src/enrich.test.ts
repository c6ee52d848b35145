import { describe, expect, it } from 'vitest';
import { envelopedFixture, loadFixture } from '../test-support/load-fixture.js';
import { CloudTrailRecordSchema } from './cloudtrail/record.js';
import { EnrichedEventSchema } from './contract/enriched-event.js';
import { decodeRecord } from './decode/decode-record.js';
import { enrich, eventKey, serializeEvent } from './enrich.js';

const fixture = (name: string) => CloudTrailRecordSchema.parse(loadFixture(`cloudtrail/${name}.json`).record);

describe('enrich', () => {
  it('produces an event that satisfies the contract schema, keyed by the application', () => {
    const event = enrich(fixture('root-console-create-application'));
    expect(EnrichedEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      eventId: 'a66a6490-d388-4a4f-8c7b-9d6ec61ab262',
      eventName: 'CreateApplication',
      recipientAccountId: '999999999999',
      readOnly: false,
      errorCode: null,
      source: { ipAddress: '72.21.217.161', kind: 'public-ip', userAgent: 'signin.amazonaws.com' },
      operation: {
        category: 'publish',
        applicationId: 'arn:aws:serverlessrepo:us-east-1:999999999999:applications/hello-world',
        applicationName: 'hello-world',
        semanticVersion: '1.0.0',
      },
    });
    expect(eventKey(event)).toBe('arn:aws:serverlessrepo:us-east-1:999999999999:applications/hello-world');
  });

  it('classifies the SAR operation of each call', () => {
    expect(enrich(fixture('iam-user-cli-put-application-policy')).operation).toEqual({
      category: 'share',
      applicationId: 'arn:aws:serverlessrepo:eu-west-1:123456789012:applications/image-resizer',
      applicationName: 'image-resizer',
      semanticVersion: null,
      visibility: 'public',
      principals: ['*'],
      organizationIds: [],
    });
    expect(enrich(fixture('identity-center-cross-account-delete')).operation?.category).toBe('delete');
    expect(enrich(fixture('aws-service-event-no-type')).operation?.category).toBe('read');
  });

  it('a policy with no statements makes the application private: unshare', () => {
    const record = fixture('iam-user-cli-put-application-policy');
    const event = enrich({
      ...record,
      requestParameters: { ...record.requestParameters, statements: [] },
      responseElements: { statements: [] },
    });
    expect(event.operation).toMatchObject({ category: 'unshare', visibility: 'private', principals: [] });
  });

  it('gives an unknown event name the category other, even one named like an Object method', () => {
    const record = fixture('aws-service-event-no-type');
    for (const eventName of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'FutureAction']) {
      expect(enrich({ ...record, eventName }).operation?.category).toBe('other');
    }
  });

  it('has no operation and is keyed by event id for other services', () => {
    const record = { ...fixture('aws-service-event-no-type'), eventSource: 's3.amazonaws.com' };
    const event = enrich(record);
    expect(event.operation).toBeNull();
    expect(eventKey(event)).toBe(record.eventID);
  });

  it('tells private from public source addresses and AWS services', () => {
    expect(enrich(fixture('identity-center-cross-account-delete')).source.kind).toBe('private-ip');
    expect(enrich(fixture('aws-service-event-no-type')).source.kind).toBe('aws-service');
  });

  describe('serializeEvent', () => {
    const { record, envelope } = envelopedFixture();
    const encode = (value: unknown, space?: number) =>
      new TextEncoder().encode(JSON.stringify(value, null, space));

    it.each([
      ['a compact envelope', encode(envelope)],
      ['a pretty-printed envelope', encode(envelope, 2)],
      ['a bare record', encode(record)],
    ])('reuses the original text of %s and means exactly what JSON.stringify means', (_, bytes) => {
      const decoded = decodeRecord(bytes, { maxRecordBytes: 1 << 20 });
      if (!decoded.ok) throw new Error(decoded.message);
      expect(decoded.recordJson).not.toBeNull();
      const event = enrich(decoded.record, { maxTextLength: 16_384, serializedLength: bytes.byteLength });
      const text = serializeEvent(event, decoded.record, decoded.recordJson);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(event)));
      expect(JSON.parse(text).detail).toEqual(record);
    });

    it('serializes the truncated copy when a text field was cut', () => {
      const bytes = encode({
        ...envelope,
        detail: { ...record, requestParameters: { templateBody: 'x'.repeat(100) } },
      });
      const decoded = decodeRecord(bytes, { maxRecordBytes: 1 << 20 });
      if (!decoded.ok) throw new Error(decoded.message);
      const event = enrich(decoded.record, { maxTextLength: 10, serializedLength: bytes.byteLength });
      const detail = JSON.parse(serializeEvent(event, decoded.record, decoded.recordJson)).detail;
      expect(detail.requestParameters.templateBody).toMatchObject({
        sarwatchTruncated: true,
        originalLength: 100,
      });
    });
  });
});
