import {
  type Alert,
  AlertEngine,
  type CloudTrailRecord,
  enrich,
  parseAlertRules,
  SAMPLE_EVENTS,
  toAlert,
} from '@sarwatch/core';
import type { Delivery } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { AlertNotifier } from './alert-notifier.js';
import { toSlackMessage } from './slack-message.js';
import type { Webhook, WebhookResult } from './webhook.js';

const log = createLogger({ name: 'test', level: 'silent', format: 'json' });

function sampleAlert(): Alert {
  const parsed = parseAlertRules({
    version: 1,
    rules: [
      {
        id: 'policy-changed',
        title: 'Policy <changed> & shared',
        severity: 'high',
        why: 'Other accounts may deploy it now.',
        match: { eventName: ['PutApplicationPolicy'] },
      },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const event = enrich({ ...(SAMPLE_EVENTS[0]?.event.detail as CloudTrailRecord), eventID: 'e-1' });
  const [fired] = new AlertEngine(parsed.rules).evaluate(event, 0).fired;
  if (!fired) throw new Error('the rule did not fire');
  return toAlert(fired, new Date('2026-11-23T10:00:01Z'));
}

/** A webhook that answers from a script, one result per POST, and records when each came. */
class ScriptedWebhook implements Webhook {
  readonly calls: number[] = [];
  constructor(private readonly script: WebhookResult[]) {}
  async post(): Promise<WebhookResult> {
    this.calls.push(Date.now());
    return this.script.shift() ?? { outcome: 'delivered', status: 200 };
  }
}

function notifierWith(webhook: Webhook, giveUpAfterMs = 60_000) {
  const deadLettered: { alertId: string; reason: string; attempts: number }[] = [];
  const settled: string[] = [];
  const notifier = new AlertNotifier(
    webhook,
    {
      put: async (alert, _delivery, reason, attempts) =>
        void deadLettered.push({ alertId: alert.alertId, reason, attempts }),
    },
    { attempted: () => {}, settled: (outcome) => void settled.push(outcome) },
    { retry: { initialMs: 10, maxMs: 50 }, giveUpAfterMs },
    log,
  );
  return { notifier, deadLettered, settled };
}

const delivery = (signal = new AbortController().signal): Delivery => ({
  topic: 'alerts',
  partition: 0,
  offset: '7',
  key: null,
  headers: {},
  heartbeat: async () => {},
  signal,
});

describe('AlertNotifier', () => {
  it('retries what is worth retrying until the webhook takes the alert', async () => {
    const webhook = new ScriptedWebhook([
      { outcome: 'retry', reason: 'HTTP 503', retryAfterMs: null },
      { outcome: 'retry', reason: 'ECONNREFUSED', retryAfterMs: null },
    ]);
    const { notifier, deadLettered, settled } = notifierWith(webhook);
    await notifier.notify(sampleAlert(), delivery());
    expect(webhook.calls).toHaveLength(3);
    expect(settled).toEqual(['delivered']);
    expect(deadLettered).toEqual([]);
  });

  it('waits as long as Retry-After asks, within the longest backoff', async () => {
    const webhook = new ScriptedWebhook([{ outcome: 'retry', reason: 'HTTP 429', retryAfterMs: 40 }]);
    await notifierWith(webhook).notifier.notify(sampleAlert(), delivery());
    expect((webhook.calls[1] ?? 0) - (webhook.calls[0] ?? 0)).toBeGreaterThanOrEqual(38);
  });

  it('dead-letters at once an alert the webhook refuses', async () => {
    const webhook = new ScriptedWebhook([{ outcome: 'refused', reason: 'HTTP 400: invalid_payload' }]);
    const { notifier, deadLettered, settled } = notifierWith(webhook);
    await notifier.notify(sampleAlert(), delivery());
    expect(deadLettered).toEqual([
      { alertId: 'policy-changed:e-1', reason: 'HTTP 400: invalid_payload', attempts: 1 },
    ]);
    expect(settled).toEqual(['dead-lettered']);
  });

  it('dead-letters an alert still undelivered when the give-up time has passed', async () => {
    const failing = Array.from(
      { length: 1_000 },
      (): WebhookResult => ({ outcome: 'retry', reason: 'HTTP 502', retryAfterMs: null }),
    );
    const webhook = new ScriptedWebhook(failing);
    const { notifier, deadLettered } = notifierWith(webhook, 200);
    await notifier.notify(sampleAlert(), delivery());
    expect(deadLettered).toHaveLength(1);
    expect(deadLettered[0]?.attempts).toBeGreaterThan(2);
    expect(deadLettered[0]?.attempts).toBe(webhook.calls.length);
  });

  it('gives the alert back, unsettled, when the subscription stops', async () => {
    const stop = new AbortController();
    const webhook = new ScriptedWebhook([{ outcome: 'retry', reason: 'HTTP 503', retryAfterMs: null }]);
    const { notifier, deadLettered, settled } = notifierWith(webhook);
    stop.abort();
    await expect(notifier.notify(sampleAlert(), delivery(stop.signal))).rejects.toThrow(/stopping/);
    expect([deadLettered, settled]).toEqual([[], []]);
  });
});

describe('toSlackMessage', () => {
  it('leads with severity, title and summary, escapes Slack markup, and names the rule and events', () => {
    const message = toSlackMessage(sampleAlert());
    expect(message.text).toBe(
      '[HIGH] Policy &lt;changed&gt; &amp; shared: arn:aws:iam::123456789012:user/publisher ' +
        '(IAMUser, human, API, long-term key) PutApplicationPolicy on thumbnail-generator, now public [123456789012 us-east-1]',
    );
    const rendered = JSON.stringify(message.blocks);
    expect(rendered).toContain('*[HIGH] Policy &lt;changed&gt; &amp; shared*');
    expect(rendered).toContain('rule policy-changed · event e-1');
    expect(JSON.stringify(message)).not.toContain('<changed>');
  });
});
