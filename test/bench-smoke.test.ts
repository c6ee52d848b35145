import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../bench/dist/main.js', import.meta.url));

// Not a performance test: no figure is judged here. It keeps `npm run bench` working, with tiny numbers.
describe('npm run bench --quick', () => {
  it('runs every part against its own broker and emulator and writes every figure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sarwatch-bench-smoke-'));
    try {
      const output = join(dir, 'latest.json');
      const run = spawnSync(process.execPath, [BENCH, '--quick', '--output', output], {
        encoding: 'utf8',
        // The trail part (moto, a backfill, a reconcile) adds about a minute.
        timeout: 330_000,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const results = JSON.parse(await readFile(output, 'utf8'));
      expect(results.mode).toBe('quick');
      expect(results.corePath.corePathPerSecond).toBeGreaterThan(0);
      expect(results.endToEnd).toMatchObject({ events: 5_000, deadLetters: 0 });
      expect(results.endToEnd.cpuMicrosPerEvent).toBeGreaterThan(0);
      expect(results.libraryFloor).toMatchObject({ events: 5_000, deadLetters: 0 });
      expect(results.latency.measured).toBeGreaterThan(0);
      expect(results.sparseLatency).toMatchObject({ shards: 4 });
      expect(results.sparseLatency.measured).toBeGreaterThan(0);
      expect(results.overload).toMatchObject({ put: 10_000, deadLetters: 0 });
      // The broker stopped and started again under load: every event committed all the same.
      expect(results.outage).toMatchObject({ put: 3_000, deadLetters: 0 });
      expect(results.outage.caughtUpSecondsAfterReturn).toBeGreaterThan(0);
      expect(results.trail).toMatchObject({
        records: 5_000,
        backfill: { recordsRead: 5_000, deadLetters: 0 },
        reconcile: { complete: true, counts: { missing: 0, unexpected: 0 } },
      });
      expect(results.trail.backfill.published).toBeGreaterThan(0);
      expect(results.trail.reconcile.counts.expected).toBe(results.trail.backfill.published);
      expect(run.stdout).toContain('p99');
      expect(run.stdout).toContain('backfill: events/s');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 450_000);
});
