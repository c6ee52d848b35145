import { parseArgs } from 'node:util';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  SARWATCH_DEPLOYMENT_DEFAULTS as DEFAULTS,
  type DesiredDeployment,
  DesiredDeploymentSchema,
  planDeployment,
} from '@sarwatch/core';
import { createKinesisClient, endpointSettings, listenForStop } from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';
import { type AwsClients, applyStep, readDeployment } from '../infra/aws-deployment.js';
import { describeDeployment, describeSamples, describeSteps } from '../infra/report.js';
import { readPatternFile } from '../infra/sar-rule.js';
import { verifySamples } from '../infra/verify-samples.js';

const ACTIONS = ['plan', 'apply', 'status'] as const;
type Action = (typeof ACTIONS)[number];

export const infraCommand: Command = {
  name: 'infra',
  help: `Usage: sarwatch infra plan|apply|status --role-arn ARN [options]

Makes an account hold what sarwatch needs in front of the enricher, without CloudFormation: a KMS-encrypted
Kinesis stream, an EventBridge rule with the pattern of infra/eventbridge/sar-cloudtrail-pattern.json, and the
rule's Kinesis target keyed by $.account. The same resources as infra/cloudformation/sarwatch.template.json.

  plan     read the account and print what apply would change; changes nothing
  apply    make those changes (creating what is missing, updating what differs), then verify; running it
           again changes nothing
  status   print the stream, the rule and its targets, any drift from the options, and the result of
           TestEventPattern and of sarwatch's pattern engine on sample events; exit 1 if anything is off

Options:
  --role-arn ARN        the role EventBridge assumes to put records (required; the template's
                        EventBridgeToKinesisRole, or SARWATCH_TARGET_ROLE_ARN)
  --stream NAME         stream name (default ${DEFAULTS.streamName})
  --stream-mode MODE    ON_DEMAND (default) or PROVISIONED
  --shards N            shards of a PROVISIONED stream (default 1)
  --retention-hours N   24 to 8760 (default ${DEFAULTS.retentionHours})
  --kms-key KEY         KMS key id, ARN or alias for the stream (default ${DEFAULTS.kmsKeyId})
  --rule NAME           rule name (default ${DEFAULTS.ruleName})
  --event-bus NAME      bus the rule is on (default default)
  --rule-state STATE    ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (default: read-only calls too),
                        ENABLED (write calls only) or DISABLED
  --dead-letter-arn ARN SQS queue for events EventBridge could not deliver (kept as it is when absent)
  --pattern-file PATH   the event pattern (default infra/eventbridge/sar-cloudtrail-pattern.json)
  --endpoint URL        a local AWS API server (e.g. moto) instead of AWS, for Kinesis and EventBridge
  --json                print the result as one JSON object

Environment: AWS_REGION (default us-east-1), the usual AWS credential variables, SARWATCH_TARGET_ROLE_ARN,
AWS_ENDPOINT_URL (as --endpoint).

Exit codes: 0 planned, applied and verified, or status ok; 1 status not ok, or AWS refused or failed a call;
2 bad usage (an option missing or invalid).
`,
  async run(args) {
    let action: Action;
    let desired: DesiredDeployment;
    let options: ReturnType<typeof parse>['values'];
    try {
      const parsed = parse(args);
      options = parsed.values;
      action = parseAction(parsed.positionals);
      desired = desiredDeployment(options);
    } catch (error) {
      process.stderr.write(`sarwatch infra: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const region = process.env.AWS_REGION ?? 'us-east-1';
    const endpoint = options.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
    const clients: AwsClients = {
      kinesis: createKinesisClient({ region, endpoint, maxAttempts: 3 }),
      eventBridge: new EventBridgeClient({ region, ...endpointSettings(endpoint) }),
    };
    const stop = listenForStop();
    const out = (lines: readonly string[]) => {
      if (!options.json) process.stdout.write(`${lines.join('\n')}\n`);
    };
    try {
      const before = await readDeployment(clients, desired);
      const steps = planDeployment(desired, before);
      const applied = action === 'apply' ? steps : [];
      if (action === 'apply')
        out(['applying:', ...(steps.length === 0 ? indent(describeSteps(desired, [])) : [])]);
      else out([`${action === 'plan' ? 'plan' : 'drift'}:`, ...indent(describeSteps(desired, steps))]);
      for (const step of applied) {
        if (stop.signal.aborted) throw new Error('stopped before every change was made');
        await applyStep(clients, desired, step, stop.signal);
        out(indent(describeSteps(desired, [step])));
      }
      if (action === 'plan') {
        if (options.json) process.stdout.write(`${JSON.stringify({ action, steps })}\n`);
        return 0;
      }
      const after = action === 'apply' ? await readDeployment(clients, desired) : before;
      const drift = planDeployment(desired, after);
      const samples = after.rule?.pattern
        ? await verifySamples(clients.eventBridge, after.rule.pattern, after.rule.state)
        : [];
      const healthy =
        drift.length === 0 && after.stream?.status === 'ACTIVE' && samples.every((sample) => sample.ok);
      out([
        'deployed:',
        ...indent(describeDeployment(desired, after)),
        ...(action === 'apply' ? ['drift after apply:', ...indent(describeSteps(desired, drift))] : []),
        'sample events:',
        ...indent(
          samples.length > 0
            ? describeSamples(samples, after.rule?.state ?? '')
            : ['(no rule pattern to test)'],
        ),
        healthy ? 'status: ok' : 'status: NOT OK',
      ]);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ action, applied, deployed: after, drift, samples, healthy })}\n`,
        );
      }
      return healthy ? 0 : 1;
    } catch (error) {
      process.stderr.write(
        `sarwatch infra ${action}: ${(error as Error).name}: ${(error as Error).message}\n`,
      );
      return 1;
    } finally {
      clients.kinesis.destroy();
      clients.eventBridge.destroy();
    }
  },
};

