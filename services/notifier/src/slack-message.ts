import type { Alert } from '@sarwatch/core';

/** What Slack incoming webhooks take: `text` for notifications and clients without blocks, `blocks` for the rest. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

const SEVERITY_MARK: Record<Alert['severity'], string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':white_circle:',
};

/** The alert as a Slack message: the summary first, then why it matters, then where to look it up. */
export function toSlackMessage(alert: Alert): SlackMessage {
  const heading = `[${alert.severity.toUpperCase()}] ${alert.title}`;
  const events =
    alert.eventIds.length === 1
      ? `event ${alert.eventIds[0]}`
      : `${alert.eventIds.length} events, last ${alert.eventIds.at(-1)}`;
  return {
    text: mrkdwn(`${heading}: ${alert.summary}`),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${SEVERITY_MARK[alert.severity]} *${mrkdwn(heading)}*\n${mrkdwn(alert.summary)}`,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(alert.why) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: mrkdwn(
              `rule ${alert.ruleId} · ${events} · ${alert.event.eventTime} · alert ${alert.alertId}`,
            ),
          },
        ],
      },
    ],
  };
}

/** Slack reads &, < and > as markup in any text it shows; everything else may stay as it is. */
const mrkdwn = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
