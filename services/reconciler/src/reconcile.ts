import {
  type Delivery,
  daySlices,
  type EventBridgeEnvelope,
  type ExpectedEvent,
  emptyReconciliation,
  mergeReconciliations,
  type Reconciliation,
  reconcile,
  type TimeWindow,
} from '@sarwatch/core';
import type { Logger } from '@sarwatch/runtime';
import type { Kafka } from 'kafkajs';
import { type BackfillDeps, type BackfillResult, backfill } from './backfill.js';
import { readIndexedEvents } from './kafka/event-index.js';
import { alertOnUnexpected } from './kafka/unexpected-alerts.js';
import type { TrailContext } from './main.js';
import type { TrailBucket } from './s3/trail-bucket.js';
import { deliveredTrailEvents, type TrailReading } from './trail-events.js';

export interface ReconcileDeps {
  kafka: Kafka;
  indexTopic: string;
  deliver: (event: EventBridgeEnvelope) => Delivery;
  lateDeliveryMs: number;
  log: Logger;
}

export interface WindowReconciliation {
  window: TimeWindow;
  reconciliation: Reconciliation;
  trail: TrailReading;
  /** With --repair: what the repair did. */
  repair?: BackfillResult;
  /** Missing events the repair could not publish. */
  unrepaired: number;
  /** Alerts raised for the unexpected events. */
  alertsRaised?: number;
}

/** Compares the trail with the event index, day by day so that one day's events are held at a time. */
export async function reconcileWindow(
  deps: ReconcileDeps,
  window: TimeWindow,
  bucketForSlice: (slice: TimeWindow) => TrailBucket,
  signal: AbortSignal,
): Promise<WindowReconciliation> {
  const total = emptyReconciliation();
  const trail: TrailReading = { files: 0, records: 0, delivered: 0, unreadable: [] };
  for (const slice of daySlices(window)) {
    signal.throwIfAborted();
    const indexed = await readIndexedEvents(deps.kafka, deps.indexTopic, slice, deps.log, signal);
    const expected: ExpectedEvent[] = [];
    const events = deliveredTrailEvents(
      bucketForSlice(slice),
      slice,
      deps.deliver,
      trail,
      deps.lateDeliveryMs,
      signal,
    );
    for await (const { id, time, name, account, region } of events)
      expected.push({ id, time, name, account, region });
    mergeReconciliations(total, reconcile(expected, indexed.values()));
  }
  return { window, reconciliation: total, trail, unrepaired: total.counts.missing };
}

/** Publishes the missing events once each, exactly as a backfill does, and counts what is still missing after. */
export async function repairWindow(
  deps: BackfillDeps,
  found: WindowReconciliation,
  bucketForSlice: (slice: TimeWindow) => TrailBucket,
  signal: AbortSignal,
): Promise<WindowReconciliation> {
  const missing = found.reconciliation.missing;
  if (missing.length === 0) return { ...found, unrepaired: 0 };
  const onlyIds = new Set(missing.map(({ id }) => id));
  // Only the days that have missing events are read again.
  const days = new Set(missing.map(({ time }) => time.slice(0, 10)));
  let repair: BackfillResult | undefined;
  for (const slice of daySlices(found.window)) {
    if (!days.has(slice.from.toISOString().slice(0, 10))) continue;
    const done = await backfill(deps, { window: slice, bucketForSlice, dryRun: false, onlyIds }, signal);
    repair = repair === undefined ? done : addUp(repair, done);
  }
  const handled = (repair?.published ?? 0) + (repair?.deadLettered ?? 0) + (repair?.alreadyHandled ?? 0);
  return { ...found, repair, unrepaired: Math.max(0, missing.length - handled) };
}

function addUp(a: BackfillResult, b: BackfillResult): BackfillResult {
  return {
    files: a.files + b.files,
    records: a.records + b.records,
    delivered: a.delivered + b.delivered,
    alreadyHandled: a.alreadyHandled + b.alreadyHandled,
    published: a.published + b.published,
    deadLettered: a.deadLettered + b.deadLettered,
    alerts: a.alerts + b.alerts,
    unreadable: [...a.unreadable, ...b.unreadable],
  };
}

/**
 * Compares one window; repairs it when asked, and raises the alerts for unexpected events when asked (the service
 * does, as it judges each window once; a one-off check only reports).
 */
export async function judgeWindow(
  context: TrailContext,
  window: TimeWindow,
  act: { repair: boolean; alert: boolean },
  signal: AbortSignal,
): Promise<WindowReconciliation> {
  let found = await reconcileWindow(context.reconcileDeps, window, context.bucketForSlice, signal);
  const { missing, unexpected } = found.reconciliation.counts;
  if (!((act.repair && missing > 0) || (act.alert && unexpected > 0))) return found;
  const { deps, writer } = await context.publishing(signal);
  if (act.repair) found = await repairWindow(deps, found, context.bucketForSlice, signal);
  if (act.alert) {
    const alertsRaised = await alertOnUnexpected(
      {
        kafka: context.kafka,
        eventsTopic: context.config.KAFKA_EVENTS_TOPIC,
        alertsTopic: context.config.KAFKA_ALERTS_TOPIC,
        rules: context.alertRules,
        publish: (messages) => writer.publish(messages),
        log: context.log,
      },
      found.reconciliation.unexpected,
      signal,
    );
    found = { ...found, alertsRaised };
  }
  return found;
}