const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`);

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      'role-arn': { type: 'string' },
      stream: { type: 'string', default: DEFAULTS.streamName },
      'stream-mode': { type: 'string', default: 'ON_DEMAND' },
      shards: { type: 'string', default: '1' },
      'retention-hours': { type: 'string', default: String(DEFAULTS.retentionHours) },
      'kms-key': { type: 'string', default: DEFAULTS.kmsKeyId },
      rule: { type: 'string', default: DEFAULTS.ruleName },
      'event-bus': { type: 'string', default: 'default' },
      'rule-state': { type: 'string', default: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
      'dead-letter-arn': { type: 'string' },
      'pattern-file': { type: 'string' },
      endpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });

function parseAction(positionals: string[]): Action {
  const [action, ...rest] = positionals;
  const known = ACTIONS.find((candidate) => candidate === action);
  if (!known || rest.length > 0)
    throw new Error(`expected one of ${ACTIONS.join(', ')}, got ${positionals.join(' ') || 'nothing'}`);
  return known;
}

function desiredDeployment(options: ReturnType<typeof parse>['values']): DesiredDeployment {
  const parsed = DesiredDeploymentSchema.safeParse({
    stream: {
      name: options.stream,
      mode: options['stream-mode'],
      shardCount: Number(options.shards),
      retentionHours: Number(options['retention-hours']),
      kmsKeyId: options['kms-key'],
    },
    rule: {
      name: options.rule,
      eventBusName: options['event-bus'],
      state: options['rule-state'],
      pattern: readPatternFile(options['pattern-file']),
      description: DEFAULTS.ruleDescription,
    },
    target: {
      id: DEFAULTS.targetId,
      roleArn: options['role-arn'] ?? process.env.SARWATCH_TARGET_ROLE_ARN,
      partitionKeyPath: DEFAULTS.partitionKeyPath,
      maximumRetryAttempts: DEFAULTS.maximumRetryAttempts,
      maximumEventAgeSeconds: DEFAULTS.maximumEventAgeSeconds,
      deadLetterArn: options['dead-letter-arn'],
    },
  });
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map((issue) => {
          const field = issue.path.join('.');
          const option = OPTION_OF[field] ?? field;
          return issue.message.endsWith('received undefined')
            ? `${option} is required`
            : `${option}: ${issue.message}`;
        })
        .join('; '),
    );
  }
  return parsed.data;
}

/** The option (or variable) that sets each field of the deployment, for messages that name what to fix. */
const OPTION_OF: Readonly<Record<string, string>> = {
  'stream.name': '--stream',
  'stream.mode': '--stream-mode',
  'stream.shardCount': '--shards',
  'stream.retentionHours': '--retention-hours',
  'stream.kmsKeyId': '--kms-key',
  'rule.name': '--rule',
  'rule.eventBusName': '--event-bus',
  'rule.state': '--rule-state',
  'rule.pattern': '--pattern-file',
  'target.roleArn': '--role-arn (or SARWATCH_TARGET_ROLE_ARN)',
  'target.deadLetterArn': '--dead-letter-arn',
};
