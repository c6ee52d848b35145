import { stripVTControlCharacters } from 'node:util';
import { isPortOpen } from '@sarwatch/devstack';
import { afterEach, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
import { ensureStopped, type RunningCli, runCli } from './support/enricher-process.js';
import { TEST_PORTS } from './support/ports.js';

const waitForOutput = async (cli: RunningCli, text: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!cli.output().includes(text)) {
    if (Date.now() > deadline || cli.child.exitCode !== null) {
      throw new Error(`'${text}' never appeared; output:\n${cli.output().slice(-3_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const pidsIn = (output: string) => [...output.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1]));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const LOCAL_ENV = {
  LOG_FORMAT: 'json',
  METRICS_PORT: String(TEST_PORTS.localMetrics),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const LOCAL_ARGS = [
  'local',
  '--kafka-port',
  String(TEST_PORTS.localKafka),
  '--kinesis-port',
  String(TEST_PORTS.localKinesis),
];

describe('sarwatch local', () => {
  let local: RunningCli | undefined;
  // Ctrl-C first: killed outright, it could not stop the broker, emulator and enricher it started.
  afterEach(async () => {
    if (local && local.child.exitCode === null && local.child.signalCode === null) {
      local.child.kill('SIGINT');
      await Promise.race([local.exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    await ensureStopped(local);
  });

  it('brings up the whole path, publishes enriched events, and Ctrl-C leaves no process behind', async () => {
    const startedAt = Date.now();
    local = runCli(
      [
        'local',
        '--kafka-port',
        String(TEST_PORTS.localKafka),
        '--kinesis-port',
        String(TEST_PORTS.localKinesis),
        '--rate',
        '50',
        '--stream',
        'local-under-test',
      ],
      LOCAL_ENV,
    );
    await waitForOutput(local, 'first enriched event on sarwatch.events.v1', 120_000);
    const readyInMs = Date.now() - startedAt;
    expect(local.output()).toContain(`npx sarwatch tail sarwatch.events.v1`);
    expect(local.output()).toContain('EventBridge   rule ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    // The generated traffic creates and publishes applications all the time: the rule pack fires within seconds.
    await waitForOutput(local, 'ALERT ', 60_000);
    expect(local.output()).toMatch(/ALERT (LOW|MEDIUM|HIGH|CRITICAL) [^\n]+: [^\n]+ \[\d{12} [a-z0-9-]+\]/);

    local.child.kill('SIGINT');
    const { code } = await local.exited;
    console.log(`sarwatch local: first enriched event after ${readyInMs} ms; exit code ${code}`);
    expect(code).toBe(0);
    const started = pidsIn(local.output());
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(started.filter(alive)).toEqual([]);
    for (const port of [TEST_PORTS.localKafka, TEST_PORTS.localKafka + 1, TEST_PORTS.localKinesis]) {
      expect(await isPortOpen(port)).toBe(false);
    }
  });

  it('--secure runs the pipeline over TLS and SCRAM, and prints settings that tail can use', async () => {
    local = runCli(
      [
        'local',
        '--secure',
        '--kafka-port',
        String(TEST_PORTS.localKafka),
        '--kinesis-port',
        String(TEST_PORTS.localKinesis),
      ],
      LOCAL_ENV,
    );
    await waitForOutput(local, 'first enriched event on sarwatch.events.v1', 120_000);
    expect(local.output()).toContain('"security":"TLS, SASL scram-sha-512"');
    const settings = /^ {2}(KAFKA_BROKERS=\S+ .*) npx sarwatch tail sarwatch\.events\.v1$/m.exec(
      local.output(),
    )?.[1];
    expect(settings).toContain(`KAFKA_BROKERS=127.0.0.1:${TEST_PORTS.localKafka + 2}`);
    const env = Object.fromEntries(
      (settings ?? '').split(' ').map((pair) => pair.split('=') as [string, string]),
    );
    expect(env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(env.KAFKA_SASL_PASSWORD).toBeUndefined();

    // A wrong password on the same listener is refused: the listener really checks credentials.
    const refused = await runSarwatch(['tail'], {
      ...env,
      KAFKA_SASL_PASSWORD_FILE: '',
      KAFKA_SASL_PASSWORD: 'guess',
    });
    expect(refused.code).toBe(3);
    const tail = runCli(['tail', 'sarwatch.events.v1', '--from-beginning'], env);
    try {
      await waitForOutput(tail, '"eventId"', 30_000);
    } finally {
      tail.child.kill('SIGTERM');
      await tail.exited;
    }
    local.child.kill('SIGINT');
    expect((await local.exited).code).toBe(0);
  });

  it('a second stack on the same ports refuses with one line, and the first runs on, its data untouched', async () => {
    local = runCli([...LOCAL_ARGS, '--rate', '50'], LOCAL_ENV);
    await waitForOutput(local, 'first enriched event on sarwatch.events.v1', 120_000);

    const second = await runSarwatch(LOCAL_ARGS, LOCAL_ENV);
    expect(second.code).toBe(2);
    const message = second.stderr.trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`127.0.0.1:${TEST_PORTS.localKafka} (Kafka)`);
    expect(message).toContain(`127.0.0.1:${TEST_PORTS.localMetrics} (the enricher's metrics)`);
    expect(second.stdout).toBe('');

    // The first stack still publishes, and counts only its own events: the pipeline line keeps growing.
    const enrichedCounts = () =>
      [...stripVTControlCharacters(local?.output() ?? '').matchAll(/"enriched":(\d+)/g)].map((match) =>
        Number(match[1]),
      );
    const deadline = Date.now() + 45_000;
    while (enrichedCounts().length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const counts = enrichedCounts();
    expect(counts.at(-1)).toBeGreaterThan(counts.at(-2) ?? 0);
    local.child.kill('SIGINT');
    expect((await local.exited).code).toBe(0);
  });

  it('when the enricher dies, says so at once and stops everything with exit code 1', async () => {
    local = runCli([...LOCAL_ARGS, '--rate', '20'], LOCAL_ENV);
    await waitForOutput(local, 'first enriched event on sarwatch.events.v1', 120_000);
    await waitForOutput(local, 'sarwatch run, pid ', 10_000);
    const enricherPid = Number(/sarwatch run, pid (\d+)/.exec(local.output())?.[1]);
    process.kill(enricherPid, 'SIGKILL');
    const { code } = await local.exited;
    expect(code).toBe(1);
    expect(local.output()).toContain(
      'the enricher ended by itself (killed by SIGKILL); stopping the local stack',
    );
    expect(pidsIn(local.output()).filter(alive)).toEqual([]);
    for (const port of [TEST_PORTS.localKafka, TEST_PORTS.localKinesis, TEST_PORTS.localMetrics]) {
      expect(await isPortOpen(port)).toBe(false);
    }
  });
});
