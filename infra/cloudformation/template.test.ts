import { readFileSync } from 'node:fs';
import { SARWATCH_DEPLOYMENT_DEFAULTS as DEFAULTS, RuleStateSchema } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

describe('the CloudFormation template', () => {
  const template = read('./sarwatch.template.json');
  const rule = template.Resources.SarCloudTrailRule.Properties;

  it('uses the one event pattern file, unchanged', () => {
    expect(rule.EventPattern).toEqual(read('../eventbridge/sar-cloudtrail-pattern.json'));
  });

  it('delivers read-only calls too unless told otherwise, and keeps each account in order', () => {
    expect(template.Parameters.RuleState.Default).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(template.Parameters.RuleState.AllowedValues).toEqual(RuleStateSchema.options);
    expect(rule.Targets[0].KinesisParameters.PartitionKeyPath).toBe(DEFAULTS.partitionKeyPath);
  });

  it('deploys with the same settings as `sarwatch infra`', () => {
    expect(template.Parameters.StreamName.Default).toBe(DEFAULTS.streamName);
    expect(template.Parameters.RetentionPeriodHours.Default).toBe(DEFAULTS.retentionHours);
    expect(template.Parameters.KmsKeyId.Default).toBe(DEFAULTS.kmsKeyId);
    expect(rule.Description).toBe(DEFAULTS.ruleDescription);
    expect(rule.Targets[0]).toMatchObject({
      Id: DEFAULTS.targetId,
      RetryPolicy: {
        MaximumRetryAttempts: DEFAULTS.maximumRetryAttempts,
        MaximumEventAgeInSeconds: DEFAULTS.maximumEventAgeSeconds,
      },
    });
  });
});
