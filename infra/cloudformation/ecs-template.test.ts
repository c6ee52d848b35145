import { parseEnricherConfig } from '@sarwatch/enricher';
import { SASL_MECHANISMS } from '@sarwatch/kafka';
import { parseNotifierConfig } from '@sarwatch/notifier';
import { describe, expect, it } from 'vitest';
import {
  type Container,
  containerOf,
  environmentOf,
  type Json,
  kafkaParameterCombinations,
  MSK_ALL,
  PASSWORD_SECRET,
  REQUIRED,
  type Resource,
  SCRAM_ALL,
  stack,
  TEMPLATE_TEXT,
  template,
  WEBHOOK_SECRET,
} from './test-support/ecs-fixtures.js';

// The template's structure, parameters and secrets, and the services' own configuration. Health checks, stopping,
// logs, sizing and scaling are in ecs-template-runtime.test.ts; IAM in ecs-template-iam.test.ts.

describe('the ECS Fargate template', () => {
  it('stays under the 51,200 bytes CloudFormation takes as a template body', () => {
    expect(Buffer.byteLength(TEMPLATE_TEXT)).toBeLessThan(51_200);
  });

  it('takes the image, the network and the cluster as parameters', () => {
    const p = template.Parameters;
    expect(p.ImageUri.Default).toBeUndefined();
    expect(p.Subnets.Type).toBe('List<AWS::EC2::Subnet::Id>');
    expect(p.SecurityGroups.Type).toBe('List<AWS::EC2::SecurityGroup::Id>');
    expect(p.AssignPublicIp).toMatchObject({ Default: 'DISABLED', AllowedValues: ['DISABLED', 'ENABLED'] });

    const own = stack();
    expect(own.resources.Cluster?.Type).toBe('AWS::ECS::Cluster');
    expect(own.resources.EnricherService?.Properties).toMatchObject({
      Cluster: '<Cluster>',
      LaunchType: 'FARGATE',
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
          SecurityGroups: ['sg-0123abcd'],
          AssignPublicIp: 'DISABLED',
        },
      },
    });
    expect(own.outputs.ClusterName).toBe('<Cluster>');

    const shared = stack({ ClusterName: 'audit', WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(shared.resources.Cluster).toBeUndefined();
    expect(shared.resources.EnricherService?.Properties.Cluster).toBe('audit');
    expect(shared.resources.NotifierService?.Properties.Cluster).toBe('audit');
    expect(shared.outputs.ClusterName).toBe('audit');
    expect(containerOf(own.resources, 'EnricherTaskDefinition').Image).toBe(REQUIRED.ImageUri);
  });

  it('runs the enricher always, and the notifier only when a webhook secret is given', () => {
    const without = stack();
    const notifierParts = (names: string[]) => names.filter((name) => name.startsWith('Notifier'));
    expect(notifierParts(Object.keys(without.resources))).toEqual([]);
    expect(notifierParts(Object.keys(without.outputs))).toEqual([]);
    expect(containerOf(without.resources, 'EnricherTaskDefinition').Command).toEqual(['run']);
    expect(without.resources.EnricherService?.Properties.DesiredCount).toBe('2');

    const withWebhook = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(notifierParts(Object.keys(withWebhook.resources)).sort()).toEqual([
      'NotifierExecutionRole',
      'NotifierLogGroup',
      'NotifierService',
      'NotifierTaskDefinition',
      'NotifierTaskRole',
    ]);
    expect(notifierParts(Object.keys(withWebhook.outputs)).sort()).toEqual([
      'NotifierExecutionRoleArn',
      'NotifierLogGroupName',
      'NotifierServiceArn',
      'NotifierServiceName',
      'NotifierTaskRoleArn',
    ]);
    expect(containerOf(withWebhook.resources, 'NotifierTaskDefinition').Command).toEqual(['notify']);
    expect(withWebhook.resources.NotifierService?.Properties.DesiredCount).toBe(1);
    for (const [name, resource] of Object.entries(template.Resources as Record<string, Resource>)) {
      if (name.startsWith('Notifier'))
        expect(['HasNotifier', 'NotifierUsesMskIam']).toContain(resource.Condition);
    }
  });

  it('gives the operator the names and ARNs to find each service, role and log group', () => {
    const { outputs } = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(outputs).toEqual({
      ClusterName: '<Cluster>',
      EnricherServiceName: '<EnricherService.Name>',
      EnricherServiceArn: '<EnricherService>',
      EnricherTaskRoleArn: '<EnricherTaskRole.Arn>',
      EnricherExecutionRoleArn: '<EnricherExecutionRole.Arn>',
      EnricherLogGroupName: '<EnricherLogGroup>',
      NotifierServiceName: '<NotifierService.Name>',
      NotifierServiceArn: '<NotifierService>',
      NotifierTaskRoleArn: '<NotifierTaskRole.Arn>',
      NotifierExecutionRoleArn: '<NotifierExecutionRole.Arn>',
      NotifierLogGroupName: '<NotifierLogGroup>',
    });
  });
});

