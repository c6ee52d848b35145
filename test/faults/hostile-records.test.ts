import { DEAD_LETTER_REASONS } from '@sarwatch/core';
import { createRng, MALFORMATION_KINDS, makeMalformedRecord } from '@sarwatch/feeder';
import { describe, expect, it } from 'vitest';
import { generateEvents, type PutRecord, putAll } from '../support/kinesis-fixture.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';
import { RssSampler } from '../support/rss-sampler.js';

const HOSTILE = 10_000;
const NEAR_ONE_MB = 1_000_000;
/** About 100 MiB at rest; pages here hold up to 10 MB of near-1 MB records, each copied a few times in flight. */
const MEMORY_BOUND_MIB = 512;

const encoder = new TextEncoder();

/** Records built to hurt a parser: each is refused with a reason, none may stop the process. */
function hostileRecords(count: number): PutRecord[] {
  const rng = createRng(99);
  const kinds = MALFORMATION_KINDS.filter((kind) => kind !== 'oversize');
  const shapes: ((index: number) => Uint8Array)[] = [
    () => makeMalformedRecord(rng.pick(kinds), rng).data,
    // Nesting far past the decoder's depth limit, which a recursive parser would not survive.
    () => encoder.encode(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
    () => encoder.encode(`{"detail":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}`),
    // The right keys with the wrong types.
    (index) =>
      encoder.encode(
        JSON.stringify({ version: 0, id: index, 'detail-type': [], source: {}, account: null, detail: 'x' }),
      ),
    () => new Uint8Array([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x7b, 0x7d]),
    () => new Uint8Array(0),
  ];
  const records: PutRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const shape = shapes[index % shapes.length] ?? shapes[0];
    records.push({ data: shape?.(index) ?? new Uint8Array(), partitionKey: `hostile-${index % 16}` });
  }
  return records;
}

/** Garbage just under Kinesis's 1 MiB record limit: an unterminated string, and deep nesting. */
function nearOneMegabyte(count: number): PutRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    data:
      index % 2 === 0
        ? encoder.encode(`{"detail":"${'x'.repeat(NEAR_ONE_MB)}`)
        : encoder.encode(`${'['.repeat(NEAR_ONE_MB / 2)}${']'.repeat(NEAR_ONE_MB / 2)}`),
    partitionKey: `big-${index}`,
  }));
}

describe('fault: 10,000 malformed and hostile records', () => {
  const fixture = pipelineFixture();

  it('all go to the dead-letter topic with a reason, the good events around them are published, memory stays bounded', async () => {
    const { names, kinesis } = await fixture.stream('hostile', 4);
    const good = generateEvents(300, 61);
    const hostile = hostileRecords(HOSTILE - 20);
    const big = nearOneMegabyte(20);
    const mixed: PutRecord[] = [];
    hostile.forEach((record, index) => {
      mixed.push(record);
      if (index % 33 === 0) mixed.push(...good.slice(index / 33, index / 33 + 1));
    });
    await putAll(kinesis, names.stream, mixed);
    // PutRecords takes 5 MB per call: the large ones go four at a time.
    for (let start = 0; start < big.length; start += 4)
      await putAll(kinesis, names.stream, big.slice(start, start + 4));
    const hostileSet = new Set(hostile);
    const sent = mixed.filter((record) => !hostileSet.has(record));

    const enricher = fixture.enricher(names, { MAX_RECORD_BYTES: '1048576' });
    const memory = new RssSampler(enricher.child.pid ?? 0);
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic]);
    await topics.waitFor(
      'every record, published or dead-lettered',
      () => topics.on(names.dlqTopic).length >= HOSTILE && topics.on(names.eventsTopic).length >= sent.length,
      120_000,
    );
    await settle(3_000);
    memory.stop();

    const letters = topics.on(names.dlqTopic);
    const reasons = new Map<string, number>();
    for (const letter of letters) {
      const reason = letter.headers['sarwatch-reason'] ?? '(none)';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const sentSet = new Set(sent);
    const events = good.filter((event) => sentSet.has(event));
    const outcome = outcomeOf(events, topics.on(names.eventsTopic));
    report('hostile records', outcome, {
      'dead letters': letters.length,
      reasons: [...reasons].map(([reason, count]) => `${reason} ${count}`).join(' / '),
      'peak RSS MiB': memory.peakMiB,
    });
    expect(enricher.child.exitCode).toBeNull();
    expect(letters).toHaveLength(HOSTILE);
    expect(
      [...reasons.keys()].every((reason) => (DEAD_LETTER_REASONS as readonly string[]).includes(reason)),
    ).toBe(true);
    expect(outcome).toMatchObject({ lost: 0, duplicated: 0 });
    expect(memory.peakMiB).toBeLessThan(MEMORY_BOUND_MIB);
  }, 180_000);
});
