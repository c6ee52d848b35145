import { ConfigError } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { parseEnricherConfig } from './config.js';

const minimal = { KINESIS_STREAM_NAME: 'sar-events', KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092' };

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

  it('rejects an idle floor above the ceiling', () => {
    expect(() =>
      parseEnricherConfig({ ...minimal, KINESIS_IDLE_MIN_MS: '5000', KINESIS_IDLE_MAX_MS: '100' }),
    ).toThrow(/KINESIS_IDLE_MIN_MS/);
  });
});
