import type { CloudTrailRecord } from '../cloudtrail/record.js';

/**
 * The console's own user agents: `console.amazonaws.com`, `signin.amazonaws.com`, and regional or per-service forms
 * such as `console.ec2.amazonaws.com`.
 */
export const CONSOLE_HOST_AGENT =
  /^(?:[a-z0-9-]+\.)*(?:console|signin)(?:\.[a-z0-9-]+)*\.(?:amazonaws\.com|aws\.amazon\.com)$/i;

/**
 * A service console calling through AWS's internal SDK, its name first: `[S3Console/0.4, aws-internal/3 …]`,
 * `RDS Console, aws-internal/3 …`. The internal SDK alone says only that AWS made the call.
 */
export const SERVICE_CONSOLE_AGENT = /^\[?[^,\]]*console[^,\]]*,\s*aws-internal\//i;

/**
 * What every service console's agent holds. Looked for first because SERVICE_CONSOLE_AGENT, anchored but free in
 * between, backtracks across the whole of a long SDK agent that has no comma (5% of the core path's time).
 */
const INTERNAL_SDK = /aws-internal\//i;

export const isConsoleUserAgent = (userAgent: string | undefined): boolean =>
  userAgent !== undefined &&
  (CONSOLE_HOST_AGENT.test(userAgent) ||
    (INTERNAL_SDK.test(userAgent) && SERVICE_CONSOLE_AGENT.test(userAgent)));

/**
 * Whether the call was made with console session credentials, from what CloudTrail documents: the record's
 * `sessionCredentialFromConsole`, a sign-in event (`eventType: AwsConsoleSignIn`), or a console's user agent.
 * `AWS Internal` alone is not one: it is a service acting with the caller's credentials. A long-term key never is.
 */
export function isConsoleCall(record: CloudTrailRecord): boolean {
  if (record.userIdentity.accessKeyId?.startsWith('AKIA')) return false;
  const flag = record.sessionCredentialFromConsole;
  if (flag === true || flag === 'true') return true;
  // CloudTrail's own examples spell it both AwsConsoleSignIn and AwsConsoleSignin.
  if (record.eventType?.toLowerCase() === 'awsconsolesignin' || record.eventName === 'ConsoleLogin')
    return true;
  return isConsoleUserAgent(record.userAgent);
}
