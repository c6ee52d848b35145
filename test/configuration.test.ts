import { describe, expect, it } from 'vitest';
import { runCli } from './support/enricher-process.js';

describe('configuration', () => {
  it('exits with code 2 and names each bad variable', async () => {
    const cli = runCli(['run'], {
      KAFKA_BROKERS: 'localhost',
      KINESIS_START_POSITION: 'SOMEWHERE',
      KINESIS_MAX_RECORDS_PER_CALL: '0',
      LOG_FORMAT: 'xml',
    });
    const { code } = await cli.exited;
    expect(code).toBe(2);
    const output = cli.output();
    for (const name of [
      'KINESIS_STREAM_NAME: is required',
      'KAFKA_BROKERS',
      'KINESIS_START_POSITION',
      'KINESIS_MAX_RECORDS_PER_CALL',
      'LOG_FORMAT',
    ]) {
      expect(output).toContain(name);
    }
  });
});
