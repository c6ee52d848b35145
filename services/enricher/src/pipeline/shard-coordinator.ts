import type { Logger } from '@sarwatch/runtime';
import { Backoff, sleep } from '@sarwatch/runtime';
import type { CheckpointView, RecordSource, ShardInfo, ShardOwnership } from '../ports.js';
import type { ShardOutcome } from './shard-reader.js';

export interface ShardRunner {
  run(stop: AbortSignal): Promise<ShardOutcome>;
  readonly holdsLease: boolean;
}

export interface ShardCoordinatorDeps {
  source: RecordSource;
  ownership: ShardOwnership;
  checkpoints: CheckpointView;
  createReader: (shardId: string) => ShardRunner;
  log: Logger;
  discoveryIntervalMs: number;
  /** After being fenced, a shard this instance still believes it owns waits this long before it is taken back. */
  fencedPauseMs: number;
}

interface Running {
  reader: ShardRunner;
  stop: AbortController;
  done: Promise<void>;
}

/**
 * Keeps one reader running for each readable shard this instance owns, and none for the others. A child shard
 * (after a split or merge) starts only once every parent still in the stream has been read to its end, by
 * whichever instance owned it, so per-key order holds across a reshard.
 */
export class ShardCoordinator {
  private readonly running = new Map<string, Running>();
  private readonly ended = new Set<string>();
  private readonly pausedUntil = new Map<string, number>();
  private wake = new AbortController();
  private shards: readonly ShardInfo[] = [];

  constructor(private readonly deps: ShardCoordinatorDeps) {
    deps.ownership.onChange(() => this.wake.abort());
    deps.checkpoints.onShardEnded(() => this.wake.abort());
  }

  get ownedShards(): string[] {
    return [...this.running.keys()];
  }

  /** Ready: a member of the group, and every shard it reads held (which takes a working Kafka). */
  readiness(): { ready: boolean; reason: string } {
    if (!this.deps.ownership.joined) return { ready: false, reason: 'not a member of the ownership group' };
    const waiting = [...this.running].filter(([, running]) => !running.reader.holdsLease).map(([id]) => id);
    if (waiting.length > 0) return { ready: false, reason: `acquiring ${waiting.join(', ')}` };
    return { ready: true, reason: `reading ${this.running.size} shards` };
  }

  async run(stop: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
    let listedAt = 0;
    while (!stop.aborted) {
      let wait = this.deps.discoveryIntervalMs;
      try {
        // Ownership changes and ended shards wake the loop early; the stream is listed again only when due.
        if (Date.now() - listedAt >= this.deps.discoveryIntervalMs || this.shards.length === 0) {
          this.shards = await this.deps.source.listShards(stop);
          listedAt = Date.now();
        }
        this.reconcile(stop);
        backoff.reset();
      } catch (error) {
        if (stop.aborted) break;
        wait = backoff.next();
        this.deps.log.warn({ err: error, retryInMs: wait }, 'listing shards failed');
      }
      await sleep(Math.min(wait, this.nextPauseEndsIn()), AbortSignal.any([stop, this.wake.signal]));
      this.wake = new AbortController();
    }
    await Promise.all([...this.running.values()].map((running) => running.done));
  }

  private reconcile(stop: AbortSignal): void {
    const { ownership, checkpoints } = this.deps;
    const isEnded = (shardId: string) => this.ended.has(shardId) || checkpoints.hasEnded(shardId);
    for (const [shardId, running] of this.running) {
      if (!ownership.owns(shardId)) {
        this.deps.log.info({ shardId }, 'shard no longer owned here; stopping its reader');
        running.stop.abort();
      }
    }
    const listed = new Set(this.shards.map((shard) => shard.shardId));
    const now = Date.now();
    for (const shard of this.shards) {
      const { shardId } = shard;
      if (this.running.has(shardId) || isEnded(shardId) || !ownership.owns(shardId)) continue;
      if ((this.pausedUntil.get(shardId) ?? 0) > now) continue;
      const waitingFor = shard.parentShardIds.filter((parent) => listed.has(parent) && !isEnded(parent));
      if (waitingFor.length > 0) continue;
      this.start(shardId, stop);
    }
  }

  private start(shardId: string, stop: AbortSignal): void {
    const own = new AbortController();
    const reader = this.deps.createReader(shardId);
    const done = reader
      .run(AbortSignal.any([stop, own.signal]))
      .then((outcome) => {
        if (outcome === 'ended') this.ended.add(shardId);
        if (outcome === 'fenced') this.pausedUntil.set(shardId, Date.now() + this.deps.fencedPauseMs);
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
    this.running.set(shardId, { reader, stop: own, done });
  }

  private nextPauseEndsIn(): number {
    const now = Date.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const [shardId, until] of this.pausedUntil) {
      if (until <= now) this.pausedUntil.delete(shardId);
      else soonest = Math.min(soonest, until - now);
    }
    return soonest;
  }
}
