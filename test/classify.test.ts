import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeValue, type EventBridgeEnvelope, enrich } from '@sarwatch/core';
import { createEventGenerator } from '@sarwatch/feeder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassify } from './support/classify-process.js';

const NOW = () => new Date('2025-03-01T12:00:00Z');

function sampleEnvelopes(count: number, seed: number): EventBridgeEnvelope[] {
  const generator = createEventGenerator({ seed, malformedRatio: 0, now: NOW });
  return Array.from({ length: count }, () => {
    const record = generator.next();
    if (record.kind !== 'event') throw new Error('asked for events only');
    return record.envelope;
  });
}

/** What the command must print for a value: exactly what the core library makes of it. */
function expectedEvent(value: unknown): unknown {
  const decoded = decodeValue(JSON.parse(JSON.stringify(value)));
  if (!decoded.ok) throw new Error(`sample does not decode: ${decoded.message}`);
  return JSON.parse(JSON.stringify(enrich(decoded.record, { maxTextLength: 16_384 })));
}

const eventsIn = (stdout: string): unknown[] =>
  stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));

const failuresIn = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^sarwatch classify: record (\d+) \(line (\d+)\): ([a-z0-9-]+): \S/.exec(line);
      if (!match) throw new Error(`not a failure line: ${line}`);
      return { index: Number(match[1]), line: Number(match[2]), reason: match[3] };
    });

