import { Counter, Gauge, Registry } from 'prom-client';
import type { WindowReconciliation } from './reconcile.js';

/** What `sarwatch reconcile --every` exports: how far it has judged, and what it found in the last window. */
export class ReconcilerMetrics {
  readonly registry = new Registry();
  private readonly lastWindowEnd = new Gauge({
    name: 'sarwatch_reconcile_last_window_end_timestamp_seconds',
    help: 'End of the last window reconciled (Unix time); every event before it has been judged',
    registers: [this.registry],
  });
  private readonly missing = new Gauge({
    name: 'sarwatch_reconcile_missing_events',
    help: 'Trail events the rule delivers that sarwatch had not handled, in the last window reconciled',
    registers: [this.registry],
  });
  private readonly unrepaired = new Gauge({
    name: 'sarwatch_reconcile_unrepaired_events',
    help: 'Missing events of the last window still not published after its repair (equal to missing without --repair)',
    registers: [this.registry],
  });
  private readonly unexpected = new Gauge({
    name: 'sarwatch_reconcile_unexpected_events',
    help: 'Events sarwatch handled that the trail does not have, in the last window reconciled: possibly injected',
    registers: [this.registry],
  });
  private readonly unreadableFiles = new Gauge({
    name: 'sarwatch_reconcile_unreadable_files',
    help: 'Trail files of the last window that could not be read (malformed, truncated)',
    registers: [this.registry],
  });
  private readonly windows = new Counter({
    name: 'sarwatch_reconcile_windows_total',
    help: 'Windows reconciled, by result: complete, or incomplete (missing, unexpected or unreadable)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly missingTotal = new Counter({
    name: 'sarwatch_reconcile_missing_events_total',
    help: 'Missing events found, over all windows',
    registers: [this.registry],
  });
  private readonly unexpectedTotal = new Counter({
    name: 'sarwatch_reconcile_unexpected_events_total',
    help: 'Unexpected events found, over all windows',
    registers: [this.registry],
  });
  private readonly repaired = new Counter({
    name: 'sarwatch_reconcile_repaired_events_total',
    help: 'Missing events published from the trail by repairs',
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'sarwatch_reconcile_failures_total',
    help: 'Reconciliations that failed before judging their window (S3 or Kafka errors); the window is tried again',
    registers: [this.registry],
  });

  constructor() {
    // Both results show from the start, so a rate over the first window of either is not lost.
    for (const result of ['complete', 'incomplete']) this.windows.inc({ result }, 0);
  }

  windowJudged(found: WindowReconciliation, complete: boolean): void {
    const { counts } = found.reconciliation;
    this.lastWindowEnd.set(found.window.to.getTime() / 1_000);
    this.missing.set(counts.missing);
    this.unrepaired.set(found.unrepaired);
    this.unexpected.set(counts.unexpected);
    this.unreadableFiles.set(found.trail.unreadable.length);
    this.windows.inc({ result: complete ? 'complete' : 'incomplete' });
    this.missingTotal.inc(counts.missing);
    this.unexpectedTotal.inc(counts.unexpected);
    this.repaired.inc(found.repair?.published ?? 0);
  }

  failed(): void {
    this.failures.inc();
  }
}
