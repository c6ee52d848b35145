import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { Load } from './support/load.js';
import { pipelineFixture, settle } from './support/pipeline-fixture.js';
import { TEST_PORTS } from './support/ports.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { WebhookServer } from './support/webhook-server.js';

const ALERT_RULES = fileURLToPath(new URL('../infra/prometheus/alerts.yml', import.meta.url));
const DASHBOARD = JSON.parse(
  readFileSync(new URL('../infra/grafana/dashboards/sarwatch.json', import.meta.url), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] };

/** The `expr:` lines of the rule file: alert expressions are single-line there on purpose. */
const ruleExpressions = readFileSync(ALERT_RULES, 'utf8')
  .split('\n')
  .flatMap((line) => /^\s+expr: (.+)$/.exec(line)?.[1] ?? []);

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

let prometheus: PrometheusServer | undefined;
let webhook: WebhookServer | undefined;
afterAll(async () => {
  await prometheus?.stop();
  await webhook?.stop();
});

const query = async (expr: string): Promise<QueryAnswer> =>
  (
    await fetch(`${prometheus?.url}/api/v1/query?query=${encodeURIComponent(expr)}`)
  ).json() as Promise<QueryAnswer>;

describe('on a real Prometheus', () => {
  const fixture = pipelineFixture();

  it('the alert rules pass promtool', () => {
    const check = spawnSync('promtool', ['check', 'rules', ALERT_RULES], { encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    expect(ruleExpressions.length).toBeGreaterThanOrEqual(8);
  });

  it('scrapes a running enricher and notifier, and every dashboard query and alert expression parses and has data', async () => {
    prometheus = await startPrometheus(
      TEST_PORTS.prometheus,
      {
        sarwatch: [`127.0.0.1:${TEST_PORTS.scrapedMetrics}`],
        'sarwatch-notifier': [`127.0.0.1:${TEST_PORTS.scrapedNotifierMetrics}`],
      },
      [ALERT_RULES],
    );
    const { names, kinesis } = await fixture.stream('prometheus', 2);
    fixture.enricher(names, { METRICS_PORT: String(TEST_PORTS.scrapedMetrics) });
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic, names.alertsTopic]);
    webhook = await WebhookServer.start(() => ({ status: 200 }));
    fixture.sarwatch(['notify'], {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      KAFKA_ALERTS_TOPIC: names.alertsTopic,
      KAFKA_NOTIFIER_DLQ_TOPIC: `${names.stream}.notifier-dlq`,
      NOTIFIER_GROUP_ID: `${names.stream}.notifier`,
      NOTIFIER_START_FROM: 'earliest',
      WEBHOOK_URL: webhook.url,
      METRICS_PORT: String(TEST_PORTS.scrapedNotifierMetrics),
    });

    const load = new Load(kinesis, names.stream, 100, 84);
    // Faults go in once Prometheus has seen the enricher at work, so its counters rise between two scrapes.
    for (
      let attempt = 0;
      (await query('sum(sarwatch_records_read_total) > 0')).data?.result.length !== 1;
      attempt += 1
    ) {
      if (attempt > 60) throw new Error('Prometheus never saw the enricher read anything');
      await settle(500);
    }
    const broken = Array.from({ length: 15 }, (_, index) => ({
      data: new TextEncoder().encode(`{"broken": ${index}`),
      partitionKey: `broken-${index}`,
    }));
    const copies = generateEvents(5, 83);
    await putAll(kinesis, names.stream, [...broken, ...copies, ...copies]);
    await topics.waitFor('events and dead letters', () => topics.on(names.dlqTopic).length >= 15);
    await settle(8_000);
    await load.stop();

    for (const expr of ruleExpressions) {
      const answer = await query(expr);
      expect(answer.status, `${expr}: ${answer.error}`).toBe('success');
    }

    const empty = async () => {
      const missing: string[] = [];
      for (const panel of DASHBOARD.panels) {
        for (const { expr } of panel.targets) {
          const answer = await query(expr);
          expect(answer.status, `${panel.title}: ${expr}: ${answer.error}`).toBe('success');
          const values = answer.data?.result.map(({ value }) => Number(value[1])) ?? [];
          if (!values.some((value) => Number.isFinite(value))) missing.push(`${panel.title}: ${expr}`);
        }
      }
      return missing;
    };
    let missing = await empty();
    // Alerts need a few evaluations and rates two scrapes: give Prometheus a little longer if anything is empty.
    for (let attempt = 0; missing.length > 0 && attempt < 10; attempt += 1) {
      await settle(1_000);
      missing = await empty();
    }
    expect(missing).toEqual([]);

    const firing = await query('ALERTS{alertname="SarwatchDeadLetters", alertstate="firing"}');
    expect(firing.data?.result.map(({ metric }) => metric.reason)).toContain('invalid-json');
    for (const job of ['sarwatch', 'sarwatch-notifier']) {
      const up = await query(`up{job="${job}"}`);
      expect(up.data?.result[0]?.value[1], job).toBe('1');
    }
    expect(webhook.accepted().size).toBeGreaterThan(0);
  }, 120_000);
});
