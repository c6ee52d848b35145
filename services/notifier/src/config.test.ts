import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sarwatch/runtime';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseNotifierConfig } from './config.js';

const required = { KAFKA_BROKERS: '127.0.0.1:9092', WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' };

function configError(env: Record<string, string>): ConfigError {
  try {
    parseNotifierConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, and the environment was accepted');
}

describe('parseNotifierConfig', () => {
  it('fills in the defaults around the two required settings', () => {
    expect(parseNotifierConfig(required)).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_ALERTS_TOPIC: 'sarwatch.alerts.v1',
      KAFKA_NOTIFIER_DLQ_TOPIC: 'sarwatch.notifier.dlq.v1',
      NOTIFIER_START_FROM: 'latest',
      NOTIFIER_GIVE_UP_AFTER_MS: 900_000,
      METRICS_PORT: 9_465,
    });
  });

  it('names every bad variable at once', () => {
    const parse = () =>
      parseNotifierConfig({ ...required, WEBHOOK_URL: 'file:///etc/passwd', NOTIFIER_START_FROM: 'middle' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      /NOTIFIER_START_FROM: [^\n]*"middle"[\s\S]*WEBHOOK_URL: must be an http or https URL/,
    );
  });

  it('lists schema, Kafka connection and min-above-max problems in one error', () => {
    const error = configError({
      ...required,
      NOTIFIER_START_FROM: 'middle',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      WEBHOOK_RETRY_MIN_MS: '5000',
      WEBHOOK_RETRY_MAX_MS: '1000',
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^NOTIFIER_START_FROM: .*"middle"/),
      "AWS_REGION: is required with aws-msk-iam (the cluster's region)",
      'WEBHOOK_RETRY_MIN_MS (5000) must not exceed WEBHOOK_RETRY_MAX_MS (1000)',
    ]);
  });

  it('never repeats the webhook URL in an error', () => {
    const error = configError({ ...required, WEBHOOK_URL: 'ftp://hooks.example/secret-path' });
    expect(error.problems).toEqual(['WEBHOOK_URL: must be an http or https URL (value hidden)']);
    expect(error.message).not.toContain('secret-path');
    expect(error.message).not.toContain('hooks.example');
  });

  it('refuses a backoff whose floor is above its ceiling', () => {
    expect(() =>
      parseNotifierConfig({ ...required, WEBHOOK_RETRY_MIN_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' }),
    ).toThrow(/WEBHOOK_RETRY_MIN_MS \(5000\) must not exceed WEBHOOK_RETRY_MAX_MS \(1000\)/);
  });

  it('reads the webhook URL from a file, without its trailing newline, and wants exactly one of the two', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notifier-config-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'webhook-url');
    writeFileSync(file, 'https://hooks.slack.com/services/T/B/FROM-FILE\n');
    const config = parseNotifierConfig({ KAFKA_BROKERS: '127.0.0.1:9092', WEBHOOK_URL_FILE: file });
    expect(config.WEBHOOK_URL).toBe('https://hooks.slack.com/services/T/B/FROM-FILE');

    const both = () => parseNotifierConfig({ ...required, WEBHOOK_URL_FILE: file });
    expect(both).toThrow(/WEBHOOK_URL or WEBHOOK_URL_FILE: exactly one is required/);
    const neither = () => parseNotifierConfig({ KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(neither).toThrow(/WEBHOOK_URL or WEBHOOK_URL_FILE: exactly one is required/);

    writeFileSync(file, 'ftp://hooks.example/secret-path');
    const error = (() => {
      try {
        parseNotifierConfig({ KAFKA_BROKERS: '127.0.0.1:9092', WEBHOOK_URL_FILE: file });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('accepted an ftp URL');
    })();
    expect(error.message).toContain('WEBHOOK_URL_FILE: must be an http or https URL');
    expect(error.message).not.toContain('secret-path');
  });
});
