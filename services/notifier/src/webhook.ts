import type { Alert } from '@sarwatch/core';
import { toSlackMessage } from './slack-message.js';

/** What one POST of an alert came to. */
export type WebhookResult =
  | { outcome: 'delivered'; status: number }
  /** Worth trying again: the endpoint is down, overloaded, slow, or asks to wait (`retryAfterMs`). */
  | { outcome: 'retry'; reason: string; retryAfterMs: number | null }
  /** The endpoint refuses this request as it is (a 4xx other than 408 and 429); sending it again cannot help. */
  | { outcome: 'refused'; reason: string };

export interface Webhook {
  post(alert: Alert, signal: AbortSignal): Promise<WebhookResult>;
}

/** Posts alerts as Slack-compatible JSON with Node's fetch. */
export class HttpWebhook implements Webhook {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async post(alert: Alert, signal: AbortSignal): Promise<WebhookResult> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'sarwatch-notifier',
          // The same on every attempt: endpoints that keep it can drop a repeat after a lost response.
          'idempotency-key': alert.alertId,
          'x-sarwatch-alert-id': alert.alertId,
          'x-sarwatch-severity': alert.severity,
        },
        body: JSON.stringify(toSlackMessage(alert)),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
        redirect: 'error',
      });
    } catch (error) {
      const cause = (error as Error).cause as { code?: string } | undefined;
      return {
        outcome: 'retry',
        reason: `${(error as Error).message}${cause?.code ? ` (${cause.code})` : ''}`,
        retryAfterMs: null,
      };
    }
    // The body is not needed, but reading it lets the connection be reused.
    const text = await response.text().catch(() => '');
    if (response.ok) return { outcome: 'delivered', status: response.status };
    const reason = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      return { outcome: 'retry', reason, retryAfterMs: retryAfter(response.headers.get('retry-after')) };
    }
    return { outcome: 'refused', reason };
  }
}

/** Retry-After in seconds, or as an HTTP date; null when absent or unreadable. */
function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
