import { parseArgs } from 'node:util';
import { runBackfill } from '@sarwatch/reconciler';
import { type Command, EXIT_USAGE } from '../command.js';
import {
  parsedFlags,
  refuseUsage,
  TRAIL_ENV_HELP,
  TRAIL_FLAGS,
  TRAIL_FLAGS_HELP,
  trailOptions,
} from './trail-options.js';

export const backfillCommand: Command = {
  name: 'backfill',
  help: `Usage: sarwatch backfill --bucket NAME [--prefix P] --from ISO --to ISO [--accounts a,b] [--regions r,s] [--dry-run]

Reads the trail's log files in S3 for the window, keeps the records sarwatch's EventBridge rule would deliver (the
same pattern and rule state), and publishes those that sarwatch has not handled yet, enriched and with their alerts,
exactly as the live path does; each is marked origin "trail". Events already on the events topic are never
published again, by this run or another (README.md, "Completeness"). Safe to stop and run again.

Options:
${TRAIL_FLAGS_HELP}
  --dry-run            count what would be published; publish nothing

${TRAIL_ENV_HELP}

Exit codes: 0 done; 1 a trail file could not be read (named, and skipped), the trail or a topic is missing, or
another backfill took over; 2 bad usage or configuration; 3 Kafka refused access.
`,
  async run(args) {
    const parsed = parsedFlags('backfill', () => parse(args));
    if (parsed === null) return EXIT_USAGE;
    const { options, problems } = trailOptions(parsed.values, true);
    if (problems.length > 0) return refuseUsage('backfill', problems);
    return runBackfill(process.env, { ...options, dryRun: parsed.values['dry-run'] === true });
  },
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: { ...TRAIL_FLAGS, 'dry-run': { type: 'boolean', default: false } },
    strict: true,
  });