describe('secrets', () => {
  it('reach the containers through ECS secrets, from exactly the secrets given', () => {
    const scram = stack(SCRAM_ALL);
    expect(containerOf(scram.resources, 'EnricherTaskDefinition').Secrets).toEqual([
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: PASSWORD_SECRET },
    ]);
    expect(containerOf(scram.resources, 'NotifierTaskDefinition').Secrets).toEqual([
      { Name: 'WEBHOOK_URL', ValueFrom: WEBHOOK_SECRET },
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: PASSWORD_SECRET },
    ]);

    // MSK's AmazonMSK_ secrets hold JSON; ECS takes one key of it with <arn>:<json key>::.
    const jsonKey = stack({ ...SCRAM_ALL, KafkaSaslPasswordSecretJsonKey: 'password' });
    expect(containerOf(jsonKey.resources, 'EnricherTaskDefinition').Secrets).toEqual([
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: `${PASSWORD_SECRET}:password::` },
    ]);

    const iam = stack(MSK_ALL);
    expect(containerOf(iam.resources, 'EnricherTaskDefinition').Secrets).toBeUndefined();
    expect(containerOf(iam.resources, 'NotifierTaskDefinition').Secrets).toEqual([
      { Name: 'WEBHOOK_URL', ValueFrom: WEBHOOK_SECRET },
    ]);
  });

  it('never appear in a plain environment variable', () => {
    const secretParameters = Object.keys(template.Parameters).filter((name) =>
      /^(KafkaSaslPassword|WebhookUrl)Secret/.test(name),
    );
    expect(secretParameters.sort()).toEqual([
      'KafkaSaslPasswordSecretArn',
      'KafkaSaslPasswordSecretJsonKey',
      'WebhookUrlSecretArn',
    ]);
    // In the template itself: no Environment entry refers to a secret parameter.
    for (const resource of Object.values(template.Resources as Record<string, Resource>)) {
      for (const definition of (resource.Properties.ContainerDefinitions ?? []) as Json[]) {
        const text = JSON.stringify(definition.Environment);
        for (const name of secretParameters) expect(text).not.toContain(name);
      }
    }
    for (const given of [SCRAM_ALL, { ...SCRAM_ALL, KafkaSaslPasswordSecretJsonKey: 'password' }, MSK_ALL]) {
      const { resources } = stack(given);
      for (const definition of ['EnricherTaskDefinition', 'NotifierTaskDefinition']) {
        const container = containerOf(resources, definition);
        const secretNames = (container.Secrets ?? []).map((secret) => secret.Name);
        for (const { Name, Value } of container.Environment) {
          expect(Name).not.toMatch(/PASSWORD|SECRET|TOKEN|WEBHOOK|KEY/);
          expect(secretNames).not.toContain(Name);
          expect(Value).not.toMatch(/secretsmanager|:secret:|hooks\.|https?:\/\//);
        }
      }
    }
  });
});

