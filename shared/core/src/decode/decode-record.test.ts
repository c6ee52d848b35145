import { describe, expect, it } from 'vitest';
import { envelopedFixture } from '../../test-support/load-fixture.js';
import { decodeRecord, decodeValue } from './decode-record.js';

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const options = { maxRecordBytes: 64 * 1024 };
const { record, envelope } = envelopedFixture();

describe('decodeRecord', () => {
  it('accepts an EventBridge envelope and keeps it beside the record', () => {
    const result = decodeRecord(encode(envelope), options);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.envelope?.id).toBe(envelope.id);
    expect(result.record.eventID).toBe('a66a6490-d388-4a4f-8c7b-9d6ec61ab262');
  });

  it('accepts a bare CloudTrail record', () => {
    const result = decodeRecord(encode(record), options);
    expect(result).toMatchObject({ ok: true, envelope: null });
  });

  it('keeps fields CloudTrail adds later', () => {
    const result = decodeValue({ ...record, someFutureField: { nested: 1 } });
    expect(result.ok && result.record.someFutureField).toEqual({ nested: 1 });
  });

  it.each([
    ['oversize', encode('x'.repeat(options.maxRecordBytes + 1))],
    ['too-deeply-nested', encode(`${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`)],
    ['invalid-utf8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['invalid-json', encode('{"eventVersion": ')],
    ['not-an-object', encode([1, 2, 3])],
    ['not-an-object', encode('null')],
    ['unknown-shape', encode({ hello: 'world' })],
    ['invalid-envelope', encode({ ...envelope, time: 'yesterday' })],
    ['invalid-cloudtrail-record', encode({ ...envelope, detail: { ...record, eventID: undefined } })],
    ['invalid-cloudtrail-record', encode({ ...record, eventTime: 'not a time' })],
    ['invalid-cloudtrail-record', encode({ ...record, userIdentity: 'root' })],
  ])('rejects %s', (reason, bytes) => {
    const result = decodeRecord(bytes, options);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok || result.message.length > 0).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included, as nesting', () => {
    const brackets = `${'[{'.repeat(300)} \\" ${'['.repeat(300)}`;
    const result = decodeRecord(encode({ ...record, requestParameters: { text: brackets } }), options);
    expect(result.ok).toBe(true);
  });

  it('names the failing fields, prefixed with detail inside an envelope', () => {
    const result = decodeRecord(encode({ ...envelope, detail: { ...record, eventName: 42 } }), options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('detail.eventName');
  });
});
