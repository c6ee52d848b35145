import { readFileSync } from 'node:fs';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Output,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  type ContainerDefinition,
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { type MotoServer, startMotoServer } from '@sarwatch/devstack';
import { endpointSettings } from '@sarwatch/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PORTS } from './support/ports.js';

const TEMPLATE = readFileSync(
  new URL('../infra/cloudformation/sarwatch-ecs.template.json', import.meta.url),
  'utf8',
);
const REGION = 'eu-west-1';
/** moto's account. */
const ACCOUNT = '123456789012';
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/sarwatch-sar-events`;
const PASSWORD_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:AmazonMSK_sarwatch-AbCdEf`;
const WEBHOOK_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:sarwatch/webhook-GhIjKl`;
const SECRETS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/sarwatch`;
const MSK_CLUSTER = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/audit/abcd1234-0123-abcd-5678-1234abcd-1`;
const REQUIRED = {
  ImageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sarwatch:0.1.0`,
  Subnets: 'subnet-0a1b2c3d,subnet-0e1f2a3b',
  SecurityGroups: 'sg-0123abcd',
  StreamArn: STREAM_ARN,
  KafkaBrokers: 'b-1.audit.abc123.c2.kafka.eu-west-1.amazonaws.com:9096',
};

let moto: MotoServer;
let cloudFormation: CloudFormationClient;
let ecs: ECSClient;
let iam: IAMClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  moto = await startMotoServer(TEST_PORTS.motoEcs);
  const settings = { region: REGION, ...endpointSettings(moto.endpoint) };
  cloudFormation = new CloudFormationClient(settings);
  ecs = new ECSClient(settings);
  iam = new IAMClient(settings);
  logs = new CloudWatchLogsClient(settings);
}, 60_000);

afterAll(async () => {
  for (const client of [cloudFormation, ecs, iam, logs]) client?.destroy();
  await moto?.stop();
});

/** Creates the stack and waits for it; the outputs by name. */
async function createStack(name: string, given: Record<string, string>) {
  const parameters: Parameter[] = Object.entries({ ...REQUIRED, ...given }).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: value,
  }));
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: TEMPLATE,
      Parameters: parameters,
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [stack] = (await cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks ?? [];
    if (stack?.StackStatus !== 'CREATE_IN_PROGRESS' || Date.now() > deadline) {
      expect(stack?.StackStatus, stack?.StackStatusReason).toBe('CREATE_COMPLETE');
      return Object.fromEntries(
        (stack?.Outputs ?? []).map((output: Output) => [output.OutputKey, output.OutputValue ?? '']),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
interface PolicyDocument {
  Statement: Statement[];
}

/**
 * IAM returns policy documents URL-encoded. moto returns the inline policies of an AWS::IAM::Role's `Policies` as
 * the repr of a Python dict (single quotes), which none of these documents' strings contain.
 */
function policyDocument(text: string | undefined): PolicyDocument {
  const decoded = decodeURIComponent(text ?? '');
  try {
    return JSON.parse(decoded);
  } catch {
    return JSON.parse(decoded.replaceAll("'", '"'));
  }
}

const roleName = (arn: string) => arn.split('/').at(-1) ?? '';

/** Every inline policy of the role (its own and those of AWS::IAM::Policy resources naming it), by name. */
async function policiesOf(roleArn: string) {
  const RoleName = roleName(roleArn);
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
  const documents: Record<string, Statement[]> = {};
  for (const PolicyName of names) {
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
    documents[PolicyName] = policyDocument(PolicyDocument).Statement;
  }
  return documents;
}

/** The ARN each action is allowed on, across a role's policies: "action resource" lines, sorted. */
async function grantsOf(roleArn: string) {
  const lines = Object.values(await policiesOf(roleArn)).flatMap((statements) =>
    statements.flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      const actions = [statement.Action].flat();
      return actions.flatMap((action) =>
        [statement.Resource].flat().map((resource) => `${action} ${resource}`),
      );
    }),
  );
  return [...new Set(lines)].sort();
}

async function containerOf(taskDefinitionArn: string | undefined): Promise<ContainerDefinition> {
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
  );
  expect(taskDefinition?.containerDefinitions).toHaveLength(1);
  return taskDefinition?.containerDefinitions?.[0] ?? {};
}

const environmentOf = (container: ContainerDefinition) =>
  Object.fromEntries((container.environment ?? []).map(({ name, value }) => [name, value]));

