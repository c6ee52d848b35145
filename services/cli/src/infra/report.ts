import {
  type DeployedState,
  type DeploymentStep,
  type DesiredDeployment,
  describeRetryPolicy,
} from '@sarwatch/core';
import type { SampleVerdict } from './verify-samples.js';

const SYMBOL = { create: '+', update: '~' } as const;

/** One line a step: `+` creates, `~` updates, with every field's old and new value. */
export function describeSteps(desired: DesiredDeployment, steps: readonly DeploymentStep[]): string[] {
  if (steps.length === 0) return ['no changes: the deployment matches'];
  return steps.map((step) => {
    const subject = {
      stream: `stream ${desired.stream.name}`,
      rule: `rule ${desired.rule.name} on bus ${desired.rule.eventBusName}`,
      target: `target ${desired.target.id} of rule ${desired.rule.name}`,
    }[step.resource];
    const changes = 'change' in step ? [step.change] : step.changes;
    const fields = changes.map((change) =>
      change.from === null
        ? `${change.field} ${change.to}`
        : `${change.field} ${change.from} -> ${change.to}`,
    );
    return `${SYMBOL[step.action]} ${subject}: ${step.action}${fields.length > 0 ? ` (${fields.join('; ')})` : ''}`;
  });
}

export function describeDeployment(desired: DesiredDeployment, deployed: DeployedState): string[] {
  const { stream, rule, targets } = deployed;
  const ours = targets.find((target) => target.id === desired.target.id);
  const others = targets.filter((target) => target !== ours);
  return [
    stream
      ? `stream  ${desired.stream.name}: ${stream.status}, ${stream.mode}, ${stream.openShardCount} open shards, ` +
        `${stream.retentionHours} h retention, encryption ${stream.encryptionType}${stream.kmsKeyId ? ` ${stream.kmsKeyId}` : ''}\n` +
        `        ${stream.arn}`
      : `stream  ${desired.stream.name}: missing`,
    rule
      ? `rule    ${desired.rule.name} on bus ${desired.rule.eventBusName}: ${rule.state}, pattern ${rule.pattern ? compactJson(rule.pattern) : '(none)'}\n` +
        `        ${rule.arn}`
      : `rule    ${desired.rule.name} on bus ${desired.rule.eventBusName}: missing`,
    ours
      ? `target  ${ours.id} -> ${ours.arn}\n        partition key path ${ours.partitionKeyPath ?? '(none: the event id)'}, ` +
        `role ${ours.roleArn ?? '(none)'}, retry ${describeRetryPolicy(ours.maximumRetryAttempts, ours.maximumEventAgeSeconds) ?? '(none)'}, ` +
        `dead letters ${ours.deadLetterArn ?? '(none)'}`
      : `target  ${desired.target.id}: missing`,
    ...others.map((other) => `other target ${other.id} -> ${other.arn} (not sarwatch's; left alone)`),
  ];
}

export function describeSamples(verdicts: readonly SampleVerdict[], state: string): string[] {
  return verdicts.map((verdict) => {
    const eventBridge =
      'matches' in verdict.eventBridge
        ? `TestEventPattern ${verdict.eventBridge.matches ? 'matches' : 'no match'}`
        : `TestEventPattern unavailable here: ${verdict.eventBridge.unavailable}`;
    const engine = `sarwatch engine ${verdict.engineMatches ? 'matches' : 'no match'}`;
    const delivery = verdict.delivered ? `delivered under ${state}` : `not delivered under ${state}`;
    return `${verdict.ok ? 'ok  ' : 'FAIL'} ${verdict.name}: expected ${verdict.shouldMatch ? 'a match' : 'no match'}; ${eventBridge}; ${engine}; ${delivery}`;
  });
}

/** Patterns are written pretty-printed; one line reads better in a report. */
function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
