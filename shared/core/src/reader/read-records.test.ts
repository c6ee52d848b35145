import { describe, expect, it } from 'vitest';
import { envelopedFixture } from '../../test-support/load-fixture.js';
import { type ReadRecord, RecordReader } from './read-records.js';

const encoder = new TextEncoder();
const { record, envelope } = envelopedFixture();

function readAll(chunks: (string | Uint8Array)[], maxRecordBytes?: number): ReadRecord[] {
  const reader = new RecordReader(maxRecordBytes === undefined ? {} : { maxRecordBytes });
  const records = chunks.flatMap((chunk) =>
    reader.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
  );
  return [...records, ...reader.end()];
}

const outcome = ({ position, result }: ReadRecord) => ({
  ...position,
  outcome: result.ok ? (result.envelope ? 'envelope' : 'record') : result.reason,
});

describe('RecordReader', () => {
  it('decodes envelopes and bare records from every shape, with their positions and sizes', () => {
    const line = JSON.stringify(envelope);
    expect(readAll([`${line}\n${JSON.stringify(record)}\n`]).map(outcome)).toEqual([
      { index: 1, line: 1, outcome: 'envelope' },
      { index: 2, line: 2, outcome: 'record' },
    ]);
    const logFile = JSON.stringify({ Records: [record, record] }, null, 2);
    const read = readAll([logFile.slice(0, 100), logFile.slice(100)]);
    expect(read.map(outcome)).toEqual([
      { index: 1, line: 3, outcome: 'record' },
      { index: 2, line: 3 + JSON.stringify(record, null, 2).split('\n').length, outcome: 'record' },
    ]);
    expect(readAll([`[${line}]`])[0]?.size).toBe(encoder.encode(line).length);
  });

  it('gives each bad record its dead-letter reason and reads on', () => {
    const good = JSON.stringify(envelope);
    const badUtf8 = new Uint8Array([...encoder.encode('{"a":"'), 0xff, 0xfe, ...encoder.encode('"}\n')]);
    const read = readAll(
      [
        `${good}\n{"a":}\n[1,2]\n{"hello":"world"}\n`,
        badUtf8,
        `{"b":"cut\n${good}\n{"c":"${'x'.repeat(good.length)}"}\n${good}`,
      ],
      good.length,
    );
    expect(read.map(outcome)).toEqual([
      { index: 1, line: 1, outcome: 'envelope' },
      { index: 2, line: 2, outcome: 'invalid-json' },
      { index: 3, line: 3, outcome: 'not-an-object' },
      { index: 4, line: 4, outcome: 'unknown-shape' },
      { index: 5, line: 5, outcome: 'invalid-utf8' },
      { index: 6, line: 6, outcome: 'invalid-json' },
      { index: 7, line: 7, outcome: 'envelope' },
      { index: 8, line: 8, outcome: 'oversize' },
      { index: 9, line: 9, outcome: 'envelope' },
    ]);
    expect(read[5]?.result).toMatchObject({ ok: false, message: 'line 6 ends inside a string' });
  });

  it('reports a log file cut short', () => {
    const read = readAll([`{"Records":[${JSON.stringify(record)},`]);
    expect(read.map(outcome)).toEqual([
      { index: 1, line: 1, outcome: 'record' },
      { index: 2, line: 1, outcome: 'invalid-json' },
    ]);
    expect(read[1]?.result.ok === false && read[1].result.message).toContain('array is closed');
  });
});
