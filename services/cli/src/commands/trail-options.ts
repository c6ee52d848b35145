import { parseDuration, parseIsoTime, RuleStateSchema } from '@sarwatch/core';
import type { TrailOptions } from '@sarwatch/reconciler';
import { EXIT_USAGE } from '../command.js';
import { defaultPatternFile, readPatternFile } from '../infra/sar-rule.js';

/** The flags `backfill` and `reconcile` share; each command adds its own. */
export const TRAIL_FLAGS = {
  bucket: { type: 'string' },
  prefix: { type: 'string', default: '' },
  from: { type: 'string' },
  to: { type: 'string' },
  accounts: { type: 'string' },
  regions: { type: 'string' },
  endpoint: { type: 'string' },
  'rule-state': { type: 'string', default: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
  'pattern-file': { type: 'string' },
  settle: { type: 'string', default: '30m' },
} as const;

export const TRAIL_FLAGS_HELP = `  --bucket NAME        the trail's S3 bucket (required)
  --prefix P           the trail's key prefix, if it has one
  --from ISO, --to ISO the window of event times, e.g. 2026-12-01 or 2026-12-01T10:00:00Z (--to excluded)
  --accounts a,b       only these accounts (default: every account in the bucket)
  --regions r,s        only these regions (default: every region)
  --endpoint URL       the S3 endpoint; default $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS's
  --settle DURATION    how late a trail file may arrive after its events (default 30m; 90s, 15m, 1h, 2d)
  --rule-state STATE   the EventBridge rule's state: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (default), ENABLED
  --pattern-file FILE  the rule's event pattern (default: infra/eventbridge/sar-cloudtrail-pattern.json)`;

export const TRAIL_ENV_HELP = `Kafka, topics and the stream name come from the enricher's variables (KAFKA_BROKERS, KAFKA_SSL…, KAFKA_SASL…,
KAFKA_*_TOPIC, KAFKA_EVENT_INDEX_TOPIC, KINESIS_STREAM_NAME, SARWATCH_APPLICATION_NAME, ALERT_RULES_FILE), S3's from
AWS_REGION and the standard AWS credential chain. KINESIS_RETENTION_HOURS (default 24) is the stream's retention.`;

type TrailFlagValues = { [K in keyof typeof TRAIL_FLAGS]?: string };

/** Every problem of the shared flags at once; `toRequired` false lets `reconcile --every` run without an end. */
export function trailOptions(
  values: TrailFlagValues,
  toRequired: boolean,
): { options: TrailOptions; problems: string[] } {
  const problems: string[] = [];
  if (!values.bucket) problems.push('--bucket is required');
  const from = values.from === undefined ? null : parseIsoTime(values.from);
  const to = values.to === undefined ? null : parseIsoTime(values.to);
  if (values.from === undefined) problems.push('--from is required');
  else if (from === null)
    problems.push(`--from must be an ISO 8601 date or time with a zone, got ${values.from}`);
  if (values.to === undefined) {
    if (toRequired) problems.push('--to is required');
  } else if (to === null)
    problems.push(`--to must be an ISO 8601 date or time with a zone, got ${values.to}`);
  if (from && to && from >= to) problems.push('--from must be before --to');
  const settle = parseDuration(values.settle ?? '30m');
  if (settle === null) problems.push(`--settle must be a duration such as 30m or 1h, got ${values.settle}`);
  const state = RuleStateSchema.safeParse(values['rule-state']);
  if (!state.success) problems.push(`--rule-state must be one of ${RuleStateSchema.options.join(', ')}`);
  const accounts = listOf(values.accounts);
  for (const account of accounts ?? []) {
    if (!/^\d{12}$/.test(account)) problems.push(`--accounts takes 12-digit account ids, got ${account}`);
  }
  if (values.endpoint !== undefined && !URL.canParse(values.endpoint)) {
    problems.push(`--endpoint must be a URL such as http://127.0.0.1:9000, got ${values.endpoint}`);
  }
  let pattern = '';
  try {
    pattern = readPatternFile(values['pattern-file'] ?? defaultPatternFile());
  } catch (error) {
    problems.push((error as Error).message);
  }
  return {
    problems,
    options: {
      bucket: values.bucket ?? '',
      prefix: values.prefix ?? '',
      window: { from: from ?? new Date(0), to: to ?? new Date(8.64e15) },
      accounts: accounts && new Set(accounts),
      regions: listOf(values.regions) && new Set(listOf(values.regions)),
      endpoint: values.endpoint,
      pattern,
      ruleState: state.success ? state.data : 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      lateDeliveryMs: settle ?? 0,
    },
  };
}

function listOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The flags parsed, or null after saying in one line what is wrong with them. */
export function parsedFlags<Parsed>(command: string, parse: () => Parsed): Parsed | null {
  try {
    return parse();
  } catch (error) {
    refuseUsage(command, [(error as Error).message]);
    return null;
  }
}

/** Says every problem of the command line in one line, and gives the exit code for bad usage. */
export function refuseUsage(command: string, problems: readonly string[]): number {
  process.stderr.write(`sarwatch ${command}: ${problems.join('; ')}; see 'sarwatch ${command} --help'\n`);
  return EXIT_USAGE;
}
