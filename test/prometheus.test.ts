import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyReconciliation } from '@sarwatch/core';
import { startMetricsServer } from '@sarwatch/runtime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ReconcilerMetrics } from '../services/reconciler/src/metrics.js';
import type { WindowReconciliation } from '../services/reconciler/src/reconcile.js';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { Load } from './support/load.js';
import { pipelineFixture, settle } from './support/pipeline-fixture.js';
import { TEST_PORTS } from './support/ports.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { WebhookServer } from './support/webhook-server.js';

const ALERT_RULES = fileURLToPath(new URL('../infra/prometheus/alerts.yml', import.meta.url));
const RULES_TEXT = readFileSync(ALERT_RULES, 'utf8');
/** Rows carry no queries. */
const DASHBOARD = JSON.parse(
  readFileSync(new URL('../infra/grafana/dashboards/sarwatch.json', import.meta.url), 'utf8'),
) as { panels: { title: string; type: string; targets?: { expr: string }[] }[] };
const panelQueries = DASHBOARD.panels.flatMap(({ title, targets }) =>
  (targets ?? []).map(({ expr }) => ({ title, expr })),
);

/** The `expr:` lines of the rule file: alert expressions are single-line there on purpose. */
const ruleExpressions = RULES_TEXT.split('\n').flatMap((line) => /^\s+expr: (.+)$/.exec(line)?.[1] ?? []);
/** Each alert's expression, by alert name. */
const rules = new Map(
  [...RULES_TEXT.matchAll(/- alert: (\w+)\n\s+expr: (.+)/g)].map(([, name, expr]) => [
    name ?? '',
    expr ?? '',
  ]),
);

const RECONCILER_ALERTS = [
  'SarwatchEventsMissing',
  'SarwatchUnexpectedEvents',
  'SarwatchTrailFilesUnreadable',
  'SarwatchReconcileStalled',
  'SarwatchReconcileFailing',
];
const RECONCILER_JOB = 'sarwatch-reconciler';
const HOUR_MS = 3_600_000;
const reconcilerMetricsIn = (exprs: string[]) =>
  exprs.flatMap((expr) => expr.match(/\bsarwatch_reconcile_\w+/g) ?? []);

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

