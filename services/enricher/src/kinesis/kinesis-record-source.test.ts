import { createServer } from 'node:http';
import { createKinesisClient } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { KinesisRecordSource } from './kinesis-record-source.js';

/** Kinesis as far as GetRecords goes: a real HTTP server on a free port, answering every call with `body`. */
async function kinesisAnswering(body: unknown) {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = createKinesisClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` });
  return {
    source: new KinesisRecordSource(client, 'stream'),
    close: async () => {
      client.destroy();
      await new Promise((closed) => server.close(closed));
    },
  };
}

describe('KinesisRecordSource', () => {
  it('reads a page over HTTP, and frees all of its data at once when the page is released', async () => {
    const texts = ['{"eventID":"1"}', `{"eventID":"2","pad":"${'x'.repeat(70_000)}"}`, '{"eventID":"ü"}'];
    const { source, close } = await kinesisAnswering({
      Records: texts.map((text, index) => ({
        SequenceNumber: `${index + 1}`,
        PartitionKey: 'pk',
        Data: Buffer.from(text).toString('base64'),
        ApproximateArrivalTimestamp: 1_764_979_200,
      })),
      NextShardIterator: 'next',
      MillisBehindLatest: 0,
    });
    try {
      const page = await source.readPage('iterator', 10, new AbortController().signal);
      expect(page.records.map(({ data }) => Buffer.from(data).toString())).toEqual(texts);
      expect(page.bytes).toBe(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0));
      page.release();
      expect(page.records.map(({ data }) => data.byteLength)).toEqual([0, 0, 0]);
    } finally {
      await close();
    }
  });
});
