import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type CloudTrailRecord,
  createRuleDelivery,
  enrich,
  SARWATCH_DEPLOYMENT_DEFAULTS,
  wrapInEventBridge,
} from '@sarwatch/core';
import { type MotoServer, startMotoServer } from '@sarwatch/devstack';
import { writeBrokenTrailFile, writeTrail } from '@sarwatch/feeder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
import { enricherEnv, type Names } from './support/enricher-process.js';
import { putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture, settle } from './support/pipeline-fixture.js';
import { TEST_PORTS } from './support/ports.js';

const HOUR_MS = 3_600_000;
const PATTERN = readFileSync(
  new URL('../infra/eventbridge/sar-cloudtrail-pattern.json', import.meta.url),
  'utf8',
);
const deliver = createRuleDelivery({
  pattern: PATTERN,
  state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  partitionKeyPath: SARWATCH_DEPLOYMENT_DEFAULTS.partitionKeyPath,
});

let moto: MotoServer;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMotoServer(TEST_PORTS.motoTrail);
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});

/**
 * Hours of trail ending two hours ago: recent enough that stream copies may still arrive, so claims are needed.
 * moto answers one request at a time, and a trail has a file per account, region and five minutes: hours, not days.
 */
function recentWindow(hours: number) {
  const to = Math.floor((Date.now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  return { from: new Date(to - hours * HOUR_MS), to: new Date(to) };
}

const trailEnv = (names: Names) =>
  enricherEnv(names, {
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    LOG_LEVEL: 'warn',
  });

const windowArgs = (bucket: string, window: { from: Date; to: Date }) => [
  '--bucket',
  bucket,
  '--prefix',
  'audit',
  '--from',
  window.from.toISOString(),
  '--to',
  window.to.toISOString(),
  // The trail writer delivers some files up to an hour late.
  '--settle',
  '1h',
];

/** What the rule delivers, as the stream would carry it. */
function delivered(records: readonly CloudTrailRecord[]) {
  return records.flatMap((record) => {
    const envelope = wrapInEventBridge(record, { id: randomUUID() });
    const delivery = deliver(envelope);
    return delivery.delivered
      ? [
          {
            record,
            data: new TextEncoder().encode(JSON.stringify(envelope)),
            partitionKey: delivery.partitionKey,
          },
        ]
      : [];
  });
}

describe('completeness: the trail against what sarwatch published', () => {
  const fixture = pipelineFixture();

  it('finds exactly the events EventBridge lost and the ones injected, repairs the lost once, and a backfill of a covered window publishes nothing', async () => {
    const { names, kinesis } = await fixture.stream('complete', 4);
    const window = recentWindow(8);
    const trail = await writeTrail(s3, {
      bucket: 'trail-complete',
      prefix: 'audit',
      seed: 17,
      ...window,
      records: 6_000,
      sarShare: 0.3,
      regions: ['us-east-1', 'eu-west-1'],
      organizationId: 'o-a1b2c3d4e5',
      organizationAccounts: ['444455556666'],
    });
    const events = delivered(trail.files.flatMap((file) => file.records));
    const lost = events.filter((_, index) => index % 25 === 7);
    const injected = events.slice(0, 3).map(({ record }) => {
      const forged = { ...record, eventID: randomUUID() };
      const envelope = wrapInEventBridge(forged, { id: randomUUID() });
      return {
        record: forged,
        data: new TextEncoder().encode(JSON.stringify(envelope)),
        partitionKey: envelope.account,
      };
    });
    const fed = [...events.filter((event) => !lost.includes(event)), ...injected];
    expect(events.length).toBeGreaterThan(1_500);

    fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic]);
    await putAll(kinesis, names.stream, fed);
    await topics.waitFor(
      `${fed.length} live events`,
      () => topics.on(names.eventsTopic).length >= fed.length,
      120_000,
    );

    const found = await runSarwatch(
      ['reconcile', ...windowArgs('trail-complete', window), '--json'],
      trailEnv(names),
    );
    expect(found.stderr).toBe('');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout);
    expect(report.missing.sort()).toEqual(lost.map(({ record }) => record.eventID).sort());
    expect(report.unexpected.sort()).toEqual(injected.map(({ record }) => record.eventID).sort());
    expect(report.counts).toMatchObject({ expected: events.length, missing: lost.length, unexpected: 3 });
    const lostAccounts = Object.values(report.missingBy.account as Record<string, number>);
    expect(lostAccounts.reduce((sum, count) => sum + count, 0)).toBe(lost.length);

    const repaired = await runSarwatch(
      ['reconcile', ...windowArgs('trail-complete', window), '--json', '--repair'],
      trailEnv(names),
    );
    expect(repaired.code).toBe(1);
    expect(JSON.parse(repaired.stdout)).toMatchObject({
      repair: { published: lost.length },
      counts: { unrepaired: 0, unexpected: 3 },
    });
    const total = fed.length + lost.length;
    await topics.waitFor(`${total} events`, () => topics.on(names.eventsTopic).length >= total);

    const again = await runSarwatch(
      ['reconcile', ...windowArgs('trail-complete', window), '--json', '--repair'],
      trailEnv(names),
    );
    expect(JSON.parse(again.stdout).counts).toMatchObject({ missing: 0, unrepaired: 0, unexpected: 3 });
    const backfilled = await runSarwatch(
      ['backfill', ...windowArgs('trail-complete', window)],
      trailEnv(names),
    );
    expect(backfilled.code).toBe(0);
    expect(backfilled.stdout).toContain(
      `already handled: ${events.length.toLocaleString('en-US')}; published: 0 events`,
    );

    // The live path still runs after its writers were fenced by the repair.
    const later = delivered(events.slice(0, 5).map(({ record }) => ({ ...record, eventID: randomUUID() })));
    await putAll(kinesis, names.stream, later);
    await topics.waitFor(
      'events put after the repair',
      () => topics.on(names.eventsTopic).length >= total + 5,
    );
    await settle();

    const published = topics.on(names.eventsTopic);
    const ids = published.map(eventIdOf);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total + 5);
    const byId = new Map(published.map((message) => [eventIdOf(message), message]));
    for (const { record } of lost) {
      const message = byId.get(record.eventID);
      expect(message?.headers['sarwatch-origin']).toBe('trail');
      expect(JSON.parse(String(message?.value))).toEqual(
        JSON.parse(JSON.stringify(enrich(record, { maxTextLength: 16_384, origin: 'trail' }))),
      );
    }
    expect(JSON.parse(String(byId.get(fed[0]?.record.eventID ?? '')?.value)).origin).toBe('stream');
  });

  it('loses and duplicates nothing when a backfill is killed and run again, and names the files it cannot read', async () => {
    const { names } = await fixture.stream('backfill', 2);
    const window = recentWindow(6);
    const trail = await writeTrail(s3, {
      bucket: 'trail-backfill',
      prefix: 'audit',
      seed: 23,
      ...window,
      records: 16_000,
      sarShare: 0.25,
      regions: ['us-east-1', 'us-west-2'],
    });
    // Delivered in the window's first hours, where the day's good files are.
    const brokenKeys = ['truncated', 'notgzip'].map((kind, index) => {
      const at = new Date(window.from.getTime() + (index + 1) * HOUR_MS).toISOString();
      const stamp = `${at.slice(0, 10).replaceAll('-', '')}T${at.slice(11, 13)}00Z`;
      return `audit/AWSLogs/111122223333/CloudTrail/us-east-1/${at.slice(0, 10).replaceAll('-', '/')}/111122223333_CloudTrail_us-east-1_${stamp}_broken${kind}.json.gz`;
    });
    await writeBrokenTrailFile(s3, 'trail-backfill', brokenKeys[0] ?? '', 'truncated');
    await writeBrokenTrailFile(s3, 'trail-backfill', brokenKeys[1] ?? '', 'not-gzip');
    const expected = delivered(trail.files.flatMap((file) => file.records)).map(
      ({ record }) => record.eventID,
    );

    // The enricher creates the topics, and holds the stream's shards while the backfill runs.
    fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic]);

    const dryRun = await runSarwatch(
      ['backfill', ...windowArgs('trail-backfill', window), '--dry-run'],
      trailEnv(names),
    );
    expect(dryRun.stdout).toContain(`would publish: ${expected.length.toLocaleString('en-US')} events`);
    expect(topics.on(names.eventsTopic)).toHaveLength(0);

    const first = fixture.sarwatch(['backfill', ...windowArgs('trail-backfill', window)], trailEnv(names));
    await topics.waitFor('the first pages', () => topics.on(names.eventsTopic).length >= 1_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(topics.on(names.eventsTopic).length).toBeLessThan(expected.length);

    const second = await runSarwatch(['backfill', ...windowArgs('trail-backfill', window)], trailEnv(names));
    expect(second.code).toBe(1);
    for (const key of brokenKeys) expect(second.stdout).toContain(key);
    await topics.waitFor('every event', () => topics.on(names.eventsTopic).length >= expected.length);
    await settle();

    const ids = topics.on(names.eventsTopic).map(eventIdOf);
    expect(ids.length).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
  });

  it('runs as a service: judges each settled window once, across restarts, with metrics and an alert for injected events', async () => {
    const { names, kinesis } = await fixture.stream('continuous', 2);
    const to = Math.floor((Date.now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    const window = { from: new Date(to - 2 * HOUR_MS), to: new Date(to) };
    const trail = await writeTrail(s3, {
      bucket: 'trail-continuous',
      prefix: 'audit',
      seed: 31,
      ...window,
      records: 600,
      sarShare: 0.5,
      regions: ['us-east-1'],
      lateFiles: 0,
    });
    const events = delivered(trail.files.flatMap((file) => file.records));
    const [lost, ...kept] = events;
    const forged = { ...(kept[0]?.record as CloudTrailRecord), eventID: randomUUID() };
    const injected = delivered([forged]);
    fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.alertsTopic]);
    await putAll(kinesis, names.stream, [...kept, ...injected]);
    await topics.waitFor('the live events', () => topics.on(names.eventsTopic).length >= kept.length + 1);

    const env = { ...trailEnv(names), METRICS_PORT: String(TEST_PORTS.reconcileMetrics) };
    const args = [
      'reconcile',
      '--bucket',
      'trail-continuous',
      '--prefix',
      'audit',
      '--from',
      window.from.toISOString(),
    ];
    const service = fixture.sarwatch([...args, '--every', '1h', '--settle', '1h', '--json', '--repair'], env);
    const judged = () =>
      service
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{"trail"'));
    // The trail's two hours, and the settled hour after them, which has no events.
    await topics.waitFor('three windows judged', () => judged().length >= 3, 120_000);
    const reports = judged().map((line) => JSON.parse(line));
    expect(reports.map((report) => report.from)).toEqual(
      [window.from.getTime(), to - HOUR_MS, to].map((time) => new Date(time).toISOString()),
    );
    expect(reports.flatMap((report) => report.missing)).toEqual([lost?.record.eventID]);
    expect(reports.flatMap((report) => report.unexpected)).toEqual([forged.eventID]);

    const metrics = await (await fetch(`http://127.0.0.1:${TEST_PORTS.reconcileMetrics}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`sarwatch_reconcile_last_window_end_timestamp_seconds ${(to + HOUR_MS) / 1_000}\\b`),
    );
    expect(metrics).toMatch(/sarwatch_reconcile_missing_events_total 1\b/);
    expect(metrics).toMatch(/sarwatch_reconcile_unexpected_events_total 1\b/);
    expect(metrics).toMatch(/sarwatch_reconcile_repaired_events_total 1\b/);
    await topics.waitFor('the injection alert', () =>
      topics
        .on(names.alertsTopic)
        .some((message) => message.headers['sarwatch-rule-id'] === 'event-not-in-trail'),
    );
    const alert = JSON.parse(
      String(
        topics.on(names.alertsTopic).find((m) => m.headers['sarwatch-rule-id'] === 'event-not-in-trail')
          ?.value,
      ),
    );
    expect(alert).toMatchObject({
      severity: 'high',
      eventIds: [forged.eventID],
      context: { reconciliation: 'unexpected' },
    });

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    // Restarted, it goes on after the last window it judged rather than judging the same ones again.
    const restarted = fixture.sarwatch([...args, '--every', '1h', '--settle', '1h', '--json'], env);
    await settle(8_000);
    expect(restarted.output()).not.toContain('{"trail"');
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
  });
});
