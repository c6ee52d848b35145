import type { Breakdown } from '@sarwatch/core';
import type { BackfillResult } from './backfill.js';
import type { WindowReconciliation } from './reconcile.js';

/** The answer an operator scripts against: `missing` and `unexpected` are CloudTrail eventIDs. */
export function reconciliationJson(found: WindowReconciliation, location: string) {
  const { reconciliation: r, trail, repair } = found;
  return {
    trail: location,
    from: found.window.from.toISOString(),
    to: found.window.to.toISOString(),
    complete: isComplete(found),
    counts: {
      ...r.counts,
      unrepaired: found.unrepaired,
      trailFiles: trail.files,
      trailRecords: trail.records,
      unreadableFiles: trail.unreadable.length,
    },
    missing: r.missing.map(({ id }) => id),
    unexpected: r.unexpected.map(({ id }) => id),
    missingBy: r.missingBy,
    unexpectedBy: r.unexpectedBy,
    unreadableFiles: trail.unreadable,
    ...(repair ? { repair: { published: repair.published, deadLettered: repair.deadLettered } } : {}),
    ...(found.alertsRaised === undefined ? {} : { alertsRaised: found.alertsRaised }),
  };
}

/**
 * Complete: every event the trail says the stream should have carried was handled (or has been repaired now),
 * nothing was handled that the trail lacks, and every trail file could be read.
 */
export const isComplete = (found: WindowReconciliation): boolean =>
  found.unrepaired === 0 &&
  found.reconciliation.counts.unexpected === 0 &&
  found.trail.unreadable.length === 0;

const number = (value: number) => value.toLocaleString('en-US');
const IDS_SHOWN = 20;

export function reconciliationText(found: WindowReconciliation, location: string): string {
  const { reconciliation: r, trail, repair } = found;
  const lines = [
    `${location} from ${found.window.from.toISOString()} to ${found.window.to.toISOString()}: ${
      isComplete(found) ? 'complete' : 'NOT complete'
    }`,
    `  trail: ${number(trail.files)} files, ${number(trail.records)} records, ${number(r.counts.expected)} events the rule delivers`,
    `  sarwatch handled ${number(r.counts.matched)} of them (${number(r.counts.deadLettered)} as dead letters)`,
    `  missing: ${number(r.counts.missing)}    unexpected (not in the trail): ${number(r.counts.unexpected)}`,
  ];
  if (repair) {
    lines.push(
      `  repaired: ${number(repair.published)} published, ${number(repair.deadLettered)} dead-lettered; still missing: ${number(found.unrepaired)}`,
    );
  }
  if (found.alertsRaised !== undefined)
    lines.push(`  alerts raised for unexpected events: ${found.alertsRaised}`);
  lines.push(...breakdownLines('missing', r.missingBy), ...breakdownLines('unexpected', r.unexpectedBy));
  lines.push(...idLines('missing', r.missing), ...idLines('unexpected', r.unexpected));
  for (const { key, reason } of trail.unreadable) lines.push(`  unreadable file, skipped: ${reason || key}`);
  return `${lines.join('\n')}\n`;
}

function breakdownLines(what: string, by: Breakdown): string[] {
  return (Object.keys(by) as (keyof Breakdown)[])
    .filter((dimension) => Object.keys(by[dimension]).length > 0)
    .map(
      (dimension) =>
        `  ${what} by ${dimension}: ${Object.entries(by[dimension])
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => `${key} ${number(value)}`)
          .join(', ')}`,
    );
}

function idLines(what: string, events: readonly { id: string }[]): string[] {
  if (events.length === 0) return [];
  const shown = events.slice(0, IDS_SHOWN).map(({ id }) => id);
  const more =
    events.length > IDS_SHOWN ? ` and ${number(events.length - IDS_SHOWN)} more (--json lists all)` : '';
  return [`  ${what} eventIDs: ${shown.join(', ')}${more}`];
}

export function backfillText(result: BackfillResult, location: string, dryRun: boolean): string {
  const verb = dryRun ? 'would publish' : 'published';
  const lines = [
    `${location}: ${number(result.files)} files, ${number(result.records)} records, ${number(result.delivered)} events the rule delivers`,
    `  already handled: ${number(result.alreadyHandled)}; ${verb}: ${number(result.published)} events, ${number(result.deadLettered)} dead letters, ${number(result.alerts)} alerts`,
  ];
  for (const { key, reason } of result.unreadable) lines.push(`  unreadable file, skipped: ${reason || key}`);
  return `${lines.join('\n')}\n`;
}
