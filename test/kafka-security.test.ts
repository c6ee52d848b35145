import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Alert, EnrichedEvent } from '@sarwatch/core';
import {
  createKafka,
  parseKafkaConnection,
  type Subscription,
  subscribeToAlerts,
  subscribeToEvents,
} from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
import { enricherEnv, isolatedNames, type Names } from './support/enricher-process.js';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { pipelineFixture, settle } from './support/pipeline-fixture.js';
import {
  REAUTHENTICATE_MS,
  SCRAM_USER,
  type SecureBroker,
  startSecureBroker,
} from './support/secure-broker.js';
import { WebhookServer } from './support/webhook-server.js';

// A fresh broker's coordinators answer 'not available' for a moment; the test judges outcomes, not those lines.
const log = createLogger({ name: 'security-test', level: 'silent', format: 'json' });

// Tokens of AWS's documentation examples: signing works offline, and the local broker refuses what they sign.
const AWS_EXAMPLE_KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** A notifier for a test's alerts topic, delivering from its first alert, connected as `kafka` says. */
const notifierEnv = (names: Names, webhookUrl: string, kafka: Record<string, string>) => ({
  ...kafka,
  KAFKA_ALERTS_TOPIC: names.alertsTopic,
  KAFKA_NOTIFIER_DLQ_TOPIC: `${names.alertsTopic}.notifier-dlq`,
  NOTIFIER_GROUP_ID: `${names.stream}-notifier`,
  NOTIFIER_START_FROM: 'earliest',
  WEBHOOK_URL: webhookUrl,
  METRICS_PORT: '0',
});