describe('sarwatch classify', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarwatch-classify-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const envelopes = sampleEnvelopes(6, 41);
  const details = envelopes.map((envelope) => envelope.detail);
  const logFile = JSON.stringify({ Records: details });

  it.each<[string, string, string | Uint8Array, unknown[]]>([
    [
      'bare CloudTrail records, pretty-printed one after another',
      'records.json',
      details.map((detail) => JSON.stringify(detail, null, 2)).join('\n'),
      details,
    ],
    ['one EventBridge envelope', 'envelope.json', JSON.stringify(envelopes[0]), envelopes.slice(0, 1)],
    ['a CloudTrail log file from S3', 'log.json', logFile, details],
    ['a gzipped CloudTrail log file from S3', 'log.json.gz', gzipSync(logFile), details],
    ['a JSON array of envelopes', 'array.json', JSON.stringify(envelopes, null, 2), envelopes],
    [
      'NDJSON of envelopes',
      'events.ndjson',
      envelopes.map((envelope) => `${JSON.stringify(envelope)}\n`).join(''),
      envelopes,
    ],
  ])('reads %s', async (_, name, content, values) => {
    const file = join(dir, name);
    await writeFile(file, content);
    const run = await runClassify([file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(eventsIn(run.stdout)).toEqual(values.map(expectedEvent));
  });

  it('reads stdin, given - or nothing, gzipped or not', async () => {
    const mixed = envelopes.map((envelope, index) => JSON.stringify(index % 2 ? envelope : envelope.detail));
    const dash = await runClassify(['-'], { stdin: mixed.join('\n') });
    expect(dash.stderr).toBe('');
    expect(dash.code).toBe(0);
    expect(eventsIn(dash.stdout)).toEqual(mixed.map((line) => expectedEvent(JSON.parse(line))));

    const none = await runClassify([], { stdin: gzipSync(logFile) });
    expect(none.code).toBe(0);
    expect(eventsIn(none.stdout)).toEqual(details.map(expectedEvent));
  });

  it('reports each bad record on stderr with its position, and still prints the good ones in order', async () => {
    const [a, b, c] = envelopes as [EventBridgeEnvelope, EventBridgeEnvelope, EventBridgeEnvelope];
    const lines = [
      JSON.stringify(a),
      '{"version":"0","id":"cut here',
      '{"version":"0","detail":{"eventVersion":',
      Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), // {"t":"<0xff>"}: 0xff is never UTF-8
      '[1,2,3]',
      '{"hello":"world"}',
      JSON.stringify({ ...b, time: 'yesterday' }),
      JSON.stringify(b),
      '  ',
      JSON.stringify(c.detail),
    ];
    const file = join(dir, 'bad-records.ndjson');
    await writeFile(file, Buffer.concat(lines.flatMap((line) => [Buffer.from(line), Buffer.from('\n')])));
    const run = await runClassify([file]);
    expect(run.code).toBe(1);
    expect(eventsIn(run.stdout)).toEqual([a, b, c.detail].map(expectedEvent));
    expect(failuresIn(run.stderr)).toEqual([
      { index: 2, line: 2, reason: 'invalid-json' },
      { index: 3, line: 3, reason: 'invalid-json' },
      { index: 4, line: 4, reason: 'invalid-utf8' },
      { index: 5, line: 5, reason: 'not-an-object' },
      { index: 6, line: 6, reason: 'unknown-shape' },
      { index: 7, line: 7, reason: 'invalid-envelope' },
    ]);
    expect(run.stderr).toContain('record 2 (line 2): invalid-json: line 2 ends inside a string\n');

    const log = join(dir, 'bad-log.json');
    await writeFile(
      log,
      JSON.stringify({ Records: [a.detail, 42, { eventVersion: '1.08' }, b.detail] }, null, 1),
    );
    const inLog = await runClassify([log]);
    expect(inLog.code).toBe(1);
    expect(eventsIn(inLog.stdout)).toEqual([a.detail, b.detail].map(expectedEvent));
    const valueLines = JSON.stringify({ Records: [a.detail, 42] }, null, 1).split('\n').length;
    expect(failuresIn(inLog.stderr)).toEqual([
      { index: 2, line: valueLines - 2, reason: 'not-an-object' },
      { index: 3, line: valueLines - 1, reason: 'invalid-cloudtrail-record' },
    ]);
  });

  it('exits 2 on bad usage, with a clear message', async () => {
    for (const [args, message] of [
      [['--nope'], "Unknown option '--nope'"],
      [['a.json', 'b.json'], 'takes one FILE'],
      [[join(dir, 'missing.json')], 'no such file'],
      [[dir], 'it is a directory'],
    ] as const) {
      const run = await runClassify([...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(message);
      expect(run.stderr.split('\n')).toHaveLength(2);
    }
    const help = await runClassify(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sarwatch classify \[FILE\|-\]/);
  });

  it('ends quietly when its reader goes away (EPIPE, as with | head)', async () => {
    const file = join(dir, 'epipe.ndjson');
    await writeFile(
      file,
      `${sampleEnvelopes(2_000, 7)
        .map((envelope) => JSON.stringify(envelope))
        .join('\n')}\n`,
    );
    const run = await runClassify([file], {
      started: (child) => child.stdout?.once('data', () => child.stdout?.destroy()),
    });
    expect(run.signal).toBeNull();
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toBe('');
  });

  it('classifies 100,000 mixed records, with the bad ones reported, in bounded memory', async () => {
    const generator = createEventGenerator({ seed: 2024, malformedRatio: 0.01, now: NOW });
    const file = join(dir, 'mixed.ndjson');
    const out = createWriteStream(file);
    const eventIds: string[] = [];
    const malformed: { index: number; line: number; reason: string }[] = [];
    for (let index = 1; index <= 100_000; index++) {
      const record = generator.next();
      if (record.kind === 'event') eventIds.push(record.record.eventID);
      else malformed.push({ index, line: index, reason: record.malformation });
      if (!out.write(record.data)) await once(out, 'drain');
      out.write('\n');
    }
    out.end();
    await once(out, 'finish');
    const inputBytes = (await stat(file)).size;

    const received: string[] = [];
    const run = await runClassify([file], {
      onLine: (line) => received.push((JSON.parse(line) as { eventId: string }).eventId),
    });
    console.log(
      `classify: 100,000 records, ${(inputBytes / 1e6).toFixed(0)} MB in ${run.seconds.toFixed(1)} s ` +
        `(${Math.round(100_000 / run.seconds)} records/s), peak RSS ${(run.peakRssBytes / 1e6).toFixed(0)} MB`,
    );
    expect(run.code).toBe(1);
    expect(received).toEqual(eventIds);
    // The first 20 of each reason are named; the rest are counted in one closing line.
    const shownPerReason = new Map<string, number>();
    const shown = malformed.filter(({ reason }) => {
      const count = shownPerReason.get(reason) ?? 0;
      shownPerReason.set(reason, count + 1);
      return count < 20;
    });
    const [summary = '', ...failureLines] = run.stderr.trimEnd().split('\n').reverse();
    expect(failuresIn(failureLines.reverse().join('\n'))).toEqual(shown);
    const held = Object.fromEntries(
      [...shownPerReason].filter(([, count]) => count > 20).map(([reason, count]) => [reason, count - 20]),
    );
    const summed = /^sarwatch classify: (\d+) more unreadable records not shown \((.+)\)$/.exec(summary);
    expect(Number(summed?.[1])).toBe(malformed.length - shown.length);
    expect(
      Object.fromEntries(
        (summed?.[2] ?? '').split(', ').map((part) => [part.split(' ')[0], Number(part.split(' ')[1])]),
      ),
    ).toEqual(held);
    // It holds a record at a time, not the input: far less than the file, and little above Node's own baseline.
    expect(run.peakRssBytes).toBeLessThan(Math.min(inputBytes, 160 * 1024 * 1024));
  });
});
