/**
 * A bound on the records read from Kinesis and not yet committed to Kafka, shared by every shard reader. When
 * Kafka is slow or down, readers stop asking for more instead of piling pages up in memory.
 */
export class InFlightBudget {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('the in-flight budget must be at least 1');
    this.available = limit;
  }

  get inFlight(): number {
    return this.limit - this.available;
  }

  /** Takes between 1 and `wanted` records' worth, waiting while none is left; 0 only if `signal` aborts. */
  async take(wanted: number, signal: AbortSignal): Promise<number> {
    while (this.available === 0) {
      if (signal.aborted) return 0;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    const granted = Math.min(wanted, this.available);
    this.available -= granted;
    return granted;
  }

  give(count: number): void {
    this.available = Math.min(this.limit, this.available + count);
    for (const wake of this.waiting.splice(0)) wake();
  }
}
