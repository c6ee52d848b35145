import { afterEach, describe, expect, it } from 'vitest';
import {
  enricherEnv,
  ensureStopped,
  isolatedNames,
  type RunningCli,
  runCli,
} from './support/enricher-process.js';
import { createStream, generateEvents, putAll, testKinesisClient } from './support/kinesis-fixture.js';
import { TopicCollector } from './support/topic-collector.js';

describe('graceful shutdown', () => {
  const running: RunningCli[] = [];
  let collector: TopicCollector | undefined;
  afterEach(async () => {
    for (const cli of running) await ensureStopped(cli);
    await collector?.stop();
  });

  it('on SIGTERM finishes, checkpoints and exits 0 within 10 s; a restart publishes nothing twice', async () => {
    const names = isolatedNames('shutdown');
    const kinesis = testKinesisClient();
    await createStream(kinesis, names.stream, 2);
    const events = generateEvents(1_200, 7);
    await putAll(kinesis, names.stream, events.slice(0, 600));
    const env = enricherEnv(names, { KINESIS_MAX_RECORDS_PER_CALL: '25' });

    const first = runCli(['run'], env);
    running.push(first);
    const topics = await TopicCollector.start([names.eventsTopic]);
    collector = topics;
    await topics.waitFor('the first events', () => topics.on(names.eventsTopic).length >= 100);
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const { code } = await first.exited;
    const stoppedInMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(stoppedInMs).toBeLessThan(10_000);
    expect(first.output()).toContain('stopped cleanly');

    await putAll(kinesis, names.stream, events.slice(600));
    const second = runCli(['run'], env);
    running.push(second);
    await topics.waitFor('every event', () => topics.on(names.eventsTopic).length >= events.length);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ids = topics.on(names.eventsTopic).map((message) => JSON.parse(String(message.value)).eventId);
    console.log(`shutdown: stopped in ${stoppedInMs} ms; in ${events.length}, published ${ids.length}`);
    expect(new Set(ids).size).toBe(events.length);
    expect(ids).toHaveLength(events.length);
    kinesis.destroy();
  });

  it('a second signal exits at once', async () => {
    const names = isolatedNames('second-signal');
    // Nothing listens on this broker port: the enricher keeps retrying its start-up until told to stop.
    const cli = runCli(['run'], enricherEnv(names, { KAFKA_BROKERS: '127.0.0.1:1' }));
    running.push(cli);
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
