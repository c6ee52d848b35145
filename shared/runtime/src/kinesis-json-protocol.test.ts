import { Readable } from 'node:stream';
import { DescribeStreamSummaryCommand, GetRecordsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { releaseRecordData } from './get-records-body.js';
import { createKinesisClient } from './kinesis-client.js';
import { KinesisJsonProtocol } from './kinesis-json-protocol.js';

/**
 * A client whose every call is answered with `status` and `body`, through the SDK's whole middleware stack: the body
 * in one piece, or as a stream of the given chunks, as Node's HTTP client delivers it.
 */
function answering(status: number, body: unknown, headers: Record<string, string> = {}, chunkBytes?: number) {
  const requests: HttpRequest[] = [];
  const requestHandler = {
    handle: async (request: HttpRequest) => {
      requests.push(request);
      return {
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1', ...headers },
          body: inChunks(Buffer.from(JSON.stringify(body)), chunkBytes),
        } satisfies HttpResponse,
      };
    },
  };
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler,
    protocol: KinesisJsonProtocol,
  });
  return { client, requests };
}

function inChunks(bytes: Buffer, chunkBytes: number | undefined): Buffer | Readable {
  if (chunkBytes === undefined) return bytes;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return Readable.from(chunks);
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('KinesisJsonProtocol', () => {
  it('reads a GetRecords page: data decoded, arrival times as dates, the rest as sent', async () => {
    const data = '{"detail":{"eventID":"é"}}';
    const { client } = answering(200, {
      Records: [
        {
          SequenceNumber: '4960',
          ApproximateArrivalTimestamp: 1_764_979_200.123,
          Data: Buffer.from(data).toString('base64'),
          PartitionKey: 'pk',
          EncryptionType: 'KMS',
        },
        { SequenceNumber: '4961', ApproximateArrivalTimestamp: 1_764_979_201, Data: '', PartitionKey: 'pk' },
      ],
      NextShardIterator: 'next',
      MillisBehindLatest: 1500,
      ChildShards: [
        {
          ShardId: 'shardId-2',
          ParentShards: ['shardId-1'],
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' },
        },
      ],
    });
    const page = await client.send(new GetRecordsCommand({ ShardIterator: 'it', Limit: 10 }));
    expect(page.Records?.map((record) => Buffer.from(record.Data ?? []).toString())).toEqual([data, '']);
    expect(page.Records?.[0]).toMatchObject({
      SequenceNumber: '4960',
      PartitionKey: 'pk',
      EncryptionType: 'KMS',
      ApproximateArrivalTimestamp: new Date('2025-12-06T00:00:00.123Z'),
    });
    expect(page.Records?.[0]?.Data).toBeInstanceOf(Uint8Array);
    expect(page).toMatchObject({ NextShardIterator: 'next', MillisBehindLatest: 1500 });
    expect(page.ChildShards?.[0]?.ParentShards).toEqual(['shardId-1']);
    expect(page.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1' });
  });

  it('reads a body that arrives in chunks, characters split between them', async () => {
    const data = ['{"eventID":"ü-1"}', '{"eventID":"€-2"}'];
    const { client } = answering(
      200,
      {
        Records: data.map((text, index) => ({
          SequenceNumber: `${index}`,
          Data: base64(text),
          PartitionKey: 'ä',
        })),
      },
      {},
      7,
    );
    const page = await client.send(new GetRecordsCommand({ ShardIterator: 'it' }));
    expect(page.Records?.map((record) => Buffer.from(record.Data ?? []).toString())).toEqual(data);
    expect(page.Records?.[1]?.PartitionKey).toBe('ä');
  });

  it('frees the body’s chunks once read when each has memory of its own, as Node’s HTTP client gives them', async () => {
    const text = JSON.stringify({ Records: [{ SequenceNumber: '1', Data: base64('x'.repeat(9_000)) }] });
    const bytes = Buffer.from(text);
    const owned: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 4_096) {
      const chunk = Buffer.allocUnsafeSlow(Math.min(4_096, bytes.length - at));
      bytes.copy(chunk, 0, at);
      owned.push(chunk);
    }
    const views = [bytes.subarray(0, 5_000), bytes.subarray(5_000)];
    for (const chunks of [owned, views]) {
      const client = new KinesisClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
        requestHandler: {
          handle: async () => ({
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.1' },
              body: Readable.from(chunks),
            } satisfies HttpResponse,
          }),
        },
        protocol: KinesisJsonProtocol,
      });
      const page = await client.send(new GetRecordsCommand({ ShardIterator: 'it' }));
      expect(Buffer.from(page.Records?.[0]?.Data ?? []).toString()).toBe('x'.repeat(9_000));
    }
    expect(owned.every((chunk) => chunk.buffer.byteLength === 0)).toBe(true);
    // Views share their memory with the rest of their buffer, which the caller may still read.
    expect(bytes.toString()).toBe(text);
    expect(views.map((view) => view.byteLength)).toEqual([5_000, bytes.length - 5_000]);
  });

  it('decodes a page’s data into one buffer, which releaseRecordData frees at once, and no other buffer', async () => {
    const { client } = answering(
      200,
      { Records: ['a', 'bc', ''].map((text, index) => ({ SequenceNumber: `${index}`, Data: base64(text) })) },
      {},
      4,
    );
    const records = (await client.send(new GetRecordsCommand({ ShardIterator: 'it' }))).Records ?? [];
    const [first, second, third] = records.map((record) => record.Data ?? new Uint8Array());
    expect(second?.buffer).toBe(first?.buffer);
    expect(third?.buffer).toBe(first?.buffer);
    expect(Buffer.from(second ?? []).toString()).toBe('bc');

    // Buffer's pool, shared by every small buffer: freeing it would empty them all.
    const pooled = Buffer.from('kept');
    releaseRecordData(pooled);
    expect(pooled.toString()).toBe('kept');

    releaseRecordData(second ?? new Uint8Array());
    expect(first?.buffer.byteLength).toBe(0);
    expect([first?.byteLength, second?.byteLength]).toEqual([0, 0]);
    releaseRecordData(first ?? new Uint8Array());
  });

  it('reads a closed shard’s last page, which has no next iterator', async () => {
    const { client } = answering(200, { Records: [], MillisBehindLatest: 0, ChildShards: [] });
    const page = await client.send(new GetRecordsCommand({ ShardIterator: 'it' }));
    expect(page.Records).toEqual([]);
    expect(page.NextShardIterator).toBeUndefined();
  });

  it('leaves errors to the SDK, which names them as Kinesis does', async () => {
    const { client } = answering(400, { __type: 'ExpiredIteratorException', message: 'Iterator expired' });
    await expect(client.send(new GetRecordsCommand({ ShardIterator: 'it' }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
      message: 'Iterator expired',
    });
  });

  it('leaves every other operation to the SDK’s reader', async () => {
    const { client, requests } = answering(200, {
      StreamDescriptionSummary: {
        StreamName: 's',
        StreamStatus: 'ACTIVE',
        OpenShardCount: 4,
        StreamCreationTimestamp: 1_764_979_200,
      },
    });
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 's' }));
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(4);
    expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toEqual(
      new Date('2025-12-06T00:00:00Z'),
    );
    expect(requests[0]?.headers['x-amz-target']).toBe('Kinesis_20131202.DescribeStreamSummary');
  });
});

describe('createKinesisClient', () => {
  it('reads with the direct GetRecords reader, so an SDK update that drops the setting shows here', () => {
    const { protocol } = createKinesisClient({ region: 'us-east-1' }).config;
    expect(protocol).toBeInstanceOf(KinesisJsonProtocol);
  });
});
