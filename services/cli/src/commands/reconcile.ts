import { parseArgs } from 'node:util';
import { parseDuration } from '@sarwatch/core';
import { runReconcile } from '@sarwatch/reconciler';
import { type Command, EXIT_USAGE } from '../command.js';
import {
  parsedFlags,
  refuseUsage,
  TRAIL_ENV_HELP,
  TRAIL_FLAGS,
  TRAIL_FLAGS_HELP,
  trailOptions,
} from './trail-options.js';

export const reconcileCommand: Command = {
  name: 'reconcile',
  help: `Usage: sarwatch reconcile --bucket NAME [--prefix P] --from ISO --to ISO [--repair] [--json] [--every DURATION]

Compares the trail's log files in S3 with the events sarwatch handled, for the window. Missing: events the trail
has and the rule delivers, that sarwatch never handled. Unexpected: events sarwatch handled that the trail does not
have (injected into the stream, or from an account or region the trail does not cover). Counts by day, account,
region and event name, and the eventIDs. Only what ended --settle ago is judged: later files may be on their way.

Options:
${TRAIL_FLAGS_HELP}
  --repair             publish the missing events once each, as 'sarwatch backfill' does
  --json               print one JSON object: counts, missing and unexpected (lists of eventIDs), breakdowns
  --every DURATION     run as a service: judge each window of this length once it has settled, from --from
                       (or where the last run stopped) on, until stopped (or until --to); metrics on
                       http://$METRICS_HOST:$METRICS_PORT/metrics (default 127.0.0.1:9465)

${TRAIL_ENV_HELP}

Exit codes: 0 complete; 1 anything missing (after --repair: still unrepaired) or unexpected, a trail file
unreadable, the trail or a topic missing; 2 bad usage or configuration, or the window has not settled yet;
3 Kafka refused access. With --every: 0 once stopped (or done with --to).
`,
  async run(args) {
    const parsed = parsedFlags('reconcile', () => parse(args));
    if (parsed === null) return EXIT_USAGE;
    const every = parsed.values.every;
    const everyMs = typeof every === 'string' ? parseDuration(every) : undefined;
    const { options, problems } = trailOptions(parsed.values, every === undefined);
    if (everyMs === null) problems.push(`--every must be a duration such as 1h or 15m, got ${every}`);
    if (problems.length > 0) return refuseUsage('reconcile', problems);
    return runReconcile(process.env, {
      ...options,
      repair: parsed.values.repair === true,
      json: parsed.values.json === true,
      settleMs: options.lateDeliveryMs,
      ...(everyMs ? { everyMs } : {}),
      ...(everyMs && parsed.values.to !== undefined ? { until: options.window.to } : {}),
    });
  },
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      ...TRAIL_FLAGS,
      repair: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      every: { type: 'string' },
    },
    strict: true,
  });
