import { randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alert, AlertEngine, AlertSchema, enrich } from '@sarwatch/core';
import { DEFAULT_ALERT_RULES_FILE, readAlertRulesFile } from '@sarwatch/enricher';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture, settle } from './support/pipeline-fixture.js';
import { WebhookServer } from './support/webhook-server.js';

async function ruleAlertIds(events: ReturnType<typeof generateEvents>): Promise<string[]> {
  const pack = await readAlertRulesFile(DEFAULT_ALERT_RULES_FILE);
  if (!pack.ok) throw new Error(pack.errors.join('\n'));
  const engine = new AlertEngine(pack.rules);
  return events.flatMap(({ record }) => {
    const event = enrich(record);
    return engine
      .evaluate(event, Date.parse(event.eventTime))
      .fired.map((fired) => `${fired.rule.id}:${fired.eventIds.at(-1)}`);
  });
}

const alertsIn = (messages: { value: Buffer | null }[]): Alert[] =>
  messages.map((message) => AlertSchema.parse(JSON.parse(String(message.value))));

describe('alerts: Kinesis → enricher → sarwatch.alerts.v1 → notifier → webhook', () => {
  const fixture = pipelineFixture();
  const servers: WebhookServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('raises exactly the rule pack alerts, each once and beside its event, and the notifier delivers each once after the webhook recovers', async () => {
    // One shard: events are evaluated in the order they were put, so the expected alerts are exact.
    const { names, kinesis } = await fixture.stream('alerts', 1);
    const events = generateEvents(1_500, 11);
    const expected = await ruleAlertIds(events);
    expect(expected.length).toBeGreaterThan(20);
    await putAll(kinesis, names.stream, events);

    fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.alertsTopic]);
    await topics.waitFor(
      `1,500 events and ${expected.length} alerts`,
      () =>
        topics.on(names.eventsTopic).length >= 1_500 &&
        topics.on(names.alertsTopic).length >= expected.length,
    );
    await settle();
    const alertMessages = topics.on(names.alertsTopic);
    const alerts = alertsIn(alertMessages);
    expect(alerts.map((alert) => alert.alertId).sort()).toEqual([...expected].sort());
    const published = new Set(topics.on(names.eventsTopic).map(eventIdOf));
    for (const [index, alert] of alerts.entries()) {
      expect(alertMessages[index]?.key).toBe(alert.dedupKey);
      expect(alertMessages[index]?.headers['sarwatch-rule-id']).toBe(alert.ruleId);
      for (const eventId of alert.eventIds) expect(published.has(eventId), eventId).toBe(true);
      expect(alert.summary).toContain(alert.event.eventName);
    }

    // The webhook is down for its first 5 s, then asks to wait once, then takes everything but one alert, which
    // it refuses as malformed: that one must go to the dead-letter topic, and nothing else.
    const refused = alerts[Math.floor(alerts.length / 2)]?.alertId ?? '';
    let firstRequestAt: number | null = null;
    let askedToWait = false;
    const webhook = await WebhookServer.start((alertId) => {
      firstRequestAt ??= Date.now();
      if (Date.now() - firstRequestAt < 5_000) return { status: 503 };
      if (!askedToWait) {
        askedToWait = true;
        return { status: 429, retryAfterSeconds: 1 };
      }
      return { status: alertId === refused ? 400 : 200 };
    });
    servers.push(webhook);
    const notifierDlq = `${names.stream}.notifier-dlq`;
    fixture.sarwatch(['notify'], {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      KAFKA_ALERTS_TOPIC: names.alertsTopic,
      KAFKA_NOTIFIER_DLQ_TOPIC: notifierDlq,
      NOTIFIER_GROUP_ID: `${names.stream}.notifier`,
      NOTIFIER_START_FROM: 'earliest',
      WEBHOOK_URL: webhook.url,
      WEBHOOK_RETRY_MIN_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '1000',
      METRICS_PORT: '0',
    });
    const deadLetters = await fixture.collect([notifierDlq]);
    await deadLetters.waitFor(
      `${expected.length - 1} alerts delivered and 1 dead-lettered`,
      () => webhook.accepted().size >= expected.length - 1 && deadLetters.on(notifierDlq).length >= 1,
      120_000,
    );
    await settle();

    const accepted = webhook.accepted();
    expect([...accepted.keys()].sort()).toEqual(expected.filter((id) => id !== refused).sort());
    expect([...accepted.values()].every((count) => count === 1)).toBe(true);
    expect(webhook.requests.filter((request) => request.status === 503).length).toBeGreaterThan(1);
    expect(webhook.requests.filter((request) => request.alertId === refused)).toHaveLength(1);
    for (const request of webhook.requests) {
      expect(request.idempotencyKey).toBe(request.alertId);
      expect(typeof request.body.text).toBe('string');
      expect(Array.isArray(request.body.blocks)).toBe(true);
    }
    const [deadLetter] = deadLetters.on(notifierDlq);
    expect(deadLetters.on(notifierDlq)).toHaveLength(1);
    expect(AlertSchema.parse(JSON.parse(String(deadLetter?.value))).alertId).toBe(refused);
    expect(deadLetter?.headers['sarwatch-reason']).toMatch(/^HTTP 400/);
    expect(deadLetter?.headers['sarwatch-attempts']).toBe('1');
  });

  it('follows the rules file as it changes, keeps the rules in force when it turns bad, and lives through SIGHUP', async () => {
    const { names, kinesis } = await fixture.stream('alert-reload', 1);
    const dir = await mkdtemp(join(tmpdir(), 'sarwatch-alert-rules-'));
    try {
      const rulesFile = join(dir, 'rules.json');
      const writeRules = async (text: string) => {
        // As config management does it: a whole new file renamed over the old one.
        const next = `${rulesFile}.${randomUUID()}`;
        await writeFile(next, text);
        await rename(next, rulesFile);
      };
      const everyEvent = (id: string) =>
        JSON.stringify({
          version: 1,
          rules: [{ id, title: id, severity: 'low', why: 'test', match: { eventSource: [{ prefix: '' }] } }],
        });
      await writeRules(everyEvent('first-rules'));
      const enricher = fixture.enricher(names, { ALERT_RULES_FILE: rulesFile });
      const topics = await fixture.collect([names.alertsTopic]);
      const batches = [generateEvents(50, 21), generateEvents(50, 22), generateEvents(50, 23)];
      const ruleOf = (batch: number) => {
        const ids = new Set(batches[batch]?.map(({ record }) => record.eventID));
        const alerts = alertsIn(topics.on(names.alertsTopic)).filter((alert) => ids.has(alert.event.eventId));
        return { count: alerts.length, rules: [...new Set(alerts.map((alert) => alert.ruleId))] };
      };
      const feed = async (batch: number) => {
        await putAll(kinesis, names.stream, batches[batch] ?? []);
        await topics.waitFor(`alerts for batch ${batch}`, () => ruleOf(batch).count >= 50);
      };
      const logged = (text: string) => enricher.output().split(text).length - 1;

      await feed(0);
      await writeRules(everyEvent('second-rules'));
      await topics.waitFor('the reload', () => logged('alert rules reloaded') >= 1);
      await feed(1);
      await writeRules('{"version": 1, "rules": [{"id": "broken"');
      await topics.waitFor('the rejection', () => logged('alert rules file rejected') >= 1);
      enricher.child.kill('SIGHUP');
      await topics.waitFor('the rejection on SIGHUP', () => logged('alert rules file rejected') >= 2);
      await feed(2);
      await settle();

      expect([0, 1, 2].map(ruleOf)).toEqual([
        { count: 50, rules: ['first-rules'] },
        { count: 50, rules: ['second-rules'] },
        { count: 50, rules: ['second-rules'] },
      ]);
      expect(enricher.child.exitCode).toBeNull();
      expect(enricher.output()).toContain('"why":"SIGHUP"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
