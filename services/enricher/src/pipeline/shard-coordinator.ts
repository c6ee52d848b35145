import type { Logger } from '@sarwatch/runtime';
import { Backoff, sleep } from '@sarwatch/runtime';
import type { Checkpoint, RecordSource, ShardInfo } from '../ports.js';
import type { ShardOutcome } from './shard-reader.js';

export interface ShardRunner {
  run(stop: AbortSignal, abandon: AbortSignal): Promise<ShardOutcome>;
}

export interface ShardCoordinatorDeps {
  source: RecordSource;
  createReader: (shardId: string, checkpoint: Checkpoint | undefined) => ShardRunner;
  log: Logger;
  discoveryIntervalMs: number;
}

/**
 * Keeps one reader running per readable shard. A child shard (after a split or merge) starts only once every
 * parent still in the stream has been read to its end, so per-key order holds across a reshard.
 */
export class ShardCoordinator {
  private readonly running = new Map<string, Promise<void>>();
  private readonly ended = new Set<string>();
  private wake: AbortController = new AbortController();

  constructor(
    private readonly deps: ShardCoordinatorDeps,
    private readonly checkpoints: Map<string, Checkpoint>,
  ) {
    for (const checkpoint of checkpoints.values()) if (checkpoint.ended) this.ended.add(checkpoint.shardId);
  }

  get ownedShards(): string[] {
    return [...this.running.keys()];
  }

  async run(stop: AbortSignal, abandon: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
    while (!stop.aborted) {
      let wait = this.deps.discoveryIntervalMs;
      try {
        this.startReadable(await this.deps.source.listShards(stop), stop, abandon);
        backoff.reset();
      } catch (error) {
        if (stop.aborted) break;
        wait = backoff.next();
        this.deps.log.warn({ err: error, retryInMs: wait }, 'listing shards failed');
      }
      await sleep(wait, AbortSignal.any([stop, this.wake.signal]));
      this.wake = new AbortController();
    }
    await Promise.all(this.running.values());
  }

  private startReadable(shards: readonly ShardInfo[], stop: AbortSignal, abandon: AbortSignal): void {
    const listed = new Set(shards.map((shard) => shard.shardId));
    for (const shard of shards) {
      if (this.running.has(shard.shardId) || this.ended.has(shard.shardId)) continue;
      const waitingFor = shard.parentShardIds.filter(
        (parent) => listed.has(parent) && !this.ended.has(parent),
      );
      if (waitingFor.length > 0) continue;
      this.start(shard.shardId, stop, abandon);
    }
  }

  private start(shardId: string, stop: AbortSignal, abandon: AbortSignal): void {
    const reader = this.deps.createReader(shardId, this.checkpoints.get(shardId));
    const done = reader
      .run(stop, abandon)
      .then((outcome) => {
        if (outcome === 'ended') this.ended.add(shardId);
      })
      .catch((error: unknown) => {
        this.deps.log.error(
          { err: error, shardId },
          'shard reader failed; it restarts at the next discovery',
        );
      })
      .finally(() => {
        this.running.delete(shardId);
        // A shard that ended may have children waiting for it: look again now rather than at the next interval.
        this.wake.abort();
      });
    this.running.set(shardId, done);
  }
}
