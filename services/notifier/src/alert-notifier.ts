import type { Alert } from '@sarwatch/core';
import type { Delivery } from '@sarwatch/kafka';
import { Backoff, type Logger, sleep } from '@sarwatch/runtime';
import type { Webhook } from './webhook.js';

/** Where an alert the webhook will not take goes, with the reason, so nothing is dropped silently. */
export interface UndeliverableAlerts {
  put(alert: Alert, delivery: Delivery, reason: string, attempts: number): Promise<void>;
}

export interface NotifierMetrics {
  attempted(result: 'delivered' | 'retry' | 'refused', seconds: number): void;
  settled(outcome: 'delivered' | 'dead-lettered', alert: Alert, attempts: number): void;
}

export interface AlertNotifierOptions {
  retry: { initialMs: number; maxMs: number };
  giveUpAfterMs: number;
}

/**
 * Delivers one alert: POSTs it until the webhook takes it, backing off between attempts (longer when the endpoint
 * asks), and dead-letters it when the endpoint refuses it or it is still undelivered after `giveUpAfterMs`.
 * Resolving means the alert is settled and its offset may be committed; on shutdown it throws instead, so the
 * alert is delivered after the restart.
 */
export class AlertNotifier {
  constructor(
    private readonly webhook: Webhook,
    private readonly undeliverable: UndeliverableAlerts,
    private readonly metrics: NotifierMetrics,
    private readonly options: AlertNotifierOptions,
    private readonly log: Logger,
  ) {}

  async notify(alert: Alert, delivery: Delivery): Promise<void> {
    const startedAt = Date.now();
    const backoff = new Backoff(this.options.retry);
    for (let attempt = 1; ; attempt += 1) {
      const attemptStart = performance.now();
      const result = await this.webhook.post(alert, delivery.signal);
      this.metrics.attempted(result.outcome, (performance.now() - attemptStart) / 1000);
      if (result.outcome === 'delivered') {
        this.metrics.settled('delivered', alert, attempt);
        // Routine deliveries are for debugging; one that took retries closes the warnings above it.
        this.log[attempt === 1 ? 'debug' : 'info'](
          { alertId: alert.alertId, attempts: attempt },
          'alert delivered',
        );
        return;
      }
      if (delivery.signal.aborted) throw new Error('stopping before the alert was delivered');
      const wait = Math.min(
        this.options.retry.maxMs,
        Math.max(backoff.next(), result.outcome === 'retry' ? (result.retryAfterMs ?? 0) : 0),
      );
      const giveUp =
        result.outcome === 'refused' || Date.now() + wait - startedAt > this.options.giveUpAfterMs;
      if (giveUp) {
        await this.undeliverable.put(alert, delivery, result.reason, attempt);
        this.metrics.settled('dead-lettered', alert, attempt);
        this.log.error(
          { alertId: alert.alertId, attempts: attempt, reason: result.reason },
          'alert not delivered; moved to the dead-letter topic',
        );
        return;
      }
      this.log.warn(
        { alertId: alert.alertId, attempt, reason: result.reason, retryInMs: wait },
        'webhook did not take the alert; trying again',
      );
      await sleep(wait, delivery.signal);
      if (delivery.signal.aborted) throw new Error('stopping before the alert was delivered');
      // A long outage must not cost the partition: the group would hand it, and this alert, to another member.
      await delivery.heartbeat();
    }
  }
}
