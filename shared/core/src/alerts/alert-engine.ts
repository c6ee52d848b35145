import { BoundedMap } from '../bounded-map.js';
import type { AlertEvent } from '../contract/alert.js';
import type { EnrichedEvent, Visibility } from '../contract/enriched-event.js';
import { valueAt } from '../field-path.js';
import { PatternGroup } from '../pattern/index.js';
import type { AlertRule } from './alert-rules.js';
import { RememberedOutcomes } from './remembered-outcomes.js';

/** A rule that fired: what goes on the alerts topic once summarised. */
export interface FiredAlert {
  rule: AlertRule;
  /** `<rule id>|<values of dedupBy>`: equal keys are one alert. */
  dedupKey: string;
  /** The events that made it fire, oldest first: one, or `threshold.count` of them. */
  eventIds: string[];
  /** The event that completed the match, without `detail`. */
  event: AlertEvent;
  context: AlertContext;
  firedAtMs: number;
}

export interface AlertOutcome {
  fired: FiredAlert[];
  /** Matches that fired nothing because their dedup key fired within the rule's suppression window. */
  suppressed: number;
}

/**
 * An outcome as remembered for a retry, without the event: the retry brings the same event again. Keeping each
 * alert's event summary held the enriched events of the last 50,000 evaluations, most of the enricher's live heap
 * under a backlog, which every full collection marked.
 */
interface RememberedOutcome {
  fired: Omit<FiredAlert, 'event'>[];
  suppressed: number;
}

/**
 * What rules can match besides the event itself, under `context`: facts only a stream of events tells.
 * `applicationVisibility` is who may deploy the event's application, as last set by a PutApplicationPolicy call
 * this engine saw (so `unknown` for applications whose policy has not changed since it started).
 */
export interface AlertContext {
  applicationVisibility: Visibility | 'unknown';
  /**
   * Set by `sarwatch reconcile` alone, for an event the trail does not have; the live path never knows it, so a
   * rule that asks for it fires only there.
   */
  reconciliation?: 'unexpected';
}

/** Facts an evaluation is told rather than works out. */
export type ToldContext = Pick<AlertContext, 'reconciliation'>;

/** Bounds the state kept for thresholds and suppression, whatever the keys' cardinality. */
const MAX_KEYS_PER_RULE = 100_000;
const MAX_APPLICATIONS = 100_000;
/** Covers every event of the pages a publisher may retry after an aborted transaction. */
const MAX_REMEMBERED_OUTCOMES = 50_000;
const NOTHING: RememberedOutcome = { fired: [], suppressed: 0 };

/**
 * Evaluates alert rules against enriched events, one at a time, in order. Pure: time is what the caller passes,
 * so a run can be replayed exactly. Threshold windows and suppression are kept per rule and key, in bounded maps.
 *
 * Evaluating an event again gives the outcome of its first evaluation and changes nothing: a page whose
 * transaction aborted is published again with the same alerts, not with its matches counted twice or its alerts
 * suppressed by themselves.
 */
export class AlertEngine {
  private readonly rules: AlertRule[];
  /** The rules' patterns, by the rules' order: the fields they share are read once per event. */
  private readonly patterns: PatternGroup;
  private readonly windows = new Map<string, BoundedMap<string, { atMs: number; eventId: string }[]>>();
  private readonly lastFired = new Map<string, BoundedMap<string, number>>();
  private readonly visibility = new BoundedMap<string, Visibility>(MAX_APPLICATIONS);
  private readonly outcomes = new RememberedOutcomes<RememberedOutcome>(MAX_REMEMBERED_OUTCOMES, NOTHING);

