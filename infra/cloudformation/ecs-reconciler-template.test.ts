import { parseDuration, parseIsoTime, RuleStateSchema } from '@sarwatch/core';
import { SASL_MECHANISMS } from '@sarwatch/kafka';
import { describe, expect, it } from 'vitest';
// The reconciler's package exports its commands only; its configuration parser is read from the source.
import { parseReconcilerConfig, ReconcilerConfigSchema } from '../../services/reconciler/src/config.js';
import {
  type Container,
  containerOf,
  environmentOf,
  first,
  forReconciler,
  type Json,
  kafkaParameterCombinations,
  PASSWORD_SECRET,
  RECONCILER_REQUIRED,
  RECONCILER_TEMPLATE_TEXT,
  reconcilerStack,
  reconcilerTemplate,
  SCRAM_ALL,
  stack,
  template,
} from './test-support/ecs-fixtures.js';

// sarwatch-ecs-reconciler.template.json: `sarwatch reconcile --every` on ECS, beside the services of
// sarwatch-ecs.template.json (which has no room left under CloudFormation's template body limit). Its IAM is in
// ecs-reconciler-iam.test.ts.

const params = reconcilerTemplate.Parameters as Record<string, Json>;
const reconciler = (given: Record<string, string> = {}) =>
  containerOf(reconcilerStack(given).resources, 'ReconcilerTaskDefinition');
const withSecrets = (container: Container) => ({
  ...environmentOf(container),
  ...Object.fromEntries((container.Secrets ?? []).map(({ Name }) => [Name, 'not-the-real-one'])),
});

