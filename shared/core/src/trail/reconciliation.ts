import type { EventIndexEntry, EventIndexRecord } from '../contract/event-index.js';

/** A trail event our rule would have delivered: what the events topic should hold. */
export interface ExpectedEvent {
  id: string;
  time: string;
  name: string;
  account: string | null;
  region: string;
}

/** An index entry, with where it came from and its index message's timestamp (epoch ms) when known. */
export type IndexedEvent = EventIndexEntry & { origin: EventIndexRecord['origin']; stampedMs?: number };

export interface Breakdown {
  day: Record<string, number>;
  account: Record<string, number>;
  region: Record<string, number>;
  eventName: Record<string, number>;
}

export interface ReconciliationCounts {
  /** Trail events the rule delivers, in the window. */
  expected: number;
  /** Index entries in the window. */
  indexed: number;
  /** Expected events the index holds: published, or dead-lettered with their reason. */
  matched: number;
  deadLettered: number;
  missing: number;
  unexpected: number;
}

/** What one comparison found; `missing` and `unexpected` hold whole events so a repair can republish them. */
export interface Reconciliation {
  counts: ReconciliationCounts;
  missing: ExpectedEvent[];
  unexpected: IndexedEvent[];
  missingBy: Breakdown;
  unexpectedBy: Breakdown;
}

const emptyBreakdown = (): Breakdown => ({ day: {}, account: {}, region: {}, eventName: {} });

function count(
  breakdown: Breakdown,
  event: { time: string; name: string; account: string | null; region: string },
) {
  const add = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  add(breakdown.day, /^\d{4}-\d{2}-\d{2}/.exec(event.time)?.[0] ?? 'unknown');
  add(breakdown.account, event.account ?? 'unknown');
  add(breakdown.region, event.region);
  add(breakdown.eventName, event.name);
}

/**
 * Compares the events the trail says the stream should have carried with those sarwatch handled, by CloudTrail
 * eventID. Both sides are one window's; an id on both sides matches whatever else differs.
 */
export function reconcile(
  expected: Iterable<ExpectedEvent>,
  indexed: Iterable<IndexedEvent>,
): Reconciliation {
  const byId = new Map<string, IndexedEvent>();
  for (const entry of indexed) byId.set(entry.id, entry);
  const result: Reconciliation = {
    counts: { expected: 0, indexed: byId.size, matched: 0, deadLettered: 0, missing: 0, unexpected: 0 },
    missing: [],
    unexpected: [],
    missingBy: emptyBreakdown(),
    unexpectedBy: emptyBreakdown(),
  };
  const seen = new Set<string>();
  for (const event of expected) {
    // A trail can hold a record twice (an organization trail beside an account's own); it is one event.
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    result.counts.expected += 1;
    const entry = byId.get(event.id);
    if (entry === undefined) {
      result.missing.push(event);
      count(result.missingBy, event);
    } else {
      result.counts.matched += 1;
      if (entry.outcome === 'dead-lettered') result.counts.deadLettered += 1;
    }
  }
  for (const entry of byId.values()) {
    if (seen.has(entry.id)) continue;
    result.unexpected.push(entry);
    count(result.unexpectedBy, entry);
  }
  result.counts.missing = result.missing.length;
  result.counts.unexpected = result.unexpected.length;
  return result;
}

/** Adds a slice's findings to the whole window's. */
export function mergeReconciliations(into: Reconciliation, slice: Reconciliation): void {
  for (const key of Object.keys(into.counts) as (keyof ReconciliationCounts)[]) {
    into.counts[key] += slice.counts[key];
  }
  into.missing.push(...slice.missing);
  into.unexpected.push(...slice.unexpected);
  for (const [target, source] of [
    [into.missingBy, slice.missingBy],
    [into.unexpectedBy, slice.unexpectedBy],
  ] as const) {
    for (const dimension of Object.keys(target) as (keyof Breakdown)[]) {
      for (const [key, value] of Object.entries(source[dimension])) {
        target[dimension][key] = (target[dimension][key] ?? 0) + value;
      }
    }
  }
}

export const emptyReconciliation = (): Reconciliation => reconcile([], []);
