export interface Throughput {
  /** Median over the rounds, in items per second. */
  perSecond: number;
  rounds: number[];
}

/**
 * Runs `pass` (one pass over the data set, returning how many items it handled) repeatedly for at least
 * `roundMs` per round, and reports each round's rate. The caller interleaves candidates round by round so that
 * a drifting machine (another process, a thermal limit) affects them alike.
 */
export function measureRound(pass: () => number, roundMs: number): number {
  let items = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < roundMs) {
    items += pass();
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return (items * 1000) / elapsedMs;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Measures several candidates, interleaved: round r of every candidate runs before round r+1 of any. */
export function compare(
  candidates: Record<string, () => number>,
  { rounds, roundMs }: { rounds: number; roundMs: number },
): Record<string, Throughput> {
  const results: Record<string, number[]> = Object.fromEntries(
    Object.keys(candidates).map((name) => [name, []]),
  );
  for (const pass of Object.values(candidates)) pass(); // warm-up: let the JIT see every path once
  for (let round = 0; round < rounds; round++) {
    for (const [name, pass] of Object.entries(candidates)) results[name]?.push(measureRound(pass, roundMs));
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, values]) => [name, { perSecond: median(values), rounds: values }]),
  );
}