describe("the services' own configuration", () => {
  const fakeSecrets = {
    KAFKA_SASL_PASSWORD: 'not-the-real-one',
    WEBHOOK_URL: 'https://hooks.example.com/T0/B0/x',
  };
  const envWithSecrets = (container: Container) => ({
    ...environmentOf(container),
    ...Object.fromEntries(
      (container.Secrets ?? []).map(({ Name }) => [Name, fakeSecrets[Name as keyof typeof fakeSecrets]]),
    ),
  });

  it('accepts the environment and secrets each task definition gives', () => {
    const { resources } = stack({ ...SCRAM_ALL, KafkaSsl: 'true', TopicPrefix: 'prod.sarwatch.' });
    const enricher = parseEnricherConfig(envWithSecrets(containerOf(resources, 'EnricherTaskDefinition')));
    expect(enricher).toMatchObject({
      KINESIS_STREAM_NAME: 'sarwatch-sar-events',
      AWS_REGION: 'eu-west-1',
      KAFKA_BROKERS: [REQUIRED.KafkaBrokers],
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD: 'not-the-real-one',
      KAFKA_EVENTS_TOPIC: 'prod.sarwatch.events.v1',
      KAFKA_EVENT_INDEX_TOPIC: 'prod.sarwatch.event-index.v1',
      KAFKA_LEASE_TOPIC: 'prod.sarwatch.leases.v1',
      SARWATCH_APPLICATION_NAME: 'sarwatch',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: 9464,
      SHUTDOWN_TIMEOUT_MS: 25_000,
      LOG_FORMAT: 'json',
    });
    const notifier = parseNotifierConfig(envWithSecrets(containerOf(resources, 'NotifierTaskDefinition')));
    expect(notifier).toMatchObject({
      WEBHOOK_URL: fakeSecrets.WEBHOOK_URL,
      KAFKA_ALERTS_TOPIC: 'prod.sarwatch.alerts.v1',
      KAFKA_NOTIFIER_DLQ_TOPIC: 'prod.sarwatch.notifier.dlq.v1',
      NOTIFIER_GROUP_ID: 'sarwatch-notifier',
      METRICS_PORT: 9465,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('offers the SASL mechanisms a task can use, and its Rules let through only settings both services accept', () => {
    const mechanisms = template.Parameters.KafkaSaslMechanism.AllowedValues as string[];
    // oauthbearer needs a token file kept fresh by a sidecar, which this template does not run.
    expect(mechanisms).toEqual(['', ...SASL_MECHANISMS.filter((mechanism) => mechanism !== 'oauthbearer')]);
    let deployable = 0;
    for (const kafka of kafkaParameterCombinations(mechanisms)) {
      const given = { ...kafka, WebhookUrlSecretArn: WEBHOOK_SECRET };
      const { KafkaSaslMechanism, MskClusterArn } = kafka;
      const { resources, broken } = stack(given);
      const accepted = (parse: () => unknown) => {
        try {
          parse();
          return true;
        } catch {
          return false;
        }
      };
      const enricher = envWithSecrets(containerOf(resources, 'EnricherTaskDefinition'));
      const notifier = envWithSecrets(containerOf(resources, 'NotifierTaskDefinition'));
      const servicesAccept =
        accepted(() => parseEnricherConfig(enricher)) && accepted(() => parseNotifierConfig(notifier));
      // The one thing the services cannot see: MSK IAM needs the cluster ARN for its permissions.
      const mskConsistent = (KafkaSaslMechanism === 'aws-msk-iam') === (MskClusterArn !== '');
      expect({ given, deployable: broken.length === 0 }).toEqual({
        given,
        deployable: servicesAccept && mskConsistent,
      });
      if (broken.length === 0) deployable += 1;
    }
    // none + TLS/plaintext, aws-msk-iam with TLS and its cluster, each password mechanism with TLS or without.
    expect(deployable).toBe(2 + 1 + 3 * 2);
  });
});
