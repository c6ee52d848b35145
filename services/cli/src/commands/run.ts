import { EnricherConfigSchema, runEnricher } from '@sarwatch/enricher';
import type { Command } from '../command.js';

const variables = Object.keys(EnricherConfigSchema.shape);

export const runCommand: Command = {
  name: 'run',
  summary: 'run the enricher: read the Kinesis stream, enrich, publish to Kafka',
  help: `Usage: sarwatch run

Runs the long-lived consumer. It reads every shard of KINESIS_STREAM_NAME, enriches each SAR CloudTrail event
and publishes it to Kafka; records it cannot read go to the dead-letter topic with the reason. Checkpoints
are kept in a compacted Kafka topic. SIGTERM or SIGINT drains and stops; a second signal exits at once.

Configuration is read from the environment (see README.md for defaults and meaning):
  ${variables.join('\n  ')}

Exit codes: 0 stopped cleanly, 1 shutdown deadline passed, 2 invalid configuration, 130 second signal.
`,
  run: (args) => {
    if (args.length > 0) {
      process.stderr.write(`sarwatch run: takes no arguments, got ${args.join(' ')}\n`);
      return Promise.resolve(2);
    }
    return runEnricher(process.env);
  },
};
