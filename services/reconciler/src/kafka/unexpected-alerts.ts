import {
  AlertEngine,
  type AlertRule,
  EnrichedEventSchema,
  type IndexedEvent,
  isReconciliationRule,
  toAlert,
} from '@sarwatch/core';
import { alertMessage, type OutboundMessage } from '@sarwatch/enricher';
import { messageJson, readTopicRange } from '@sarwatch/kafka';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka } from 'kafkajs';

export interface UnexpectedAlertsDeps {
  kafka: Kafka;
  eventsTopic: string;
  alertsTopic: string;
  rules: readonly AlertRule[];
  publish: (messages: readonly OutboundMessage[]) => Promise<void>;
  log: Logger;
}

/**
 * Raises the rules that ask for `context.reconciliation` on the events the trail lacks. Their enriched form is read
 * back from the events topic: each was published no earlier than its index message's timestamp, so the read
 * starts there. An event gone from the events topic (retention) raises nothing and is logged; its id is still in
 * the report and the metrics.
 */
export async function alertOnUnexpected(
  deps: UnexpectedAlertsDeps,
  unexpected: readonly IndexedEvent[],
  signal: AbortSignal,
): Promise<number> {
  const rules = deps.rules.filter(isReconciliationRule);
  if (rules.length === 0 || unexpected.length === 0) return 0;
  const wanted = new Set(unexpected.map(({ id }) => id));
  const fromMs = Math.min(...unexpected.map(({ stampedMs, time }) => stampedMs ?? Date.parse(time)));
  const engine = new AlertEngine(rules);
  const messages: OutboundMessage[] = [];
  await readTopicRange(deps.kafka, {
    topic: deps.eventsTopic,
    fromTimestampMs: Number.isFinite(fromMs) ? fromMs : undefined,
    signal,
    onMessage: (message) => {
      const event = EnrichedEventSchema.safeParse(messageJson(message.value));
      if (!event.success || !wanted.delete(event.data.eventId)) return;
      const now = Date.now();
      for (const fired of engine.evaluate(event.data, now, { reconciliation: 'unexpected' }).fired) {
        messages.push(alertMessage(toAlert(fired, new Date(now)), deps.alertsTopic));
      }
    },
  });
  if (wanted.size > 0) {
    deps.log.warn(
      { eventIds: [...wanted] },
      'unexpected events no longer on the events topic raise no alert',
    );
  }
  if (messages.length > 0) await deps.publish(messages);
  return messages.length;
}
