export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (a uniformly random wait up to the current ceiling), so that many shard
 * readers recovering from the same outage do not retry in lock step.
 */
export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(this.random() * ceiling);
  }

  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
