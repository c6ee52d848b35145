import { HEX, LOWER_ALNUM, type Rng, UPPER_ALNUM } from './prng.js';

/**
 * The simulated organisation the events are about: three teams, each with a production and a staging account of
 * people, roles and applications, plus one outside consumer. Built once per generator so that the same principals, keys and
 * applications recur across events, as they do in a real trail.
 */
export interface IamUser {
  name: string;
  principalId: string;
  accessKeyId: string;
}

export interface Role {
  name: string;
  /** The role's unique id (AROA…), which also prefixes every session's principalId. */
  roleId: string;
  arn: string;
}

export interface Account {
  id: string;
  team: string;
  users: IamUser[];
  ciRole: Role;
  ssoRoles: Role[];
  ec2Role: Role;
  releaseRole: Role;
  deployRole: Role;
}

export interface Application {
  name: string;
  owner: Account;
  description: string;
  labels: string[];
  runtime: string;
  /** Mutable: CreateApplicationVersion moves it on, so versions in the stream only grow. */
  version: [number, number, number];
}

export interface World {
  region: string;
  /**
   * Six accounts, so that the stream's partition key (`$.account`) spreads events over every shard of a 4-shard
   * stream, as an organisation's many accounts do; their ids are chosen for that.
   */
  publishers: readonly Account[];
  /** An account outside the organisation that deploys shared applications: the cross-account caller. */
  outsider: Account;
  organizationId: string;
  applications: Application[];
  /** People who sign in through IAM Identity Center; their address is the session name. */
  ssoPeople: string[];
}

export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_REGION = 'us-east-1';
// With 111122223333 first, the first six of these land on shards 2, 2, 0, 1, 3 and 1 of four (MD5 of the key).
const OTHER_ACCOUNT_IDS = [
  '444455556666',
  '777788889999',
  '555566667777',
  '343434343434',
  '787878787878',
  '210987654321',
  '123456789012',
];
const PUBLISHING_ACCOUNTS = 6;

const TEAMS = ['Platform Engineering', 'Data Platform', 'Cloud Security'];
const APPLICATIONS_BY_TEAM: readonly (readonly [string, string, string[]])[][] = [
  [
    ['image-resizer', 'Resizes images uploaded to S3 into web renditions', ['images', 's3']],
    ['thumbnail-generator', 'Creates thumbnails for new video uploads', ['media', 's3']],
    ['log-forwarder', 'Forwards CloudWatch Logs to an HTTPS collector', ['logging', 'cloudwatch']],
    ['slack-alerts', 'Posts CloudWatch alarm state changes to Slack', ['slack', 'alarms']],
    ['cost-reporter', 'Emails a daily Cost Explorer summary per team', ['cost', 'reporting']],
    ['secret-rotator', 'Rotates database credentials in Secrets Manager', ['secrets', 'rotation']],
    ['dynamodb-backup', 'Schedules on-demand DynamoDB backups', ['dynamodb', 'backup']],
    ['s3-antivirus-scan', 'Scans new S3 objects and tags infected ones', ['security', 's3']],
    ['api-key-authorizer', 'Lambda authorizer for API Gateway API keys', ['apigateway', 'auth']],
    ['cloudfront-invalidator', 'Invalidates CloudFront paths after deployments', ['cloudfront', 'cdn']],
  ],
  [
    ['csv-to-parquet', 'Converts CSV drops to partitioned Parquet', ['etl', 'parquet']],
    ['firehose-transformer', 'Record transformation for Kinesis Data Firehose', ['kinesis', 'etl']],
    ['athena-query-runner', 'Runs saved Athena queries on a schedule', ['athena', 'scheduler']],
    ['glue-crawler-trigger', 'Starts Glue crawlers when new partitions land', ['glue', 'catalog']],
    ['sqs-dlq-redrive', 'Moves messages from a dead-letter queue back', ['sqs', 'operations']],
    ['event-replayer', 'Replays archived EventBridge events into a bus', ['eventbridge', 'replay']],
    ['data-quality-checks', 'Validates row counts and schemas after loads', ['data-quality', 'etl']],
    ['redshift-loader', 'Loads manifest files into Redshift with COPY', ['redshift', 'etl']],
    ['json-flattener', 'Flattens nested JSON records for analytics', ['json', 'etl']],
    ['pii-redactor', 'Redacts personal data from text with Comprehend', ['privacy', 'comprehend']],
  ],
  [
    ['guardduty-to-jira', 'Opens Jira issues for GuardDuty findings', ['guardduty', 'jira']],
    ['access-key-auditor', 'Reports IAM access keys older than 90 days', ['iam', 'audit']],
    ['security-hub-notifier', 'Routes Security Hub findings to owners', ['securityhub', 'notifications']],
    ['config-remediator', 'Auto-remediates selected AWS Config rules', ['config', 'remediation']],
    ['trail-digest-validator', 'Validates CloudTrail digest file chains', ['cloudtrail', 'integrity']],
    ['waf-ip-blocker', 'Adds abusive IPs to a WAF IP set', ['waf', 'security']],
    ['patch-compliance-report', 'Summarises SSM patch compliance weekly', ['ssm', 'compliance']],
    ['tag-enforcer', 'Flags resources missing mandatory tags', ['tagging', 'governance']],
    ['unused-eip-cleaner', 'Releases Elastic IPs idle for a week', ['ec2', 'cost']],
    ['mfa-enforcement-check', 'Lists console users without MFA', ['iam', 'mfa']],
  ],
];
const RUNTIMES = ['python3.12', 'python3.11', 'nodejs20.x', 'nodejs18.x', 'java21', 'provided.al2023'];
const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const SSO_PERMISSION_SETS = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ServerlessPublisher',
  'ReadOnlyAccess',
];

