import { NotifierConfigSchema, runNotifier } from '@sarwatch/notifier';
import type { Command } from '../command.js';

const variables = Object.keys(NotifierConfigSchema.shape);

export const notifyCommand: Command = {
  name: 'notify',
  summary: 'run the notifier: deliver alerts to a webhook (Slack-compatible)',
  help: `Usage: sarwatch notify

Consumes sarwatch.alerts.v1 (committed transactions only) and POSTs each alert to WEBHOOK_URL as a Slack
incoming-webhook message, with an Idempotency-Key header set to the alert id. A failed POST is retried with
backoff, honouring Retry-After; an alert the webhook refuses (4xx other than 408 and 429), or still cannot take
after NOTIFIER_GIVE_UP_AFTER_MS, goes to the dead-letter topic with the reason. An alert's offset is committed
only once it is delivered or dead-lettered, so a restart delivers whatever was in hand.

Configuration is read from the environment (see README.md for defaults and meaning):
  ${variables.join('\n  ')}

Exit codes: 0 stopped cleanly, 1 shutdown deadline passed, 2 invalid configuration, 130 second signal.
`,
  run: (args) => {
    if (args.length > 0) {
      process.stderr.write(`sarwatch notify: takes no arguments, got ${args.join(' ')}\n`);
      return Promise.resolve(2);
    }
    return runNotifier(process.env);
  },
};
