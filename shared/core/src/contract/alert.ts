import { z } from 'zod';
import type { FiredAlert } from '../alerts/alert-engine.js';
import { EnrichedEventSchema, type Identity, SeveritySchema, VisibilitySchema } from './enriched-event.js';

/** The event that completed an alert, without `detail`: subscribers read the record from the events topic. */
export const AlertEventSchema = EnrichedEventSchema.omit({ detail: true });
export type AlertEvent = z.infer<typeof AlertEventSchema>;

/** The message on `sarwatch.alerts.v1`, keyed by `dedupKey`. Field names are a contract: add, never rename. */
export const AlertSchema = z.object({
  /** `<rule id>:<event id that completed it>`: the same on every publication of the alert, an idempotency key. */
  alertId: z.string(),
  ruleId: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  /** Why the rule matters, from the rules file. */
  why: z.string(),
  /** One line for a human: who, classified how, did what to which application, where. */
  summary: z.string(),
  /** `<rule id>|<values of the rule's dedupBy fields>`; also the Kafka key. */
  dedupKey: z.string(),
  /** The events that made the rule fire, oldest first. */
  eventIds: z.array(z.string()).min(1),
  /** When sarwatch raised it (ISO 8601, UTC). */
  firedAt: z.string(),
  event: AlertEventSchema,
  context: z.object({
    applicationVisibility: z.union([VisibilitySchema, z.literal('unknown')]),
    /** `unexpected`: `sarwatch reconcile` found the event on the stream but not in the CloudTrail trail. */
    reconciliation: z.literal('unexpected').optional(),
  }),
});
export type Alert = z.infer<typeof AlertSchema>;

export const ALERTS_TOPIC_V1 = 'sarwatch.alerts.v1';

export function toAlert(fired: FiredAlert, firedAt: Date): Alert {
  const lastEventId = fired.eventIds.at(-1) ?? fired.event.eventId;
  return {
    alertId: `${fired.rule.id}:${lastEventId}`,
    ruleId: fired.rule.id,
    title: fired.rule.title,
    severity: fired.rule.severity,
    why: fired.rule.why,
    summary: summarizeEvent(fired.event),
    dedupKey: fired.dedupKey,
    eventIds: fired.eventIds,
    firedAt: firedAt.toISOString(),
    event: fired.event,
    context: fired.context,
  };
}

/**
 * `alice (IAMUser, human, console without MFA) PutApplicationPolicy on hello-world, now public
 * [123456789012 us-east-1]`: enough to act on from a phone notification.
 */
export function summarizeEvent(event: AlertEvent): string {
  const { identity, operation } = event;
  const target = operation?.applicationName ?? operation?.applicationId ?? null;
  const version = operation?.semanticVersion ? ` version ${operation.semanticVersion}` : '';
  const visibility = operation?.visibility ? `, now ${operation.visibility}` : '';
  const failed = event.errorCode ? `, refused: ${event.errorCode}` : '';
  const where = [event.recipientAccountId, event.awsRegion].filter(Boolean).join(' ');
  return (
    `${who(identity)} (${classification(identity)}) ${event.eventName}` +
    `${target ? ` on ${target}${version}` : ''}${visibility}${failed} [${where}]`
  );
}

function who(identity: Identity): string {
  return (
    identity.principalArn ??
    identity.userName ??
    identity.principalId ??
    identity.invokedBy ??
    'someone unknown'
  );
}

function classification(identity: Identity): string {
  const channel = identity.viaConsole ? 'console' : 'API';
  const mfa =
    identity.mfaAuthenticated === false ? ' without MFA' : identity.mfaAuthenticated ? ' with MFA' : '';
  const key = identity.credential === 'long-term' ? ', long-term key' : '';
  const crossAccount = identity.crossAccount ? `, from account ${identity.accountId ?? 'unknown'}` : '';
  return `${identity.type}, ${identity.actor}, ${channel}${mfa}${key}${crossAccount}`;
}
