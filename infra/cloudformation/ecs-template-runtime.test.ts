import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  containerOf,
  environmentOf,
  type Json,
  stack,
  template,
  WEBHOOK_SECRET,
} from './test-support/ecs-fixtures.js';

// How the ECS template's services run: health checks, stopping, logs, sizing and scaling.

describe('health, stopping and logs', () => {
  const both = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
  const containers = [
    containerOf(both.resources, 'EnricherTaskDefinition'),
    containerOf(both.resources, 'NotifierTaskDefinition'),
  ];

  it('checks /healthz with node (the image has no curl) on the port each service serves it', () => {
    for (const container of containers) {
      const env = environmentOf(container);
      expect(env.METRICS_HOST).toBe('127.0.0.1');
      expect(container.HealthCheck.Command).toEqual([
        'CMD-SHELL',
        `node -e "fetch('http://127.0.0.1:${env.METRICS_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
      ]);
      expect(container.HealthCheck).toMatchObject({ Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60 });
      expect(container.PortMappings).toBeUndefined();
    }
    expect(containers.map((container) => environmentOf(container).METRICS_PORT)).toEqual(['9464', '9465']);

    const exposed = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET, ExposeMetrics: 'true' });
    for (const [definition, port] of [
      ['EnricherTaskDefinition', 9464],
      ['NotifierTaskDefinition', 9465],
    ] as const) {
      const container = containerOf(exposed.resources, definition);
      expect(environmentOf(container).METRICS_HOST).toBe('0.0.0.0');
      expect(container.PortMappings).toEqual([{ Name: 'metrics', ContainerPort: port, Protocol: 'tcp' }]);
      // The check still goes to 127.0.0.1, which 0.0.0.0 includes.
      expect(container.HealthCheck.Command[1]).toContain(`http://127.0.0.1:${port}/healthz`);
    }
  });

  it('has a health check command that passes on 200 and fails on 503 or no answer', async () => {
    let status = 200;
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/healthz' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const check = (command: string) =>
      new Promise<number | null>((resolve) => {
        spawn('sh', ['-c', command], { stdio: 'ignore' }).on('exit', resolve);
      });
    try {
      for (const container of containers) {
        const command = container.HealthCheck.Command[1] as string;
        const here = command.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
        status = 200;
        expect(await check(here)).toBe(0);
        status = 503;
        expect(await check(here)).toBe(1);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const closed = containers[0]?.HealthCheck.Command[1]?.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
    expect(await check(closed ?? '')).toBe(1);
  });

  it('gives each service longer to stop than it gives itself to drain', () => {
    for (const container of containers) {
      const drainMs = Number(environmentOf(container).SHUTDOWN_TIMEOUT_MS);
      // Set explicitly, above the 9 s default, within the services' 60 s maximum.
      expect(drainMs).toBeGreaterThan(9_000);
      expect(drainMs).toBeLessThanOrEqual(60_000);
      expect(container.StopTimeout).toBeGreaterThan(drainMs / 1000);
      // Fargate's maximum.
      expect(container.StopTimeout).toBeLessThanOrEqual(120);
    }
  });

  it('logs to CloudWatch Logs, to a log group per service kept LogRetentionInDays', () => {
    expect(template.Parameters.LogRetentionInDays).toMatchObject({ Type: 'Number', Default: 30 });
    expect(template.Parameters.LogRetentionInDays.AllowedValues).toContain(30);
    const kept = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET, LogRetentionInDays: '90' });
    for (const [service, prefix] of [
      ['Enricher', 'enricher'],
      ['Notifier', 'notifier'],
    ] as const) {
      expect(kept.resources[`${service}LogGroup`]?.Properties).toEqual({
        LogGroupName: `/sarwatch/audit/${prefix}`,
        RetentionInDays: '90',
      });
      const container = containerOf(kept.resources, `${service}TaskDefinition`);
      expect(container.LogConfiguration).toEqual({
        LogDriver: 'awslogs',
        Options: {
          'awslogs-group': `<${service}LogGroup>`,
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': prefix,
          mode: 'non-blocking',
          'max-buffer-size': '25m',
        },
      });
      expect(environmentOf(container).LOG_FORMAT).toBe('json');
    }
  });
});

describe('sizing and scaling', () => {
  it("sizes the enricher from the benchmark's peak RSS, and says so", () => {
    const p = template.Parameters;
    expect([p.EnricherCpu.Default, p.EnricherMemory.Default]).toEqual(['512', 1024]);
    expect([p.NotifierCpu.Default, p.NotifierMemory.Default]).toEqual(['256', 512]);
    for (const figure of ['227 MiB', '343 MiB', '425 MiB'])
      expect(p.EnricherMemory.Description).toContain(figure);
    // Headroom: at least twice the worst peak measured (10x overload).
    expect(p.EnricherMemory.Default).toBeGreaterThanOrEqual(2 * 425);
    const { resources } = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    for (const service of ['Enricher', 'Notifier']) {
      const definition = resources[`${service}TaskDefinition`]?.Properties as Json;
      expect(definition).toMatchObject({
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: p[`${service}Cpu`].Default,
        Memory: String(p[`${service}Memory`].Default),
      });
      // The one container may use the whole task: its hard limit is the task's memory.
      expect(containerOf(resources, `${service}TaskDefinition`).Memory).toBe(definition.Memory);
    }
  });

  it('scales the enricher on CPU only when EnricherMaxCount is set', () => {
    const fixed = stack();
    expect(fixed.resources.EnricherScalableTarget).toBeUndefined();
    expect(fixed.resources.EnricherCpuScaling).toBeUndefined();
    const scaled = stack({ EnricherDesiredCount: '2', EnricherMaxCount: '6' });
    expect(scaled.resources.EnricherScalableTarget?.Properties).toEqual({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: 'service/<Cluster>/<EnricherService.Name>',
      MinCapacity: '2',
      MaxCapacity: '6',
    });
    expect(scaled.resources.EnricherCpuScaling?.Properties).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: '<EnricherScalableTarget>',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
  });
});
