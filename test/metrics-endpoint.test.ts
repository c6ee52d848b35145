import { describe, expect, it } from 'vitest';
import type { RunningCli } from './support/enricher-process.js';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { pipelineFixture, settle } from './support/pipeline-fixture.js';

const metricsAddress = (cli: RunningCli) => /metrics on http:\/\/([\d.:]+)\/metrics/.exec(cli.output())?.[1];

/** The value of one series in Prometheus text format, or 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const sum = (text: string, name: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

describe('metrics and health endpoints', () => {
  const fixture = pipelineFixture();

  it('serve /metrics, /healthz and /readyz with counts that match what was published', async () => {
    const { names, kinesis } = await fixture.stream('metrics', 2);
    const events = generateEvents(300, 71);
    const broken = Array.from({ length: 20 }, (_, index) => ({
      data: new TextEncoder().encode(`{"broken": ${index}`),
      partitionKey: `broken-${index}`,
    }));
    await putAll(kinesis, names.stream, [...events, ...broken, ...events.slice(0, 10)]);

    const enricher = fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic]);
    await topics.waitFor('events and dead letters', () => {
      return topics.on(names.eventsTopic).length >= 300 && topics.on(names.dlqTopic).length >= 20;
    });
    await settle(2_000);
    const address = metricsAddress(enricher);
    expect(address).toBeDefined();

    const health = await fetch(`http://${address}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://${address}/readyz`);
    expect(ready.status, await ready.text()).toBe(200);

    const response = await fetch(`http://${address}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sum(text, 'sarwatch_events_published_total')).toBe(300);
    expect(sample(text, 'sarwatch_dead_letters_total{reason="invalid-json"}')).toBe(20);
    expect(sample(text, 'sarwatch_duplicates_dropped_total')).toBe(10);
    expect(sum(text, 'sarwatch_records_read_total')).toBe(330);
    expect(sample(text, 'sarwatch_shards_owned')).toBe(2);
    expect(text).toMatch(
      /sarwatch_events_published_total\{event_name="[A-Za-z]+",identity_type="[\w-]+",actor="[\w-]+",severity="\w+"\} \d+/,
    );
    expect(text).toContain('sarwatch_kafka_transaction_seconds_bucket');
    expect(text).toContain('sarwatch_millis_behind_latest{shard="shardId-000000000000"}');
    expect(text).toContain('sarwatch_process_resident_memory_bytes');
    // Everything read is committed by now, so nothing is in flight.
    expect(text).toContain('sarwatch_in_flight_bytes 0');
    expect(text).toContain('sarwatch_in_flight_records 0');
    expect(text).toMatch(/sarwatch_remembered_id_bytes\{shard="shardId-000000000001"\} [1-9]\d*/);

    enricher.child.kill('SIGTERM');
    expect((await enricher.exited).code).toBe(0);
  });
});
