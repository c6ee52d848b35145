import type { DeployedState, DeployedStream, DeployedTarget, DesiredDeployment } from './deployment.js';

export interface Change<Field extends string> {
  field: Field;
  /** null when the resource does not exist yet. */
  from: string | null;
  to: string;
}

export type StreamField = 'mode' | 'shardCount' | 'retentionHours' | 'encryption';
export type RuleField = 'state' | 'pattern' | 'description';
export type TargetField = 'arn' | 'roleArn' | 'partitionKeyPath' | 'retryPolicy' | 'deadLetterArn';

/**
 * One API call's worth of change, in the order they must run. A stream takes one update at a time (each leaves it
 * UPDATING for a while), so each stream field is its own step; PutRule and PutTargets set every field at once.
 */
export type DeploymentStep =
  | { resource: 'stream'; action: 'create'; changes: Change<'mode' | 'shardCount'>[] }
  | { resource: 'stream'; action: 'update'; change: Change<StreamField> }
  | { resource: 'rule'; action: 'create' | 'update'; changes: Change<RuleField>[] }
  | { resource: 'target'; action: 'create' | 'update'; changes: Change<TargetField>[] };

/** Stands for the stream's ARN in a plan made before the stream exists. */
export const NEW_STREAM_ARN = '(the new stream)';

/** What CreateStream leaves behind, before sarwatch sets retention and encryption. */
function freshStream(desired: DesiredDeployment['stream']): DeployedStream {
  return {
    arn: NEW_STREAM_ARN,
    status: 'ACTIVE',
    mode: desired.mode,
    openShardCount: desired.shardCount,
    retentionHours: 24,
    encryptionType: 'NONE',
    kmsKeyId: null,
  };
}

/**
 * The calls that take an account from `deployed` to `desired`, nothing more: an up-to-date deployment gives an
 * empty plan. Pure, so `plan` can show exactly what `apply` would do.
 */
export function planDeployment(desired: DesiredDeployment, deployed: DeployedState): DeploymentStep[] {
  const steps: DeploymentStep[] = [];
  if (deployed.stream === null) {
    steps.push({
      resource: 'stream',
      action: 'create',
      changes: [
        { field: 'mode', from: null, to: desired.stream.mode },
        ...(desired.stream.mode === 'PROVISIONED'
          ? [{ field: 'shardCount' as const, from: null, to: String(desired.stream.shardCount) }]
          : []),
      ],
    });
  }
  const stream = deployed.stream ?? freshStream(desired.stream);
  for (const change of streamChanges(desired.stream, stream)) {
    steps.push({ resource: 'stream', action: 'update', change });
  }

  const ruleChanges = changed<RuleField>([
    ['state', deployed.rule?.state ?? null, desired.rule.state],
    [
      'pattern',
      deployed.rule?.pattern ?? null,
      desired.rule.pattern,
      (a, b) => canonicalJson(a) === canonicalJson(b),
    ],
    ['description', deployed.rule?.description ?? null, desired.rule.description],
  ]);
  if (deployed.rule === null) steps.push({ resource: 'rule', action: 'create', changes: ruleChanges });
  else if (ruleChanges.length > 0) steps.push({ resource: 'rule', action: 'update', changes: ruleChanges });

  const target = deployed.targets.find((candidate) => candidate.id === desired.target.id) ?? null;
  const targetChanges = changed<TargetField>(targetFields(desired, stream.arn, target));
  if (target === null) steps.push({ resource: 'target', action: 'create', changes: targetChanges });
  else if (targetChanges.length > 0) {
    steps.push({ resource: 'target', action: 'update', changes: targetChanges });
  }
  return steps;
}

function streamChanges(desired: DesiredDeployment['stream'], stream: DeployedStream): Change<StreamField>[] {
  return changed<StreamField>([
    ['mode', stream.mode, desired.mode],
    // An on-demand stream sizes itself; its shard count is not ours to set.
    ...(desired.mode === 'PROVISIONED'
      ? [['shardCount', String(stream.openShardCount), String(desired.shardCount)] as const]
      : []),
    ['retentionHours', String(stream.retentionHours), String(desired.retentionHours)],
    ['encryption', describeEncryption(stream), `KMS ${desired.kmsKeyId}`],
  ]);
}

const describeEncryption = (stream: DeployedStream) =>
  stream.encryptionType === 'NONE' ? 'NONE' : `${stream.encryptionType} ${stream.kmsKeyId ?? ''}`.trim();

export const describeRetryPolicy = (attempts: number | null, ageSeconds: number | null) =>
  attempts === null && ageSeconds === null
    ? null
    : `${attempts ?? '-'} attempts within ${ageSeconds ?? '-'} s`;

function targetFields(
  desired: DesiredDeployment,
  streamArn: string,
  target: DeployedTarget | null,
): ReadonlyArray<readonly [TargetField, string | null, string | undefined]> {
  const wanted = desired.target;
  return [
    ['arn', target?.arn ?? null, streamArn],
    ['roleArn', target?.roleArn ?? null, wanted.roleArn],
    ['partitionKeyPath', target?.partitionKeyPath ?? null, wanted.partitionKeyPath],
    [
      'retryPolicy',
      target ? describeRetryPolicy(target.maximumRetryAttempts, target.maximumEventAgeSeconds) : null,
      describeRetryPolicy(wanted.maximumRetryAttempts, wanted.maximumEventAgeSeconds) ?? undefined,
    ],
    // A dead-letter queue set by hand is kept when none is asked for: absence here means "not managed".
    ['deadLetterArn', target?.deadLetterArn ?? null, wanted.deadLetterArn],
  ];
}

type Comparison<Field extends string> = readonly [
  field: Field,
  from: string | null,
  to: string | undefined,
  same?: (from: string, to: string) => boolean,
];

function changed<Field extends string>(comparisons: ReadonlyArray<Comparison<Field>>): Change<Field>[] {
  const changes: Change<Field>[] = [];
  const equal = (a: string, b: string) => a === b;
  for (const [field, from, to, same = equal] of comparisons) {
    if (to === undefined) continue;
    if (from !== null && same(from, to)) continue;
    changes.push({ field, from, to });
  }
  return changes;
}

/**
 * JSON text with object keys sorted, so two spellings of one pattern compare equal: EventBridge hands back the
 * pattern it stored, not necessarily the bytes it was given. Text that is not JSON is compared as it is.
 */
export function canonicalJson(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
