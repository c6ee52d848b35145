import { ConfigError } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from './config.js';

const required = { KAFKA_BROKERS: '127.0.0.1:9092', WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' };

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

  it('refuses a backoff whose floor is above its ceiling', () => {
    expect(() =>
      parseNotifierConfig({ ...required, WEBHOOK_RETRY_MIN_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' }),
    ).toThrow(/WEBHOOK_RETRY_MIN_MS \(5000\) must not exceed WEBHOOK_RETRY_MAX_MS \(1000\)/);
  });
});