const healthCheck = (port: number) => [
  'CMD-SHELL',
  `node -e "fetch('http://127.0.0.1:${port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
];

async function logGroupsOf(stack: string) {
  const { logGroups } = await logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: `/sarwatch/${stack}/` }),
  );
  return (logGroups ?? []).map((group) => ({
    name: group.logGroupName,
    retentionInDays: group.retentionInDays,
  }));
}

describe('the ECS Fargate stack, created from its template on a local AWS API server (moto)', () => {
  it('runs the enricher and the notifier with their secrets, health checks, roles and log groups', async () => {
    const outputs = await createStack('sarwatch-ecs', {
      ImageRepositoryArn: REPOSITORY,
      KafkaSaslMechanism: 'scram-sha-512',
      KafkaSaslUsername: 'sarwatch',
      KafkaSaslPasswordSecretArn: PASSWORD_SECRET,
      KafkaSaslPasswordSecretJsonKey: 'password',
      WebhookUrlSecretArn: WEBHOOK_SECRET,
      SecretsKmsKeyArn: SECRETS_KEY,
      LogRetentionInDays: '14',
    });
    expect(Object.keys(outputs).sort()).toEqual([
      'ClusterName',
      'EnricherExecutionRoleArn',
      'EnricherLogGroupName',
      'EnricherServiceArn',
      'EnricherServiceName',
      'EnricherTaskRoleArn',
      'NotifierExecutionRoleArn',
      'NotifierLogGroupName',
      'NotifierServiceArn',
      'NotifierServiceName',
      'NotifierTaskRoleArn',
    ]);

    // The cluster the stack created, with both services in it.
    const { services } = await ecs.send(
      new DescribeServicesCommand({
        cluster: outputs.ClusterName,
        services: [outputs.EnricherServiceName ?? '', outputs.NotifierServiceName ?? ''],
      }),
    );
    expect(services?.map((service) => [service.serviceArn, service.desiredCount])).toEqual([
      [outputs.EnricherServiceArn, 2],
      [outputs.NotifierServiceArn, 1],
    ]);

    const enricher = await containerOf(services?.[0]?.taskDefinition);
    const notifier = await containerOf(services?.[1]?.taskDefinition);
    expect(enricher).toMatchObject({
      name: 'enricher',
      image: REQUIRED.ImageUri,
      command: ['run'],
      memory: 1024,
      stopTimeout: 30,
      healthCheck: { command: healthCheck(9464), interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
      secrets: [{ name: 'KAFKA_SASL_PASSWORD', valueFrom: `${PASSWORD_SECRET}:password::` }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: expect.objectContaining({
          'awslogs-group': outputs.EnricherLogGroupName,
          'awslogs-region': REGION,
          'awslogs-stream-prefix': 'enricher',
        }),
      },
    });
    expect(notifier).toMatchObject({
      name: 'notifier',
      command: ['notify'],
      memory: 512,
      stopTimeout: 30,
      healthCheck: { command: healthCheck(9465) },
      secrets: [
        { name: 'WEBHOOK_URL', valueFrom: WEBHOOK_SECRET },
        { name: 'KAFKA_SASL_PASSWORD', valueFrom: `${PASSWORD_SECRET}:password::` },
      ],
      logConfiguration: {
        options: expect.objectContaining({ 'awslogs-group': outputs.NotifierLogGroupName }),
      },
    });
    expect(environmentOf(enricher)).toMatchObject({
      KINESIS_STREAM_NAME: 'sarwatch-sar-events',
      AWS_REGION: REGION,
      KAFKA_BROKERS: 'b-1.audit.abc123.c2.kafka.eu-west-1.amazonaws.com:9096',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sarwatch',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '9464',
      SHUTDOWN_TIMEOUT_MS: '25000',
    });
    expect(environmentOf(notifier)).toMatchObject({ METRICS_PORT: '9465', SHUTDOWN_TIMEOUT_MS: '25000' });
    for (const container of [enricher, notifier]) {
      const environment = JSON.stringify(container.environment);
      expect(environment).not.toMatch(/PASSWORD|WEBHOOK|secretsmanager/);
    }

    // The roles (moto's CloudFormation keeps no taskRoleArn or executionRoleArn on a task definition: the unit test
    // checks which role each task definition names).
    for (const arn of [
      outputs.EnricherTaskRoleArn,
      outputs.NotifierTaskRoleArn,
      outputs.EnricherExecutionRoleArn,
      outputs.NotifierExecutionRoleArn,
    ]) {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName(arn ?? '') }));
      expect(Role?.Arn).toBe(arn);
      expect(policyDocument(Role?.AssumeRolePolicyDocument).Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      ]);
    }
    const logWriting = (group: string | undefined) => [
      `logs:CreateLogStream arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:*`,
      `logs:PutLogEvents arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:*`,
    ];
    const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].map(
      (action) => `${action} ${REPOSITORY}`,
    );
    expect(await grantsOf(outputs.EnricherTaskRoleArn ?? '')).toEqual(
      [
        'kinesis:DescribeStreamSummary',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
        'kms:Decrypt',
      ].map((action) => `${action} ${action === 'kms:Decrypt' ? '*' : STREAM_ARN}`),
    );
    expect(await grantsOf(outputs.NotifierTaskRoleArn ?? '')).toEqual([]);
    expect(await grantsOf(outputs.EnricherExecutionRoleArn ?? '')).toEqual(
      [
        ...logWriting(outputs.EnricherLogGroupName),
        'ecr:GetAuthorizationToken *',
        ...pull,
        `secretsmanager:GetSecretValue ${PASSWORD_SECRET}`,
        `kms:Decrypt ${SECRETS_KEY}`,
      ].sort(),
    );
    expect(await grantsOf(outputs.NotifierExecutionRoleArn ?? '')).toEqual(
      [
        ...logWriting(outputs.NotifierLogGroupName),
        'ecr:GetAuthorizationToken *',
        ...pull,
        `secretsmanager:GetSecretValue ${PASSWORD_SECRET}`,
        `secretsmanager:GetSecretValue ${WEBHOOK_SECRET}`,
        `kms:Decrypt ${SECRETS_KEY}`,
      ].sort(),
    );

    expect(await logGroupsOf('sarwatch-ecs')).toEqual([
      { name: '/sarwatch/sarwatch-ecs/enricher', retentionInDays: 14 },
      { name: '/sarwatch/sarwatch-ecs/notifier', retentionInDays: 14 },
    ]);
    expect([outputs.EnricherLogGroupName, outputs.NotifierLogGroupName]).toEqual([
      '/sarwatch/sarwatch-ecs/enricher',
      '/sarwatch/sarwatch-ecs/notifier',
    ]);
  });

  it('without a webhook secret, runs only the enricher, in an existing cluster, with its MSK IAM permissions', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'audit' }));
    const outputs = await createStack('sarwatch-msk', {
      ClusterName: 'audit',
      KafkaBrokers: 'b-1.audit.abc123.c2.kafka.eu-west-1.amazonaws.com:9098',
      KafkaSaslMechanism: 'aws-msk-iam',
      MskClusterArn: MSK_CLUSTER,
      EnricherDesiredCount: '3',
    });
    expect(Object.keys(outputs).filter((name) => name.startsWith('Notifier'))).toEqual([]);
    expect(outputs.ClusterName).toBe('audit');

    const { serviceArns } = await ecs.send(new ListServicesCommand({ cluster: 'audit' }));
    expect(serviceArns).toEqual([outputs.EnricherServiceArn]);
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'audit', services: [outputs.EnricherServiceName ?? ''] }),
    );
    expect(services?.[0]?.desiredCount).toBe(3);
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sarwatch-msk-notifier' })),
    ).rejects.toThrow();

    const enricher = await containerOf(services?.[0]?.taskDefinition);
    expect(enricher.secrets ?? []).toEqual([]);
    expect(environmentOf(enricher)).toMatchObject({
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      KAFKA_SASL_USERNAME: '',
      AWS_REGION: REGION,
    });

    const policies = await policiesOf(outputs.EnricherTaskRoleArn ?? '');
    expect(Object.keys(policies).sort()).toEqual(['msk-iam-enricher', 'read-the-stream']);
    const kafka = (await grantsOf(outputs.EnricherTaskRoleArn ?? '')).filter((line) =>
      line.startsWith('kafka-cluster:'),
    );
    const within = (kind: string, name: string) =>
      `arn:aws:kafka:${REGION}:${ACCOUNT}:${kind}/audit/abcd1234-0123-abcd-5678-1234abcd-1/${name}`;
    expect(kafka).toContain(`kafka-cluster:Connect ${MSK_CLUSTER}`);
    expect(kafka).toContain(`kafka-cluster:WriteData ${within('topic', 'sarwatch.events.v1')}`);
    expect(kafka).toContain(
      `kafka-cluster:AlterTransactionalId ${within('transactional-id', 'sarwatch|sarwatch-sar-events|*')}`,
    );
    expect(kafka).toContain(
      `kafka-cluster:AlterGroup ${within('group', 'sarwatch.sarwatch-sar-events.owners')}`,
    );
    expect(kafka.filter((line) => line.includes('notifier'))).toEqual([]);
    expect(await grantsOf(outputs.EnricherExecutionRoleArn ?? '')).toEqual([
      `logs:CreateLogStream arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${outputs.EnricherLogGroupName}:*`,
      `logs:PutLogEvents arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${outputs.EnricherLogGroupName}:*`,
    ]);
    expect(await logGroupsOf('sarwatch-msk')).toEqual([
      { name: '/sarwatch/sarwatch-msk/enricher', retentionInDays: 30 },
    ]);
  });

  it('takes its log groups and roles away when the stack is deleted', async () => {
    const outputs = await createStack('sarwatch-gone', { WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(await logGroupsOf('sarwatch-gone')).toHaveLength(2);
    await cloudFormation.send(new DeleteStackCommand({ StackName: 'sarwatch-gone' }));
    expect(await logGroupsOf('sarwatch-gone')).toEqual([]);
    const { Roles } = await iam.send(new ListRolesCommand({}));
    const left = (Roles ?? []).map((role) => role.Arn);
    for (const output of ['EnricherTaskRoleArn', 'NotifierTaskRoleArn', 'EnricherExecutionRoleArn']) {
      expect(left).not.toContain(outputs[output]);
    }
  });
});
