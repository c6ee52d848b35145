import { ConfigError } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { parseEnricherConfig } from './config.js';

const minimal = { KINESIS_STREAM_NAME: 'sar-events', KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092' };

function configError(env: Record<string, string>): ConfigError {
  try {
    parseEnricherConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, and the environment was accepted');
}

describe('parseEnricherConfig', () => {
  it('applies defaults and splits the broker list', () => {
    const config = parseEnricherConfig(minimal);
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092', 'kafka-2:9092'],
      KINESIS_START_POSITION: 'TRIM_HORIZON',
      KAFKA_EVENTS_TOPIC: 'sarwatch.events.v1',
      KAFKA_DLQ_TOPIC: 'sarwatch.dlq.v1',
      KAFKA_CREATE_TOPICS: true,
      LOG_FORMAT: 'json',
    });
  });

  it('treats empty variables as unset', () => {
    expect(parseEnricherConfig({ ...minimal, KINESIS_ENDPOINT: '' }).KINESIS_ENDPOINT).toBeUndefined();
  });

  it('lists every problem at once, each by variable name', () => {
    const attempt = () =>
      parseEnricherConfig({
        KAFKA_BROKERS: 'no-port',
        KINESIS_START_POSITION: 'MIDDLE',
        KINESIS_MAX_RECORDS_PER_CALL: '20000',
        KINESIS_ENDPOINT: 'not a url',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of [
        'KINESIS_STREAM_NAME: is required',
        'KAFKA_BROKERS',
        'KINESIS_START_POSITION',
        'KINESIS_MAX_RECORDS_PER_CALL',
        'KINESIS_ENDPOINT',
      ]) {
        expect(problems).toContain(name);
      }
    }
  });

  it('lists schema, Kafka connection and min-above-max problems in one error', () => {
    const error = configError({
      KAFKA_BROKERS: '127.0.0.1:9092',
      KINESIS_START_POSITION: 'MIDDLE',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sarwatch',
      KINESIS_IDLE_MIN_MS: '5000',
      KINESIS_IDLE_MAX_MS: '100',
      AWS_REGION: 'eu-west',
    });
    expect(error.problems).toEqual([
      'AWS_REGION: must be an AWS region such as eu-west-1 (got "eu-west")',
      'KINESIS_STREAM_NAME: is required and not set',
      expect.stringMatching(/^KINESIS_START_POSITION: .*"MIDDLE"/),
      'KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE: exactly one is required with scram-sha-512',
      'KINESIS_IDLE_MIN_MS (5000) must not exceed KINESIS_IDLE_MAX_MS (100)',
    ]);
  });

  it('reads the Kafka connection settings', () => {
    const config = parseEnricherConfig({
      ...minimal,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      AWS_REGION: 'eu-west-1',
    });
    expect(config).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      AWS_REGION: 'eu-west-1',
    });
  });

  it('never repeats a Kafka password in its error', () => {
    const error = configError({
      ...minimal,
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
      KINESIS_IDLE_MIN_MS: 'x',
    });
    expect(error.message).toContain('KAFKA_SASL_PASSWORD: is set but KAFKA_SASL_MECHANISM is unset');
    expect(error.message).toContain('KINESIS_IDLE_MIN_MS');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects an idle floor above the ceiling', () => {
    expect(() =>
      parseEnricherConfig({ ...minimal, KINESIS_IDLE_MIN_MS: '5000', KINESIS_IDLE_MAX_MS: '100' }),
    ).toThrow(/KINESIS_IDLE_MIN_MS/);
  });
});
