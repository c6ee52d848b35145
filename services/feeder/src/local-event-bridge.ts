import {
  createRuleDelivery,
  type NotDeliveredReason,
  type RuleDefinition,
  type RuleState,
} from '@sarwatch/core';
import type { GeneratedRecord } from './generate/index.js';
import type { FeedRecord } from './kinesis-feeder.js';

export type BusCounts = { delivered: number; injected: number } & Record<NotDeliveredReason, number>;

/**
 * The default event bus with one rule and its Kinesis target, on this machine: each generated CloudTrail event
 * goes through the rule's state and pattern (the same engine the differential test holds to Event Ruler) and, when
 * it matches, becomes a record with the partition key the target's path gives. Malformed records stand for
 * damage after delivery, which no rule sees: they are injected into the stream as they are.
 */
export class LocalEventBridge {
  readonly counts: BusCounts = {
    delivered: 0,
    injected: 0,
    'rule-disabled': 0,
    'read-only-under-write-only-rule': 0,
    'pattern-not-matched': 0,
  };
  readonly state: RuleState;
  readonly #deliver: ReturnType<typeof createRuleDelivery>;

  constructor(rule: RuleDefinition) {
    this.state = rule.state;
    this.#deliver = createRuleDelivery(rule);
  }

  /** The record the stream receives, or null when the rule keeps the event out. */
  route(generated: GeneratedRecord): FeedRecord | null {
    if (generated.kind === 'malformed') {
      this.counts.injected += 1;
      return generated;
    }
    const delivery = this.#deliver(generated.envelope);
    if (!delivery.delivered) {
      this.counts[delivery.reason] += 1;
      return null;
    }
    this.counts.delivered += 1;
    return { data: generated.data, partitionKey: delivery.partitionKey };
  }
}
