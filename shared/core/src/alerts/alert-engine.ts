import type { EnrichedEvent } from '../contract/enriched-event.js';
import { valueAt } from '../field-path.js';
import { type CompiledPattern, compilePattern } from '../pattern/index.js';
import type { AlertRule } from './alert-rules.js';

/** A rule that fired: what goes on the alerts topic once summarised. */
export interface FiredAlert {
  rule: AlertRule;
  /** `<rule id>|<values of dedupBy>`: equal keys are one alert. */
  dedupKey: string;
  /** The events that made it fire, oldest first: one, or `threshold.count` of them. */
  eventIds: string[];
  /** The event that completed the match. */
  event: EnrichedEvent;
  firedAtMs: number;
}

export interface AlertOutcome {
  fired: FiredAlert[];
  /** Matches that fired nothing because their dedup key fired within the rule's suppression window. */
  suppressed: number;
}

interface CompiledRule {
  rule: AlertRule;
  pattern: CompiledPattern;
}

/** Bounds the state kept for thresholds and suppression, whatever the keys' cardinality. */
const MAX_KEYS_PER_RULE = 100_000;

/**
 * Evaluates alert rules against enriched events, one at a time, in order. Pure: time is what the caller passes,
 * so a run can be replayed exactly. Threshold windows and suppression are kept per rule and key, in bounded maps.
 */
export class AlertEngine {
  private readonly rules: CompiledRule[];
  private readonly windows = new Map<string, Map<string, { atMs: number; eventId: string }[]>>();
  private readonly lastFired = new Map<string, Map<string, number>>();

  constructor(rules: readonly AlertRule[]) {
    this.rules = rules
      .filter((rule) => rule.enabled)
      .map((rule) => ({ rule, pattern: compilePattern(rule.match) }));
  }

  evaluate(event: EnrichedEvent, atMs: number): AlertOutcome {
    const outcome: AlertOutcome = { fired: [], suppressed: 0 };
    for (const { rule, pattern } of this.rules) {
      if (!pattern.matches(event)) continue;
      const eventIds = this.thresholdMet(rule, event, atMs);
      if (eventIds === null) continue;
      const dedupKey = `${rule.id}|${rule.dedupBy.map((path) => fieldText(event, path)).join('|')}`;
      const fired = bounded(this.lastFired, rule.id);
      const last = fired.get(dedupKey);
      if (last !== undefined && atMs - last < rule.suppressSeconds * 1000) {
        outcome.suppressed += 1;
        continue;
      }
      fired.delete(dedupKey);
      fired.set(dedupKey, atMs);
      outcome.fired.push({ rule, dedupKey, eventIds, event, firedAtMs: atMs });
    }
    return outcome;
  }

  /** The events that complete the rule's threshold now, or null while it is not reached. */
  private thresholdMet(rule: AlertRule, event: EnrichedEvent, atMs: number): string[] | null {
    const { threshold } = rule;
    if (!threshold) return [event.eventId];
    const key = threshold.per.map((path) => fieldText(event, path)).join('|');
    const windows = bounded(this.windows, rule.id);
    const since = atMs - threshold.withinSeconds * 1000;
    const window = (windows.get(key) ?? []).filter((entry) => entry.atMs > since);
    window.push({ atMs, eventId: event.eventId });
    windows.delete(key);
    if (window.length < threshold.count) {
      windows.set(key, window);
      return null;
    }
    // Fired: the window starts over, so the next alert needs `count` new events.
    return window.map((entry) => entry.eventId);
  }
}

/** The per-rule map for `ruleId`, dropping its oldest keys past the bound (Maps iterate oldest first). */
function bounded<Value>(maps: Map<string, Map<string, Value>>, ruleId: string): Map<string, Value> {
  let map = maps.get(ruleId);
  if (!map) {
    map = new Map();
    maps.set(ruleId, map);
  }
  for (const key of map.keys()) {
    if (map.size < MAX_KEYS_PER_RULE) break;
    map.delete(key);
  }
  return map;
}

/** A field of the event as text, for keys: scalars as JSON writes them, lists joined, missing as empty. */
export function fieldText(event: unknown, path: string): string {
  const value = valueAt(event, path.split('.'));
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