/** Identifiers are 21 characters: a four-letter kind prefix (IAM User Guide, "IAM identifiers") and 17 more. */
const uniqueId = (rng: Rng, prefix: 'AIDA' | 'AROA') => `${prefix}${rng.chars(UPPER_ALNUM, 17)}`;
export const accessKeyId = (rng: Rng, prefix: 'AKIA' | 'ASIA') => `${prefix}${rng.chars(UPPER_ALNUM, 16)}`;

function role(rng: Rng, accountId: string, name: string, path = '/'): Role {
  return { name, roleId: uniqueId(rng, 'AROA'), arn: `arn:aws:iam::${accountId}:role${path}${name}` };
}

function account(rng: Rng, id: string, team: string, region: string): Account {
  const users = Array.from({ length: 3 }, (): IamUser => {
    const name = `${rng.pick(USER_NAMES)}.${rng.chars(LOWER_ALNUM, 3)}`;
    return { name, principalId: uniqueId(rng, 'AIDA'), accessKeyId: accessKeyId(rng, 'AKIA') };
  });
  // Identity Center names its roles after the permission set plus a random suffix, under a reserved path.
  const ssoPath = `/aws-reserved/sso.amazonaws.com/${region}/`;
  const ssoRoles = SSO_PERMISSION_SETS.map((set) =>
    role(rng, id, `AWSReservedSSO_${set}_${rng.chars(HEX, 16)}`, ssoPath),
  );
  return {
    id,
    team,
    users,
    ciRole: role(rng, id, 'github-actions-sar-publish'),
    ssoRoles,
    ec2Role: role(rng, id, 'build-host-instance-role'),
    releaseRole: role(rng, id, 'sar-release-manager'),
    deployRole: role(rng, id, 'serverless-app-deployer'),
  };
}

export function createWorld(rng: Rng, options: { accountId?: string; region?: string }): World {
  const primary = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(primary)) throw new RangeError(`accountId must be 12 digits, got "${primary}"`);
  const region = options.region ?? DEFAULT_REGION;
  const ids = [primary, ...OTHER_ACCOUNT_IDS.filter((id) => id !== primary)];
  // Production accounts first (teams in order), then each team's staging account.
  const publishers = ids.slice(0, PUBLISHING_ACCOUNTS).map((id, index) => {
    const team = TEAMS[index % TEAMS.length] as string;
    return account(rng, id, index < TEAMS.length ? team : `${team} (staging)`, region);
  });
  // A team's applications alternate between its production and staging accounts.
  const applications = APPLICATIONS_BY_TEAM.flatMap((apps, team) =>
    apps.map(
      ([name, description, labels], index): Application => ({
        name,
        owner: publishers[team + (index % 2) * TEAMS.length] as Account,
        description,
        labels,
        runtime: rng.pick(RUNTIMES),
        version: [rng.int(0, 3), rng.int(0, 12), rng.int(0, 9)],
      }),
    ),
  );
  return {
    region,
    publishers,
    outsider: account(rng, ids[PUBLISHING_ACCOUNTS] as string, 'Partner Integrations', region),
    organizationId: `o-${rng.chars(LOWER_ALNUM, 10)}`,
    applications,
    ssoPeople: ['jane.doe', 'omar.haddad', 'li.wei', 'priya.nair', 'tomas.berg'].map(
      (n) => `${n}@example.com`,
    ),
  };
}

export const semver = (version: readonly [number, number, number]) => version.join('.');

export const applicationArn = (app: Application, region: string) =>
  `arn:aws:serverlessrepo:${region}:${app.owner.id}:applications/${app.name}`;