describe('Kafka over TLS and SASL, on a real secured broker', () => {
  const fixture = pipelineFixture();
  let secure: SecureBroker;
  let passwordFile: string;
  const subscriptions: Subscription<unknown>[] = [];

  beforeAll(async () => {
    secure = await startSecureBroker();
    passwordFile = join(secure.dir, 'kafka-password');
    // Mounted secrets often end with a newline that is not part of the password.
    await writeFile(passwordFile, `${secure.password}\n`);
  });
  afterAll(async () => {
    await secure?.stop();
  });
  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) await subscription.stop();
  });

  const scramEnv = (overrides: Record<string, string> = {}) => ({
    KAFKA_BROKERS: secure.scram,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: secure.ca.certFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: SCRAM_USER,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
    ...overrides,
  });

  function subscribe<T>(
    make: typeof subscribeToEvents | typeof subscribeToAlerts,
    topic: string,
    onValue: (value: T) => void,
  ) {
    const kafka = createKafka({
      connection: parseKafkaConnection(
        scramEnv({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: secure.password }),
      ),
      clientId: 'security-test',
      log,
    });
    const subscription = make(
      kafka,
      {
        topic,
        groupId: `security-test-${topic}`,
        fromBeginning: true,
        handle: async (value: never) => onValue(value),
      },
      log,
    ) as Subscription<unknown>;
    subscriptions.push(subscription);
    return subscription;
  }

  async function startWhenTopicExists(subscription: Subscription<unknown>) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await subscription.start();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await settle(500);
      }
    }
  }

  it('carries 1,000 events from Kinesis to a read_committed subscriber exactly once over SCRAM, and the notifier delivers every alert', async () => {
    const { names, kinesis } = await fixture.stream('secure-scram', 4);
    const events = generateEvents(1_000, 11);
    await putAll(kinesis, names.stream, events);
    const enricher = fixture.enricher(names, scramEnv());

    const received = new Map<string, number>();
    const alerts = new Set<string>();
    await startWhenTopicExists(
      subscribe<EnrichedEvent>(subscribeToEvents, names.eventsTopic, (event) =>
        received.set(event.eventId, (received.get(event.eventId) ?? 0) + 1),
      ),
    );
    await startWhenTopicExists(
      subscribe<Alert>(subscribeToAlerts, names.alertsTopic, (alert) => alerts.add(alert.alertId)),
    );

    const webhook = await WebhookServer.start(() => ({ status: 200 }));
    const notifier = fixture.sarwatch(
      ['notify'],
      notifierEnv(
        names,
        webhook.url,
        scramEnv({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: secure.password }),
      ),
    );
    try {
      const deadline = Date.now() + 120_000;
      while (received.size < 1_000 && Date.now() < deadline) await settle(200);
      await settle();
      expect(received.size).toBe(1_000);
      expect([...received.values()].every((count) => count === 1)).toBe(true);
      for (const { record } of events) expect(received.has(record.eventID), record.eventID).toBe(true);

      expect(alerts.size).toBeGreaterThan(0);
      while (webhook.accepted().size < alerts.size && Date.now() < deadline) await settle(200);
      expect([...webhook.accepted().keys()].sort()).toEqual([...alerts].sort());
      expect(enricher.output()).toContain('"security":"TLS, SASL scram-sha-512"');
      const metricsPages = await Promise.all(
        [enricher, notifier].map(async (process) => {
          const address = /metrics on http:\/\/([\d.:]+)\/metrics/.exec(process.output())?.[1];
          return (await fetch(`http://${address}/metrics`)).text();
        }),
      );
      expect(metricsPages[0]).toContain('sarwatch_events_published_total');
      for (const output of [enricher.output(), notifier.output(), ...metricsPages]) {
        expect(output).not.toContain(secure.password);
      }
    } finally {
      await webhook.stop();
    }
  });

  it('keeps publishing through repeated OAUTHBEARER re-authentications, losing and duplicating nothing; the notifier and tail connect the same way', async () => {
    const { names, kinesis } = await fixture.stream('secure-oauth', 2);
    const oauthEnv = async (subject: string) => ({
      KAFKA_BROKERS: secure.oauth,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: secure.ca.certFile,
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: await secure.tokenFile(subject),
    });
    const enricher = fixture.enricher(names, {
      ...(await oauthEnv('sarwatch-enricher')),
      LOG_LEVEL: 'debug',
    });
    const topics = await fixture.collect([names.eventsTopic, names.alertsTopic], secure.plaintext);
    const startedAt = Date.now();
    // Events keep arriving for three forced re-authentication periods, so commits cross them.
    const batches = 6;
    const events = generateEvents(600, 12);
    for (let batch = 0; batch < batches; batch += 1) {
      await putAll(kinesis, names.stream, events.slice(batch * 100, (batch + 1) * 100));
      await settle((REAUTHENTICATE_MS * 3) / batches);
    }
    await topics.waitFor('600 events', () => topics.on(names.eventsTopic).length >= 600, 60_000);
    await settle();

    const ids = topics.on(names.eventsTopic).map((message) => JSON.parse(String(message.value)).eventId);
    expect(ids).toHaveLength(600);
    expect(new Set(ids)).toEqual(new Set(events.map(({ record }) => record.eventID)));
    const lines = enricher.output().split('\n');
    const tokenReads = lines
      .filter((line) => line.includes('read the OAUTHBEARER token file'))
      .map((line) => JSON.parse(line).time as number);
    // Authentications after the first session ran out can only be re-authentications of the connections in use.
    const reauthentications = tokenReads.filter((at) => at > startedAt + REAUTHENTICATE_MS);
    console.log(
      `oauthbearer: ${tokenReads.length} authentications, ${reauthentications.length} after the first session`,
    );
    expect(reauthentications.length).toBeGreaterThanOrEqual(3);
    const complaints = lines.filter(
      (line) => /"level":(40|50|60)/.test(line) && /SASL|authenticat|OAUTHBEARER/i.test(line),
    );
    expect(complaints).toEqual([]);
    expect(enricher.child.exitCode).toBeNull();

    const webhook = await WebhookServer.start(() => ({ status: 200 }));
    try {
      fixture.sarwatch(['notify'], notifierEnv(names, webhook.url, await oauthEnv('sarwatch-notifier')));
      const alertIds = topics
        .on(names.alertsTopic)
        .map((message) => JSON.parse(String(message.value)).alertId);
      expect(alertIds.length).toBeGreaterThan(0);
      await topics.waitFor(
        'the notifier to deliver every alert',
        () => webhook.accepted().size >= alertIds.length,
      );
      expect([...webhook.accepted().keys()].sort()).toEqual([...alertIds].sort());
    } finally {
      await webhook.stop();
    }
    const tail = fixture.sarwatch(
      ['tail', names.eventsTopic, '--from-beginning'],
      await oauthEnv('sarwatch-tail'),
    );
    await topics.waitFor('tail to print an event', () => tail.output().includes('"eventId"'));
  });

  describe('refusals end the process with exit code 3 and one line naming the broker, the mechanism and the cause', () => {
    const names = isolatedNames('secure-refused');
    const enricher = (env: Record<string, string>) =>
      runSarwatch(['run'], { ...enricherEnv(names), METRICS_PORT: '0', ...env });
    const notifier = (env: Record<string, string>) =>
      runSarwatch(['notify'], {
        WEBHOOK_URL: 'http://127.0.0.1:9/hooks/never-called',
        METRICS_PORT: '0',
        ...env,
      });

    const cases: {
      name: string;
      run: () => Promise<{ code: number | null; stdout: string; stderr: string }>;
      broker: () => string;
      security: string;
      cause: RegExp;
      secrets: () => string[];
    }[] = [
      {
        name: 'a wrong password (enricher)',
        run: () =>
          enricher(scramEnv({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'wrong-password-42' })),
        broker: () => secure.scram,
        security: 'TLS, SASL scram-sha-512',
        cause: /invalid credentials/,
        secrets: () => ['wrong-password-42'],
      },
      {
        name: 'an unknown user (notifier)',
        run: () => notifier(scramEnv({ KAFKA_SASL_USERNAME: 'mallory' })),
        broker: () => secure.scram,
        security: 'TLS, SASL scram-sha-512',
        cause: /invalid credentials/,
        secrets: () => [secure.password],
      },
      {
        name: 'a CA that did not sign the broker certificate (enricher)',
        run: () => enricher(scramEnv({ KAFKA_SSL_CA_FILE: secure.otherCa.certFile })),
        broker: () => secure.scram,
        security: 'TLS, SASL scram-sha-512',
        cause: /certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/,
        secrets: () => [secure.password],
      },
      {
        name: 'TLS against a plaintext port (notifier)',
        run: () => notifier({ KAFKA_BROKERS: secure.plaintext, KAFKA_SSL: 'true' }),
        broker: () => secure.plaintext,
        security: 'TLS',
        cause: /closed the connection during the TLS handshake: is it a plaintext listener\?/,
        secrets: () => [],
      },
      {
        name: 'an MSK IAM token the broker rejects (enricher)',
        run: () =>
          enricher({
            KAFKA_BROKERS: secure.oauth,
            KAFKA_SSL: 'true',
            KAFKA_SSL_CA_FILE: secure.ca.certFile,
            KAFKA_SASL_MECHANISM: 'aws-msk-iam',
            AWS_REGION: 'eu-west-1',
            ...AWS_EXAMPLE_KEYS,
          }),
        broker: () => secure.oauth,
        security: 'TLS, SASL aws-msk-iam',
        cause: /the broker rejected the OAUTHBEARER token \(invalid_token\)/,
        secrets: () => [AWS_EXAMPLE_KEYS.AWS_SECRET_ACCESS_KEY],
      },
    ];

    for (const refusal of cases) {
      it(refusal.name, async () => {
        const started = Date.now();
        const { code, stdout, stderr } = await refusal.run();
        const message = stderr.trim();
        console.log(`refusal, ${refusal.name}: exit ${code} after ${Date.now() - started} ms: ${message}`);
        expect(code).toBe(3);
        expect(message.split('\n')).toHaveLength(1);
        expect(message).toContain(`Kafka at ${refusal.broker()} (${refusal.security}) refused access`);
        expect(message).toMatch(refusal.cause);
        expect(`${stdout}${stderr}`).not.toMatch(/No brokers in the broker pool/);
        for (const secret of refusal.secrets()) expect(`${stdout}${stderr}`).not.toContain(secret);
      });
    }

    it('a password file that is missing is a configuration error naming the variable, exit 2', async () => {
      const { code, stderr } = await enricher(
        scramEnv({ KAFKA_SASL_PASSWORD_FILE: join(secure.dir, 'absent') }),
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(/KAFKA_SASL_PASSWORD_FILE: cannot read the password file at .*absent: ENOENT/);
    });

    it('tail reads over SCRAM with the same variables, and refuses a wrong password with exit 3', async () => {
      const refused = await runSarwatch(
        ['tail', 'any-topic'],
        scramEnv({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'nope-nope-nope' }),
      );
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/invalid credentials/);
      expect(`${refused.stdout}${refused.stderr}`).not.toContain('nope-nope-nope');
      const topic = `${names.stream}.tail`;
      const kafka = createKafka({
        connection: parseKafkaConnection(scramEnv()),
        clientId: 'security-test',
        log,
      });
      const admin = kafka.admin();
      const producer = kafka.producer();
      await Promise.all([admin.connect(), producer.connect()]);
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.send({ topic, messages: [{ key: 'k', value: '{"over":"scram"}' }] });
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      const tail = fixture.sarwatch(['tail', topic, '--from-beginning'], scramEnv());
      const deadline = Date.now() + 30_000;
      while (!tail.output().includes('"over":"scram"') && Date.now() < deadline) await settle(200);
      expect(JSON.parse(tail.output().trim().split('\n')[0] ?? '')).toMatchObject({
        topic,
        key: 'k',
        value: { over: 'scram' },
      });
      tail.child.kill('SIGTERM');
      expect((await tail.exited).code).toBe(0);

      const help = await runSarwatch(['tail', '--help'], scramEnv({ KAFKA_SASL_PASSWORD: 'in-help-never' }));
      expect(help.stdout).toContain('KAFKA_SASL_PASSWORD_FILE');
      expect(`${help.stdout}${help.stderr}`).not.toContain('in-help-never');
    });
  });
});