describe('the reconciler template', () => {
  it('stays under the 51,200 bytes CloudFormation takes as a template body', () => {
    expect(Buffer.byteLength(RECONCILER_TEMPLATE_TEXT)).toBeLessThan(51_200);
  });

  it("takes the ECS template's parameters as they are, and refuses the Kafka settings it refuses", () => {
    const own = Object.keys(params).filter((name) => !(name in template.Parameters));
    expect(own.sort()).toEqual(
      [
        'TrailBucket',
        'TrailPrefix',
        'TrailKmsKeyArn',
        'ReconcileFrom',
        'ReconcileEvery',
        'StreamRetentionHours',
        'RuleState',
        'ReconcilerCpu',
        'ReconcilerMemory',
      ].sort(),
    );
    const constraints = ({ Description: _, ConstraintDescription: __, ...rest }: Json) => rest;
    for (const name of Object.keys(params).filter((name) => name in template.Parameters)) {
      // Here the cluster is the ECS stack's, never one of its own.
      if (name === 'ClusterName') continue;
      expect(constraints(params[name] as Json), name).toEqual(constraints(template.Parameters[name]));
    }
    expect(params.ClusterName?.Default).toBeUndefined();
    expect(new RegExp(`^(?:${params.ClusterName?.AllowedPattern})$`).test('')).toBe(false);
    expect(reconcilerTemplate.Rules).toEqual(template.Rules);

    const grouped = reconcilerTemplate.Metadata['AWS::CloudFormation::Interface'].ParameterGroups.flatMap(
      (group: { Parameters: string[] }) => group.Parameters,
    );
    expect([...grouped].sort()).toEqual(Object.keys(params).sort());
  });

  it('needs the trail bucket and where to start; the rest follows the first template', () => {
    expect(params.TrailBucket?.Default).toBeUndefined();
    expect(params.ReconcileFrom?.Default).toBeUndefined();
    expect(params.TrailPrefix?.Default).toBe('');
    expect(params.TrailKmsKeyArn?.Default).toBe('');
    expect(params.ReconcileEvery?.Default).toBe('1h');
    // The stream's retention and the rule's state, as sarwatch.template.json deploys them by default.
    const retention = first.Parameters.RetentionPeriodHours;
    expect(params.StreamRetentionHours).toMatchObject({
      Default: retention.Default,
      MinValue: retention.MinValue,
      MaxValue: retention.MaxValue,
    });
    expect(params.RuleState?.Default).toBe(first.Parameters.RuleState.Default);
    // A disabled rule delivers nothing: there would be nothing to reconcile.
    expect(params.RuleState?.AllowedValues).toEqual(
      RuleStateSchema.options.filter((state) => state !== 'DISABLED'),
    );
  });

  it('runs `sarwatch reconcile --every` with --repair on the trail, from the time given', () => {
    expect(reconciler().Command).toEqual([
      'reconcile',
      '--bucket',
      RECONCILER_REQUIRED.TrailBucket,
      '--prefix=',
      '--from',
      '2026-12-01',
      '--every',
      '1h',
      '--rule-state',
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      '--repair',
    ]);
    const prefixed = reconciler({ TrailPrefix: 'audit/org', ReconcileEvery: '15m', RuleState: 'ENABLED' });
    expect(prefixed.Command).toContain('--prefix=audit/org');
    expect(prefixed.Command.slice(-5)).toEqual(['--every', '15m', '--rule-state', 'ENABLED', '--repair']);
  });

  it('lets through only --from, --every and prefix values the command accepts', () => {
    const accepts = (name: string, value: string) =>
      new RegExp(`^(?:${params[name]?.AllowedPattern})$`).test(value);
    for (const from of [
      '2026-12-01',
      '2026-12-01T10:00Z',
      '2026-12-01T10:00:00Z',
      '2026-12-01T10:00:00.250+02:00',
      '2026-12-01T10:00:00',
      '2026-12-01 10:00:00Z',
      '01/12/2026',
      'yesterday',
      '',
    ]) {
      expect(accepts('ReconcileFrom', from), from).toBe(parseIsoTime(from) !== null);
    }
    for (const every of ['1h', '15m', '1d', '90s', '1h30m', '10h', '0h', '0s', 'h', '1H', '1w', '']) {
      expect(accepts('ReconcileEvery', every), every).toBe(parseDuration(every) !== null);
    }
    // The prefix names S3 keys: no slash at either end (the ARNs add one), no wildcard.
    for (const [prefix, ok] of [
      ['', true],
      ['audit', true],
      ['audit/org-trail', true],
      ['/audit', false],
      ['audit/', false],
      ['audit*', false],
      ['a b', false],
    ] as const) {
      expect(accepts('TrailPrefix', prefix), prefix).toBe(ok);
    }
  });

  it("gives the reconciler the enricher's Kafka settings, names and secrets, which its parser accepts", () => {
    const given = { ...SCRAM_ALL, KafkaSsl: 'true', TopicPrefix: 'prod.sarwatch.', ApplicationName: 'audit' };
    const services = stack(given).resources;
    const enricher = containerOf(services, 'EnricherTaskDefinition');
    const container = reconciler(forReconciler(given));
    const env = environmentOf(container);
    const shape = ReconcilerConfigSchema.shape as Record<string, unknown>;
    expect(Object.keys(env).filter((name) => !(name in shape))).toEqual([]);
    // Whatever both read, they read the same: the same brokers, topics, stream and application.
    const shared = Object.entries(environmentOf(enricher)).filter(
      ([name]) => name in shape && name !== 'METRICS_PORT',
    );
    expect(shared.length).toBeGreaterThan(10);
    for (const [name, value] of shared) expect(env[name], name).toBe(value);
    expect(container.Secrets).toEqual(enricher.Secrets);
    expect(container.Secrets).toEqual([{ Name: 'KAFKA_SASL_PASSWORD', ValueFrom: PASSWORD_SECRET }]);

    expect(parseReconcilerConfig(withSecrets(container))).toMatchObject({
      KINESIS_STREAM_NAME: 'sarwatch-sar-events',
      KINESIS_RETENTION_HOURS: 24,
      AWS_REGION: 'eu-west-1',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_PASSWORD: 'not-the-real-one',
      KAFKA_EVENTS_TOPIC: 'prod.sarwatch.events.v1',
      KAFKA_ALERTS_TOPIC: 'prod.sarwatch.alerts.v1',
      KAFKA_DLQ_TOPIC: 'prod.sarwatch.dlq.v1',
      KAFKA_EVENT_INDEX_TOPIC: 'prod.sarwatch.event-index.v1',
      KAFKA_CHECKPOINT_TOPIC: 'prod.sarwatch.checkpoints.v1',
      SARWATCH_APPLICATION_NAME: 'audit',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: 9465,
      LOG_FORMAT: 'json',
    });
    const retained = reconciler({ StreamRetentionHours: '168' });
    expect(parseReconcilerConfig(environmentOf(retained)).KINESIS_RETENTION_HOURS).toBe(168);
  });

  it('is deployable exactly with the Kafka settings the reconciler accepts', () => {
    const mechanisms = params.KafkaSaslMechanism?.AllowedValues as string[];
    expect(mechanisms).toEqual(['', ...SASL_MECHANISMS.filter((mechanism) => mechanism !== 'oauthbearer')]);
    let deployable = 0;
    for (const kafka of kafkaParameterCombinations(mechanisms)) {
      const given = { ...kafka };
      const { KafkaSaslMechanism, MskClusterArn } = kafka;
      const { resources, broken } = reconcilerStack(given);
      let accepted = true;
      try {
        parseReconcilerConfig(withSecrets(containerOf(resources, 'ReconcilerTaskDefinition')));
      } catch {
        accepted = false;
      }
      const mskConsistent = (KafkaSaslMechanism === 'aws-msk-iam') === (MskClusterArn !== '');
      expect({ given, deployable: broken.length === 0 }).toEqual({
        given,
        deployable: accepted && mskConsistent,
      });
      if (broken.length === 0) deployable += 1;
    }
    expect(deployable).toBe(2 + 1 + 3 * 2);
  });
});

