import type { Alert } from '@sarwatch/core';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { NotifierMetrics } from './alert-notifier.js';

/** The notifier's metrics; labels are the result enums and the contract's severities. */
export class NotifierPrometheusMetrics implements NotifierMetrics {
  readonly registry = new Registry();
  private readonly attempts = new Counter({
    name: 'sarwatch_notifier_webhook_attempts_total',
    help: 'POSTs of an alert to the webhook, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly webhookSeconds = new Histogram({
    name: 'sarwatch_notifier_webhook_seconds',
    help: 'Time for the webhook to answer one POST (or fail to)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'sarwatch_notifier_alerts_total',
    help: 'Alerts settled: delivered to the webhook, or moved to the dead-letter topic',
    labelNames: ['outcome', 'severity'],
    registers: [this.registry],
  });
  private readonly attemptsPerAlert = new Histogram({
    name: 'sarwatch_notifier_attempts_per_alert',
    help: 'POSTs it took to settle an alert',
    buckets: [1, 2, 3, 5, 10, 20, 50],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sarwatch_notifier_' });
    for (const result of ['delivered', 'retry', 'refused']) this.attempts.inc({ result }, 0);
  }

  attempted(result: 'delivered' | 'retry' | 'refused', seconds: number): void {
    this.attempts.inc({ result });
    this.webhookSeconds.observe(seconds);
  }

  settled(outcome: 'delivered' | 'dead-lettered', alert: Alert, attempts: number): void {
    this.alerts.inc({ outcome, severity: alert.severity });
    this.attemptsPerAlert.observe(attempts);
  }
}
