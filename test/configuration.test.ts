import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
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

describe('a taken metrics port', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  const expectRefusal = (run: { code: number | null; stdout: string; stderr: string }, command: string) => {
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `${command}: cannot serve metrics on 127.0.0.1:${port} (METRICS_HOST, METRICS_PORT): listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
  };

  it('stops the enricher with exit code 2 and one line', async () => {
    const run = await runSarwatch(['run'], {
      KINESIS_STREAM_NAME: 'never-read',
      KAFKA_BROKERS: '127.0.0.1:9',
      METRICS_PORT: String(port),
    });
    expectRefusal(run, 'sarwatch run');
  });

  it('stops the notifier with exit code 2 and one line', async () => {
    const run = await runSarwatch(['notify'], {
      KAFKA_BROKERS: '127.0.0.1:9',
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      METRICS_PORT: String(port),
    });
    expectRefusal(run, 'sarwatch notify');
  });
});
