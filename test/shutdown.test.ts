import { describe, expect, it } from 'vitest';
import { isolatedNames } from './support/enricher-process.js';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture, settle } from './support/pipeline-fixture.js';

describe('graceful shutdown', () => {
  const fixture = pipelineFixture();

  it('on SIGTERM finishes, checkpoints and exits 0 within 10 s; a restart publishes nothing twice', async () => {
    const { names, kinesis } = await fixture.stream('shutdown', 2);
    const events = generateEvents(1_200, 7);
    await putAll(kinesis, names.stream, events.slice(0, 600));
    const env = { KINESIS_MAX_RECORDS_PER_CALL: '25' };

    const first = fixture.enricher(names, env);
    const topics = await fixture.collect([names.eventsTopic]);
    await topics.waitFor('the first events', () => topics.on(names.eventsTopic).length >= 100);
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const { code } = await first.exited;
    const stoppedInMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(stoppedInMs).toBeLessThan(10_000);
    expect(first.output()).toContain('stopped cleanly');

    await putAll(kinesis, names.stream, events.slice(600));
    fixture.enricher(names, env);
    await topics.waitFor('every event', () => topics.on(names.eventsTopic).length >= events.length);
    await settle();
    const ids = topics.on(names.eventsTopic).map(eventIdOf);
    console.log(`shutdown: stopped in ${stoppedInMs} ms; in ${events.length}, published ${ids.length}`);
    expect(new Set(ids).size).toBe(events.length);
    expect(ids).toHaveLength(events.length);
  });

  it('a second signal exits at once', async () => {
    // Nothing listens on this broker port: the enricher keeps retrying its start-up until told to stop.
    const cli = fixture.enricher(isolatedNames('second-signal'), { KAFKA_BROKERS: '127.0.0.1:1' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    cli.child.kill('SIGINT');
    // Apart in time: two identical pending signals would be delivered as one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondAt = Date.now();
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(1_000);
  });
});
