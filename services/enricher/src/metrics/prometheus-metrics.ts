import { type AlertRule, DEAD_LETTER_REASONS, isKnownSarEventName } from '@sarwatch/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertRulesMetrics } from '../alerts/live-alert-rules.js';
import type { CommittedPage, PageInFlight, PipelineMetrics } from '../ports.js';

/** Plain totals for the periodic progress log line and for tests; Prometheus has the full breakdown. */
export interface MetricsSnapshot {
  recordsRead: number;
  eventsPublished: number;
  deadLetters: number;
  duplicatesDropped: number;
  stalls: number;
  fenced: number;
  reacquired: number;
  shardsOwned: number;
  alerts: number;
}

const EVENT_LABELS = ['event_name', 'identity_type', 'actor', 'severity'] as const;
type EventLabel = (typeof EVENT_LABELS)[number];

/**
 * The pipeline's metrics in Prometheus form, on a registry of their own. Every label has a bounded set of values:
 * shard ids (as many as the stream has), known SAR event names or `other`, and the contract's enums.
 */
export class PrometheusMetrics implements PipelineMetrics, AlertRulesMetrics {
  readonly registry = new Registry();
  private readonly totals: MetricsSnapshot = {
    recordsRead: 0,
    eventsPublished: 0,
    deadLetters: 0,
    duplicatesDropped: 0,
    stalls: 0,
    fenced: 0,
    reacquired: 0,
    shardsOwned: 0,
    alerts: 0,
  };
  private readonly owned = new Set<string>();