let prometheus: PrometheusServer | undefined;
let webhook: WebhookServer | undefined;
let reconcilerEndpoint: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
afterAll(async () => {
  await prometheus?.stop();
  await webhook?.stop();
  await reconcilerEndpoint?.close();
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
    expect(RECONCILER_ALERTS.filter((name) => !rules.has(name))).toEqual([]);
  });

  it("the reconciler's alerts and panels use only the metrics it exports, and show every one of them", () => {
    const exported = new Set(new ReconcilerMetrics().registry.getMetricsAsArray().map(({ name }) => name));
    const inRules = reconcilerMetricsIn([...rules.values()]);
    const inPanels = reconcilerMetricsIn(panelQueries.map(({ expr }) => expr));
    expect(inRules.filter((name) => !exported.has(name))).toEqual([]);
    expect(inPanels.filter((name) => !exported.has(name))).toEqual([]);
    expect([...exported].filter((name) => !inPanels.includes(name))).toEqual([]);
    for (const alert of RECONCILER_ALERTS) {
      expect(reconcilerMetricsIn([rules.get(alert) ?? '']), alert).not.toEqual([]);
    }
    const row = DASHBOARD.panels.findIndex(({ type, title }) => type === 'row' && title === 'Completeness');
    expect(row).toBeGreaterThanOrEqual(0);
    expect(
      reconcilerMetricsIn(
        DASHBOARD.panels.slice(0, row).flatMap(({ targets }) => (targets ?? []).map(({ expr }) => expr)),
      ),
    ).toEqual([]);
  });

  it('the reconciler stalls and fails by its alerts, but not when it restarts', () => {
    // promtool's clock starts at 0; one sample a minute. Windows of 1h are judged 30m after they end (--settle 30m).
    const lastEnd = 'sarwatch_reconcile_last_window_end_timestamp_seconds';
    const series = [
      // The first process judges the windows ending at 1h and 2h, then is replaced at 161m...
      {
        series: `${lastEnd}{job="${RECONCILER_JOB}",instance="a:9465"}`,
        values: '0x89 3600x59 7200x10 stale',
      },
      // ... by another, at 0 until it judges the window ending at 3h, at 210m; then it judges nothing more.
      { series: `${lastEnd}{job="${RECONCILER_JOB}",instance="b:9465"}`, values: '_x161 0x48 10800x200' },
      // It fails once at 231m (a retry then works), and every minute from 302m on.
      {
        series: `sarwatch_reconcile_failures_total{job="${RECONCILER_JOB}",instance="b:9465"}`,
        values: '0x230 1x70 2+1x108',
      },
    ];
    const fires = (alert: string, minute: number, labels: string | null) => ({
      expr: `count by (job, instance) (${rules.get(alert)})`,
      eval_time: `${minute}m`,
      exp_samples: labels === null ? [] : [{ labels, value: 1 }],
    });
    const stalled = `{job="${RECONCILER_JOB}"}`;
    const tests = {
      rule_files: [ALERT_RULES],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series,
          promql_expr_test: [
            // 200m: 2h since the first window's end, but the new process's 0 does not count.
            fires('SarwatchReconcileStalled', 200, null),
            fires('SarwatchReconcileStalled', 299, null),
            // every + settle + margin = 2h after 3h, the last window's end.
            fires('SarwatchReconcileStalled', 301, stalled),
            fires('SarwatchReconcileStalled', 400, stalled),
            fires('SarwatchReconcileFailing', 240, null),
            fires('SarwatchReconcileFailing', 320, '{instance="b:9465"}'),
          ],
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'sarwatch-promtool-'));
    try {
      // JSON is YAML.
      const file = join(dir, 'reconciler-alerts.test.yml');
      writeFileSync(file, JSON.stringify(tests));
      const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrapes a running enricher and notifier, and every dashboard query and alert expression parses and has data', async () => {
    // The reconciler's own metrics, as `reconcile --every --repair` exports them after an incomplete window; served
    // here rather than from a reconciler, which would need a trail in S3.
    const reconciler = new ReconcilerMetrics();
    const windowEnd = new Date(Math.floor((Date.now() - 30 * 60_000) / HOUR_MS) * HOUR_MS);
    reconciler.windowJudged(incompleteWindow(windowEnd), false);
    reconcilerEndpoint = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: reconciler.registry,
      readiness: () => ({ ready: true, reason: 'test' }),
      fatal: () => null,
    });
    prometheus = await startPrometheus(
      TEST_PORTS.prometheus,
      {
        sarwatch: [`127.0.0.1:${TEST_PORTS.scrapedMetrics}`],
        'sarwatch-notifier': [`127.0.0.1:${TEST_PORTS.scrapedNotifierMetrics}`],
        [RECONCILER_JOB]: [reconcilerEndpoint.address],
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
      for (const { title, expr } of panelQueries) {
        const answer = await query(expr);
        expect(answer.status, `${title}: ${expr}: ${answer.error}`).toBe('success');
        const values = answer.data?.result.map(({ value }) => Number(value[1])) ?? [];
        if (!values.some((value) => Number.isFinite(value))) missing.push(`${title}: ${expr}`);
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
    for (const job of ['sarwatch', 'sarwatch-notifier', RECONCILER_JOB]) {
      const up = await query(`up{job="${job}"}`);
      expect(up.data?.result[0]?.value[1], job).toBe('1');
    }
    expect(webhook.accepted().size).toBeGreaterThan(0);

    const alerts = (
      (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {
        data: {
          alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[];
        };
      }
    ).data.alerts.filter(({ labels }) => labels.job === RECONCILER_JOB);
    expect(
      alerts.map(({ labels, state }) => `${labels.alertname} ${labels.severity} ${state}`).sort(),
    ).toEqual([
      'SarwatchEventsMissing warning firing',
      'SarwatchTrailFilesUnreadable warning firing',
      'SarwatchUnexpectedEvents critical firing',
    ]);
    const injected = alerts.find(({ labels }) => labels.alertname === 'SarwatchUnexpectedEvents');
    expect(injected?.annotations.summary).toMatch(/^2 events/);
    // The window to reconcile again, in the form --to takes.
    expect(injected?.annotations.description).toContain(
      `window ending ${windowEnd.toISOString().replace('.000Z', 'Z')}`,
    );
  }, 120_000);
});

/** A window as `reconcile --every --repair` judges it: 3 missing (2 repaired), 2 unexpected, a file unreadable. */
function incompleteWindow(to: Date): WindowReconciliation {
  const unreadable = [
    { key: 'AWSLogs/111122223333/CloudTrail/eu-west-1/broken.json.gz', reason: 'truncated' },
  ];
  return {
    window: { from: new Date(to.getTime() - HOUR_MS), to },
    reconciliation: {
      ...emptyReconciliation(),
      counts: { expected: 40, indexed: 39, matched: 37, deadLettered: 1, missing: 3, unexpected: 2 },
    },
    trail: { files: 12, records: 40, delivered: 40, unreadable },
    repair: {
      files: 12,
      records: 40,
      delivered: 40,
      alreadyHandled: 37,
      published: 2,
      deadLettered: 0,
      alerts: 0,
      unreadable,
    },
    unrepaired: 1,
  };
}
