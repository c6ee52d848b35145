import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readGetRecordsBody } from './get-records-body.js';

/**
 * What the SDK's own reader gives for the same body: JSON.parse of the whole text, each record's data decoded, and
 * only the members its schema of a record names.
 */
function readByJsonParse(text: string) {
  const body = JSON.parse(text) as {
    Records?: { Data?: string; ApproximateArrivalTimestamp?: number; [key: string]: unknown }[];
    [key: string]: unknown;
  };
  return {
    Records: (body.Records ?? []).map((record) => ({
      SequenceNumber: record.SequenceNumber,
      Data: record.Data === undefined ? undefined : new Uint8Array(Buffer.from(record.Data, 'base64')),
      ApproximateArrivalTimestamp:
        record.ApproximateArrivalTimestamp === undefined
          ? undefined
          : new Date(record.ApproximateArrivalTimestamp * 1000),
      PartitionKey: record.PartitionKey,
      EncryptionType: record.EncryptionType,
    })),
    NextShardIterator: body.NextShardIterator,
    MillisBehindLatest: body.MillisBehindLatest,
    ChildShards: body.ChildShards,
  };
}

const read = (text: string) => {
  const page = readGetRecordsBody(Buffer.from(text));
  return { ...page, Records: page.Records?.map((record) => ({ ...record, Data: copy(record.Data) })) };
};
const copy = (data: Uint8Array | undefined) => (data === undefined ? undefined : new Uint8Array(data));

const record = (data: string, partitionKey = 'pk') => ({
  SequenceNumber: '49660000000000000000000000000000000000000000000000000001',
  ApproximateArrivalTimestamp: 1_764_979_200.123,
  Data: Buffer.from(data).toString('base64'),
  PartitionKey: partitionKey,
});

/** JSON as other writers may lay it out: spaces around colons, `/` or letters escaped. */
const laidOut = fc.record({
  spaceAfterColon: fc.boolean(),
  spaceBeforeColon: fc.boolean(),
  escapeSlashes: fc.boolean(),
  escapeLetters: fc.boolean(),
});

describe('readGetRecordsBody', () => {
  it('reads what JSON.parse reads, whatever the data, keys and layout', () => {
    const partitionKey = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('"Data":"', '\\"Data":"#0', '#0', 'x\\', '"', 'é😀'),
    );
    const records = fc.array(
      fc.record({
        data: fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
          // Not base64, left as written by a layout that keeps the data out of reach: read as JSON.parse reads it.
          fc.constantFrom('#0', '#00', '#2', ''),
        ),
        partitionKey,
        withData: fc.boolean(),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(records, laidOut, (generated, layout) => {
        const body = {
          Records: generated.map(({ data, partitionKey, withData }, index) => ({
            SequenceNumber: String(4960 + index),
            ApproximateArrivalTimestamp: 1_764_979_200 + index / 8,
            ...(withData ? { Data: data } : {}),
            PartitionKey: partitionKey,
            [`${partitionKey}"Data`]: '#0',
          })),
          NextShardIterator: 'next',
          MillisBehindLatest: 1500,
          ChildShards: [{ ShardId: 'shardId-1', ParentShards: ['shardId-0'], HashKeyRange: {} }],
        };
        let text = JSON.stringify(body);
        if (layout.escapeSlashes) text = text.replaceAll('/', '\\/');
        if (layout.escapeLetters) text = text.replaceAll('A', '\\u0041');
        if (layout.spaceAfterColon) text = text.replaceAll('":"', '": "');
        if (layout.spaceBeforeColon) text = text.replaceAll('":', '" :');
        expect(read(text)).toEqual(readByJsonParse(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads the data of a page as Kinesis writes it, each record a view of one buffer', () => {
    const page = readGetRecordsBody(
      Buffer.from(JSON.stringify({ Records: [record('{"a":1}'), record('é', '"Data":"#0')] })),
    );
    const [first, second] = page.Records ?? [];
    expect(Buffer.from(first?.Data ?? []).toString()).toBe('{"a":1}');
    expect(Buffer.from(second?.Data ?? []).toString()).toBe('é');
    expect(second?.PartitionKey).toBe('"Data":"#0');
    expect(first?.Data?.buffer).toBe(second?.Data?.buffer);
  });

  it('refuses a body that is not JSON, as JSON.parse does', () => {
    expect(() => readGetRecordsBody(Buffer.from('{"Records":[{"Data":"abc'))).toThrow(SyntaxError);
    expect(() => readGetRecordsBody(Buffer.from('{"Records":[{"Data":"abc"}'))).toThrow(SyntaxError);
  });
});
