import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseKafkaConnection } from './connection-config.js';
import { createKafka } from './kafka-client.js';

/** A Kafka client whose kafkajs log lines land, as parsed JSON, in `lines`. */
function kafkaWithLog() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const kafka = createKafka({
    connection: parseKafkaConnection({ KAFKA_BROKERS: '127.0.0.1:1' }),
    clientId: 'test',
    log: pino({ level: 'debug' }, sink),
  });
  return { lines, kafkaLog: kafka.logger() };
}

const DEBUG = 20;
const ERROR = 50;

describe('createKafka logging', () => {
  it('logs a fresh broker’s expected answers at debug, not as errors', () => {
    const { lines, kafkaLog } = kafkaWithLog();
    kafkaLog.error('Response GroupCoordinator(key: 10, version: 2)', {
      error: 'The group coordinator is not available',
    });
    kafkaLog.error('Response InitProducerId(key: 22, version: 1)', {
      error: "The coordinator is loading and hence can't process requests for this group",
    });
    kafkaLog.error('Response Heartbeat(key: 12, version: 3)', {
      error: 'The group is rebalancing, so a rejoin is needed',
    });
    kafkaLog.error(
      'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      { retryCount: 0, retryTime: 250 },
    );
    expect(lines.map((line) => line.level)).toEqual([DEBUG, DEBUG, DEBUG, DEBUG]);
  });

  it('logs a consumer crash on such an answer, and the restart after it, at debug; a real crash stays an error', () => {
    const { lines, kafkaLog } = kafkaWithLog();
    const loading = "The coordinator is loading and hence can't process requests for this group";
    kafkaLog.error(`Crash: KafkaJSProtocolError: ${loading}`, {
      groupId: 'view',
      stack: 'KafkaJSProtocolError…',
    });
    kafkaLog.error('Restarting the consumer in 200ms', { groupId: 'view', retryTime: 200 });
    kafkaLog.error('Crash: KafkaJSNumberOfRetriesExceeded: Connection error', { groupId: 'view' });
    kafkaLog.error('Restarting the consumer in 400ms', { groupId: 'view', retryTime: 400 });
    expect(lines.map((line) => line.level)).toEqual([DEBUG, DEBUG, ERROR, ERROR]);
  });

  it('keeps other errors at error level', () => {
    const { lines, kafkaLog } = kafkaWithLog();
    kafkaLog.error('Response Produce(key: 0, version: 7)', { error: 'The request timed out' });
    kafkaLog.error('Failed to connect to seed broker: Connection error: connect ECONNREFUSED 127.0.0.1:1');
    kafkaLog.error('Failed to send messages: The request timed out', { retryCount: 1, retryTime: 500 });
    expect(lines.map((line) => line.level)).toEqual([ERROR, ERROR, ERROR]);
  });
});