  private readonly recordsRead = this.counter('sarwatch_records_read_total', 'Kinesis records read', [
    'shard',
  ]);
  private readonly events = this.counter(
    'sarwatch_events_published_total',
    'Enriched events committed to Kafka',
    [...EVENT_LABELS],
  );
  private readonly deadLetters = this.counter('sarwatch_dead_letters_total', 'Records committed to the DLQ', [
    'reason',
  ]);
  private readonly duplicates = this.counter(
    'sarwatch_duplicates_dropped_total',
    'Events dropped because their CloudTrail eventID was already published',
    [],
  );
  private readonly alerts = this.counter(
    'sarwatch_alerts_total',
    'Alerts committed to the alerts topic, by rule id (from the rules file) and severity',
    ['rule', 'severity'],
  );
  private readonly alertsSuppressed = this.counter(
    'sarwatch_alert_matches_suppressed_total',
    "Rule matches that raised no alert because their dedup key fired within the rule's suppression window",
    [],
  );
  private readonly alertRules = this.gauge('sarwatch_alert_rules', 'Enabled alert rules in force', []);
  private readonly alertRuleReloads = this.counter(
    'sarwatch_alert_rules_reloads_total',
    'Alert rules files loaded, or rejected (the rules in force then stay)',
    ['result'],
  );
  private readonly stalls = this.counter(
    'sarwatch_shard_stalls_total',
    'Shard steps abandoned by the watchdog',
    ['shard'],
  );
  private readonly fencings = this.counter(
    'sarwatch_shard_fenced_total',
    'Shards lost to a newer holder (another instance took them over)',
    ['shard'],
  );
  private readonly reacquisitions = this.counter(
    'sarwatch_shard_reacquired_total',
    'Times a shard was acquired again after a Kafka failure',
    ['shard'],
  );
  private readonly ownershipChanges = this.counter(
    'sarwatch_ownership_changes_total',
    'Shards acquired or released by this instance',
    ['change'],
  );
  private readonly shardsOwned = this.gauge(
    'sarwatch_shards_owned',
    'Shards this instance holds a lease on',
    [],
  );
  private readonly recordsInFlight = this.gauge(
    'sarwatch_in_flight_records',
    'Records read from Kinesis and not yet committed to Kafka or given up (at most MAX_IN_FLIGHT_RECORDS)',
    [],
  );
  private readonly bytesInFlight = this.gauge(
    'sarwatch_in_flight_bytes',
    'Data bytes of the records in flight: what memory grows with in a backlog (README, How the enricher behaves)',
    [],
  );
  private readonly behind = this.gauge(
    'sarwatch_millis_behind_latest',
    'MillisBehindLatest of the last page read, per shard',
    ['shard'],
  );
  private readonly newestEventAge = this.gauge(
    'sarwatch_newest_event_age_seconds',
    'From the newest committed event eventTime to its commit, per shard',
    ['shard'],
  );
  private readonly rememberedIdBytes = this.gauge(
    'sarwatch_remembered_id_bytes',
    'Memory the ids remembered to drop upstream duplicates take, per shard (at most DEDUP_MAX_IDS_PER_SHARD of them)',
    ['shard'],
  );
  private readonly lastCheckpoint = this.gauge(
    'sarwatch_last_checkpoint_timestamp_seconds',
    'When each shard last committed a checkpoint (Unix time); time() minus it is the checkpoint age',
    ['shard'],
  );
  private readonly transactionSeconds = new Histogram({
    name: 'sarwatch_kafka_transaction_seconds',
    help: 'Time to send a page and commit its Kafka transaction',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly batchRecords = new Histogram({
    name: 'sarwatch_batch_records',
    help: 'Records per committed page',
    buckets: [1, 10, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sarwatch_' });
    // Series that exist from the start read as 0, not as "no data": rate() and alerts work before the first one.
    for (const reason of DEAD_LETTER_REASONS) this.deadLetters.inc({ reason }, 0);
    for (const change of ['acquired', 'released']) this.ownershipChanges.inc({ change }, 0);
    for (const result of ['loaded', 'rejected']) this.alertRuleReloads.inc({ result }, 0);
    this.alertsSuppressed.inc(0);
  }

  rulesLoaded(rules: readonly AlertRule[]): void {
    const enabled = rules.filter((rule) => rule.enabled);
    for (const rule of enabled) this.alerts.inc({ rule: rule.id, severity: rule.severity }, 0);
    this.alertRules.set(enabled.length);
    this.alertRuleReloads.inc({ result: 'loaded' });
  }

  rulesRejected(): void {
    this.alertRuleReloads.inc({ result: 'rejected' });
  }

  snapshot(): MetricsSnapshot {
    return { ...this.totals, shardsOwned: this.owned.size };
  }

  pageRead(
    shardId: string,
    { records, bytes, millisBehindLatest }: PageInFlight & { millisBehindLatest: number },
  ): void {
    this.recordsRead.inc({ shard: shardId }, records);
    this.totals.recordsRead += records;
    this.behind.set({ shard: shardId }, millisBehindLatest);
    this.recordsInFlight.inc(records);
    this.bytesInFlight.inc(bytes);
  }

  pageReleased({ records, bytes }: PageInFlight): void {
    this.recordsInFlight.dec(records);
    this.bytesInFlight.dec(bytes);
  }

  pageCommitted(shardId: string, page: CommittedPage): void {
    const now = Date.now();
    this.lastCheckpoint.set({ shard: shardId }, now / 1000);
    if (page.transactionSeconds !== null) this.transactionSeconds.observe(page.transactionSeconds);
    this.rememberedIdBytes.set({ shard: shardId }, page.rememberedIdBytes);
    if (page.records > 0) this.batchRecords.observe(page.records);
    let newest = Number.NEGATIVE_INFINITY;
    // Counted per series first: prom-client checks the labels of every call and hashes them into a new string (315
    // bytes per event in a drain's sampling heap profile), where a page of 500 events has a few dozen series.
    const series = new Map<string, { labels: Record<EventLabel, string>; events: number }>();
    for (const event of page.events) {
      const eventName = isKnownSarEventName(event.eventName) ? event.eventName : 'other';
      const key = `${eventName} ${event.identityType} ${event.actor} ${event.severity}`;
      const counted = series.get(key);
      if (counted) counted.events += 1;
      else {
        const labels = {
          event_name: eventName,
          identity_type: event.identityType,
          actor: event.actor,
          severity: event.severity,
        };
        series.set(key, { labels, events: 1 });
      }
      newest = Math.max(newest, Date.parse(event.eventTime));
    }
    for (const { labels, events } of series.values()) this.events.inc(labels, events);
    if (Number.isFinite(newest))
      this.newestEventAge.set({ shard: shardId }, Math.max(0, (now - newest) / 1000));
    for (const [reason, count] of page.deadLetters) {
      this.deadLetters.inc({ reason }, count);
      this.totals.deadLetters += count;
    }
    if (page.duplicates > 0) this.duplicates.inc(page.duplicates);
    for (const alert of page.alerts) this.alerts.inc({ rule: alert.ruleId, severity: alert.severity });
    if (page.alertsSuppressed > 0) this.alertsSuppressed.inc(page.alertsSuppressed);
    this.totals.alerts += page.alerts.length;
    this.totals.eventsPublished += page.events.length;
    this.totals.duplicatesDropped += page.duplicates;
  }

  shardAcquired(shardId: string): void {
    for (const counter of [this.stalls, this.fencings, this.reacquisitions])
      counter.inc({ shard: shardId }, 0);
    this.owned.add(shardId);
    this.shardsOwned.set(this.owned.size);
    this.ownershipChanges.inc({ change: 'acquired' });
  }

  shardReleased(shardId: string): void {
    if (!this.owned.delete(shardId)) return;
    this.shardsOwned.set(this.owned.size);
    this.ownershipChanges.inc({ change: 'released' });
    // A shard held elsewhere now: its last values here would only mislead.
    this.behind.remove({ shard: shardId });
    this.newestEventAge.remove({ shard: shardId });
    this.rememberedIdBytes.remove({ shard: shardId });
  }

  stalled(shardId: string): void {
    this.stalls.inc({ shard: shardId });
    this.totals.stalls += 1;
  }

  fenced(shardId: string): void {
    this.fencings.inc({ shard: shardId });
    this.totals.fenced += 1;
  }

  reacquired(shardId: string): void {
    this.reacquisitions.inc({ shard: shardId });
    this.totals.reacquired += 1;
  }

  private counter<Label extends string>(name: string, help: string, labelNames: readonly Label[]) {
    return new Counter<Label>({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<Label extends string>(name: string, help: string, labelNames: readonly Label[]) {
    return new Gauge<Label>({ name, help, labelNames, registers: [this.registry] });
  }
}
