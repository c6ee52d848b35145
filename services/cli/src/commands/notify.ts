import { NotifierConfigSchema, runNotifier } from '@sarwatch/notifier';
import { serviceCommand } from './service-command.js';

export const notifyCommand = serviceCommand({
  name: 'notify',
  description: `Consumes sarwatch.alerts.v1 (committed transactions only) and POSTs each alert to WEBHOOK_URL as a Slack
incoming-webhook message, with an Idempotency-Key header set to the alert id. A failed POST is retried with
backoff, honouring Retry-After; an alert the webhook refuses (4xx other than 408 and 429), or still cannot take
after NOTIFIER_GIVE_UP_AFTER_MS, goes to the dead-letter topic with the reason. An alert's offset is committed
only once it is delivered or dead-lettered, so a restart delivers whatever was in hand.`,
  variables: Object.keys(NotifierConfigSchema.shape),
  run: runNotifier,
});
