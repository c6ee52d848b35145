import { EnricherConfigSchema, runEnricher } from '@sarwatch/enricher';
import { serviceCommand } from './service-command.js';

export const runCommand = serviceCommand({
  name: 'run',
  description: `Runs the long-lived consumer. It reads every shard of KINESIS_STREAM_NAME, enriches each SAR CloudTrail event,
runs it through the alert rules (ALERT_RULES_FILE) and publishes the event and its alerts to Kafka; records it
cannot read go to the dead-letter topic with the reason. Checkpoints are kept in a compacted Kafka topic, in the
same transaction. SIGHUP reloads the alert rules. SIGTERM or SIGINT drains and stops; a second signal exits at once.`,
  variables: Object.keys(EnricherConfigSchema.shape),
  run: runEnricher,
});
