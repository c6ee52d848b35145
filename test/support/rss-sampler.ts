import { readFileSync } from 'node:fs';

/** Samples a process's resident memory (Linux /proc) twice a second, keeping the peak. */
export class RssSampler {
  peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 500);
    this.sample();
  }

  get peakMiB(): number {
    return Math.round(this.peakBytes / 1_048_576);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    try {
      const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1];
      if (kib) this.peakBytes = Math.max(this.peakBytes, Number(kib) * 1024);
    } catch {
      // The process has ended; the peak stays what it was.
    }
  }
}
