import { createRng, MALFORMATION_KINDS, type MalformationKind, makeMalformedRecord } from '@sarwatch/feeder';
import { describe, expect, it } from 'vitest';
import { generateEvents, type PutRecord, putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture } from './support/pipeline-fixture.js';

const MAX_RECORD_BYTES = 200_000;

describe('dead letters', () => {
  const fixture = pipelineFixture();

  it('routes 50 malformed records of every kind to the DLQ with reasons, and delivers every good one around them', async () => {
    const { names, kinesis } = await fixture.stream('dlq', 4);
    const rng = createRng(11);
    const good = generateEvents(250, 5);
    const malformed: { kind: MalformationKind; data: Uint8Array }[] = [];
    const records: PutRecord[] = [];
    for (let index = 0; index < 50; index++) {
      const kind = MALFORMATION_KINDS[index % MALFORMATION_KINDS.length] as MalformationKind;
      const bad =
        kind === 'oversize'
          ? { data: new Uint8Array(MAX_RECORD_BYTES + 1).fill(0x20), partitionKey: `oversize-${index}` }
          : makeMalformedRecord(kind, rng);
      malformed.push({ kind, data: bad.data });
      records.push(...good.slice(index * 5, index * 5 + 5), bad);
    }
    await putAll(kinesis, names.stream, records);

    const enricher = fixture.enricher(names, { MAX_RECORD_BYTES: String(MAX_RECORD_BYTES) });
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic]);
    await topics.waitFor(
      'all good events and all dead letters',
      () => topics.on(names.eventsTopic).length >= good.length && topics.on(names.dlqTopic).length >= 50,
    );

    const delivered = new Set(topics.on(names.eventsTopic).map(eventIdOf));
    expect(good.every(({ record }) => delivered.has(record.eventID))).toBe(true);

    const letters = topics.on(names.dlqTopic);
    expect(letters).toHaveLength(50);
    const expectedKinds = new Map(
      malformed.map(({ kind, data }) => [Buffer.from(data).toString('base64'), kind]),
    );
    for (const letter of letters) {
      const raw = letter.value?.toString('base64') ?? '';
      expect(expectedKinds.has(raw), 'the raw bytes are kept exactly').toBe(true);
      expect(letter.headers['sarwatch-reason']).toBe(expectedKinds.get(raw));
      expect(letter.headers['sarwatch-reason-detail']?.length).toBeGreaterThan(0);
      expect(letter.headers['sarwatch-shard-id']).toMatch(/^shardId-\d+$/);
      expect(letter.headers['sarwatch-sequence-number']).toMatch(/^\d+$/);
      expect(letter.key).toBe(
        `${letter.headers['sarwatch-shard-id']}:${letter.headers['sarwatch-sequence-number']}`,
      );
    }
    const reasons = new Set(letters.map((letter) => letter.headers['sarwatch-reason']));
    expect([...reasons].sort()).toEqual([...MALFORMATION_KINDS].sort());
    expect(enricher.child.exitCode).toBeNull();
  });
});