  constructor(rules: readonly AlertRule[]) {
    this.rules = rules.filter((rule) => rule.enabled);
    this.patterns = new PatternGroup(this.rules.map((rule) => rule.match));
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  evaluate(event: EnrichedEvent, atMs: number, told: ToldContext = {}): AlertOutcome {
    const outcome = this.outcomes.get(event.eventId) ?? this.firstEvaluation(event, atMs, told);
    if (outcome.fired.length === 0) return { fired: [], suppressed: outcome.suppressed };
    const summary = withoutDetail(event);
    return {
      fired: outcome.fired.map((fired) => ({ ...fired, event: summary })),
      suppressed: outcome.suppressed,
    };
  }

  private firstEvaluation(event: EnrichedEvent, atMs: number, told: ToldContext): RememberedOutcome {
    const context: AlertContext = { applicationVisibility: this.applicationVisibility(event), ...told };
    const subject = { ...event, context };
    const outcome: RememberedOutcome = { fired: [], suppressed: 0 };
    const matches = this.patterns.verdicts(subject);
    for (let index = 0; index < this.rules.length; index++) {
      const rule = this.rules[index] as AlertRule;
      if (!matches(index)) continue;
      const eventIds = this.thresholdMet(rule, event, atMs);
      if (eventIds === null) continue;
      const dedupKey = `${rule.id}|${rule.dedupBy.map((path) => fieldText(event, path)).join('|')}`;
      if (this.suppressed(rule, dedupKey, atMs)) {
        outcome.suppressed += 1;
        continue;
      }
      outcome.fired.push({ rule, dedupKey, eventIds, context, firedAtMs: atMs });
    }
    this.outcomes.set(event.eventId, outcome.fired.length > 0 || outcome.suppressed > 0 ? outcome : NOTHING);
    return outcome;
  }

  /** Whether the key fired within the rule's suppression window; if not, it fires now and the window starts. */
  private suppressed(rule: AlertRule, dedupKey: string, atMs: number): boolean {
    // Without a window there is nothing to remember: keys like `rule|eventId` would only fill the map.
    if (rule.suppressSeconds === 0) return false;
    const fired = perRule(this.lastFired, rule.id);
    const last = fired.get(dedupKey);
    if (last !== undefined && atMs - last < rule.suppressSeconds * 1000) return true;
    fired.set(dedupKey, atMs);
    return false;
  }

  /** Follows successful policy changes and deletions, then says what is known of the event's application. */
  private applicationVisibility(event: EnrichedEvent): AlertContext['applicationVisibility'] {
    const operation = event.operation;
    const applicationId = operation?.applicationId;
    if (!operation || !applicationId) return 'unknown';
    if (event.errorCode === null) {
      if (operation.category === 'delete') {
        this.visibility.delete(applicationId);
        return 'unknown';
      }
      // Unsharing ends an organization share but says nothing of accounts the policy may still name.
      const before = this.visibility.get(applicationId);
      const after =
        operation.visibility ??
        (operation.category === 'unshare' && before !== 'public' ? undefined : before);
      // Written only when it changes: most events leave it as it is, and the order of forgetting is that of changes.
      if (after === before) return after ?? 'unknown';
      if (after === undefined) this.visibility.delete(applicationId);
      else this.visibility.set(applicationId, after);
      return after ?? 'unknown';
    }
    return this.visibility.get(applicationId) ?? 'unknown';
  }

  /** The events that complete the rule's threshold now, or null while it is not reached. */
  private thresholdMet(rule: AlertRule, event: EnrichedEvent, atMs: number): string[] | null {
    const { threshold } = rule;
    if (!threshold) return [event.eventId];
    const key = threshold.per.map((path) => fieldText(event, path)).join('|');
    const windows = perRule(this.windows, rule.id);
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

/** The rule's own bounded map. */
function perRule<Value>(
  maps: Map<string, BoundedMap<string, Value>>,
  ruleId: string,
): BoundedMap<string, Value> {
  let map = maps.get(ruleId);
  if (!map) {
    map = new BoundedMap(MAX_KEYS_PER_RULE);
    maps.set(ruleId, map);
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

function withoutDetail(event: EnrichedEvent): AlertEvent {
  const { detail: _detail, ...rest } = event;
  return rest;
}
