import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterEach, onTestFailed } from 'vitest';
import {
  enricherEnv,
  ensureStopped,
  isolatedNames,
  type Names,
  type RunningCli,
  runCli,
} from './enricher-process.js';
import { createStream, testKinesisClient } from './kinesis-fixture.js';
import { type CollectedMessage, TopicCollector } from './topic-collector.js';

export interface PipelineUnderTest {
  names: Names;
  kinesis: KinesisClient;
}

/**
 * What every pipeline test needs, with its clean-up registered beside it: a stream of its own, enricher processes
 * and topic collectors, all stopped after each test whatever state it ended in.
 */
export function pipelineFixture() {
  const processes: RunningCli[] = [];
  const collectors: TopicCollector[] = [];
  const clients: KinesisClient[] = [];
  afterEach(async () => {
    for (const cli of processes.splice(0)) await ensureStopped(cli);
    for (const collector of collectors.splice(0)) await collector.stop();
    for (const client of clients.splice(0)) client.destroy();
  });
  return {
    async stream(prefix: string, shardCount: number): Promise<PipelineUnderTest> {
      const names = isolatedNames(prefix);
      const kinesis = testKinesisClient();
      clients.push(kinesis);
      await createStream(kinesis, names.stream, shardCount);
      return { names, kinesis };
    },
    enricher(names: Names, extraEnv: Record<string, string> = {}): RunningCli {
      return this.sarwatch(['run'], enricherEnv(names, extraEnv));
    },
    /** `sarwatch <args>` as a process of this test's, stopped after it. */
    sarwatch(args: string[], env: Record<string, string>): RunningCli {
      const cli = runCli(args, env);
      processes.push(cli);
      // A failed test shows what the process said: the last lines are usually the reason.
      onTestFailed(() => {
        const lines = cli.output().trimEnd().split('\n');
        console.log(
          `sarwatch ${args[0]} pid ${cli.child.pid}, last ${Math.min(lines.length, 60)} lines:\n${lines.slice(-60).join('\n')}`,
        );
      });
      return cli;
    },
    async collect(topics: string[], brokers?: string): Promise<TopicCollector> {
      const collector = await TopicCollector.start(topics, brokers);
      collectors.push(collector);
      return collector;
    },
  };
}

export const eventIdOf = (message: CollectedMessage): string => JSON.parse(String(message.value)).eventId;

export const settle = (ms = 1_500) => new Promise((resolve) => setTimeout(resolve, ms));
