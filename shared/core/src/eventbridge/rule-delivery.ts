import { z } from 'zod';
import { valueAt } from '../field-path.js';
import { compilePattern } from '../pattern/index.js';
import type { EventBridgeEnvelope } from './envelope.js';

/**
 * A rule's states (EventBridge API reference, PutRule `State`). A plain `ENABLED` rule never sees read-only
 * management events delivered through CloudTrail (User Guide, eb-service-event-cloudtrail-management): for SAR that
 * is every Get* and List* call.
 */
export const RuleStateSchema = z.enum([
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  'ENABLED',
  'DISABLED',
]);
export type RuleState = z.infer<typeof RuleStateSchema>;

export type Delivery =
  | { delivered: true; partitionKey: string }
  | { delivered: false; reason: NotDeliveredReason };

export type NotDeliveredReason = 'rule-disabled' | 'read-only-under-write-only-rule' | 'pattern-not-matched';

export interface RuleDefinition {
  /** The event pattern, as JSON text or a parsed value; refused with a PatternError when EventBridge would. */
  pattern: unknown;
  state: RuleState;
  /** The Kinesis target's `KinesisParameters.PartitionKeyPath`; without it EventBridge uses the event id. */
  partitionKeyPath?: string;
}

/**
 * What one rule with one Kinesis target does to each event on its bus: whether the event reaches the stream, and
 * under which partition key. The pattern is compiled once.
 */
export function createRuleDelivery(rule: RuleDefinition): (event: EventBridgeEnvelope) => Delivery {
  const pattern = compilePattern(rule.pattern);
  const partitionKeyOf = rule.partitionKeyPath === undefined ? null : compileKeyPath(rule.partitionKeyPath);
  return (event) => {
    if (rule.state === 'DISABLED') return { delivered: false, reason: 'rule-disabled' };
    if (rule.state === 'ENABLED' && isReadOnlyManagementEvent(event)) {
      return { delivered: false, reason: 'read-only-under-write-only-rule' };
    }
    if (!pattern.matches(event)) return { delivered: false, reason: 'pattern-not-matched' };
    // The EventBridge reference does not say what a path that selects nothing gives; the event id, the key it uses
    // without a path, is the assumption here. `$.account`, the path sarwatch deploys, is in every event.
    return { delivered: true, partitionKey: partitionKeyOf?.(event) ?? event.id };
  };
}

function isReadOnlyManagementEvent(event: EventBridgeEnvelope): boolean {
  if (!event['detail-type'].endsWith('via CloudTrail')) return false;
  const detail = event.detail;
  return (
    typeof detail === 'object' &&
    detail !== null &&
    'readOnly' in detail &&
    detail.readOnly === true &&
    (!('managementEvent' in detail) || detail.managementEvent !== false)
  );
}

const KEY_PATH = /^\$(\.[A-Za-z0-9_-]+)+$/;

/**
 * The JSONPath subset a partition key needs: `$.field` and `$.field.nested`. Anything richer is refused rather than
 * read differently from EventBridge.
 */
export function compileKeyPath(path: string): (event: unknown) => string | undefined {
  if (!KEY_PATH.test(path)) {
    throw new RangeError(
      `partition key path ${JSON.stringify(path)} must look like $.field or $.field.nested`,
    );
  }
  const steps = path.slice(2).split('.');
  return (event) => {
    const value = valueAt(event, steps);
    if (typeof value === 'string') return value.length > 0 ? value : undefined;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  };
}