describe('how the reconciler runs', () => {
  it("checks /healthz on its own port as the enricher's check does, and exposes it only when asked", () => {
    const enricher = containerOf(stack().resources, 'EnricherTaskDefinition');
    const container = reconciler();
    expect(environmentOf(container)).toMatchObject({ METRICS_HOST: '127.0.0.1', METRICS_PORT: '9465' });
    expect(container.HealthCheck).toEqual({
      ...enricher.HealthCheck,
      Command: enricher.HealthCheck.Command.map((part) => part.replace(':9464/', ':9465/')),
    });
    expect(container.HealthCheck.Command[1]).toContain('http://127.0.0.1:9465/healthz');
    expect(container.PortMappings).toBeUndefined();
    const exposed = reconciler({ ExposeMetrics: 'true' });
    expect(environmentOf(exposed).METRICS_HOST).toBe('0.0.0.0');
    expect(exposed.PortMappings).toEqual([{ Name: 'metrics', ContainerPort: 9465, Protocol: 'tcp' }]);
    expect([container.StopTimeout, container.LinuxParameters]).toEqual([
      enricher.StopTimeout,
      enricher.LinuxParameters,
    ]);
  });

  it('logs to a log group of its own, kept LogRetentionInDays, as the services do', () => {
    const { resources } = reconcilerStack({ LogRetentionInDays: '90' });
    expect(resources.ReconcilerLogGroup?.Properties).toEqual({
      LogGroupName: '/sarwatch/audit/reconciler',
      RetentionInDays: '90',
    });
    const enricher = containerOf(stack().resources, 'EnricherTaskDefinition');
    expect(containerOf(resources, 'ReconcilerTaskDefinition').LogConfiguration).toEqual({
      ...enricher.LogConfiguration,
      Options: {
        ...enricher.LogConfiguration.Options,
        'awslogs-group': '<ReconcilerLogGroup>',
        'awslogs-stream-prefix': 'reconciler',
      },
    });
  });

  it("runs one task at a time in the services' cluster, sized by its parameters", () => {
    const { resources, outputs } = reconcilerStack();
    expect(resources.ReconcilerService?.Properties).toMatchObject({
      Cluster: RECONCILER_REQUIRED.ClusterName,
      LaunchType: 'FARGATE',
      TaskDefinition: '<ReconcilerTaskDefinition>',
      DesiredCount: 1,
      // Stop the old task before the new one starts: two would take the trail writer from each other.
      DeploymentConfiguration: {
        MinimumHealthyPercent: 0,
        MaximumPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      },
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
          SecurityGroups: ['sg-0123abcd'],
          AssignPublicIp: 'DISABLED',
        },
      },
    });
    const definition = resources.ReconcilerTaskDefinition?.Properties as Json;
    expect(definition).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: params.ReconcilerCpu?.Default,
      Memory: String(params.ReconcilerMemory?.Default),
      TaskRoleArn: '<ReconcilerTaskRole.Arn>',
      ExecutionRoleArn: '<ReconcilerExecutionRole.Arn>',
    });
    expect(containerOf(resources, 'ReconcilerTaskDefinition').Memory).toBe(definition.Memory);
    expect(outputs).toEqual({
      ReconcilerServiceName: '<ReconcilerService.Name>',
      ReconcilerServiceArn: '<ReconcilerService>',
      ReconcilerTaskRoleArn: '<ReconcilerTaskRole.Arn>',
      ReconcilerExecutionRoleArn: '<ReconcilerExecutionRole.Arn>',
      ReconcilerLogGroupName: '<ReconcilerLogGroup>',
    });
  });
});
