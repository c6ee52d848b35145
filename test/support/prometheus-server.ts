import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortOpen, terminate } from '@sarwatch/devstack';

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Debian's Prometheus (`apt-get install prometheus`), scraping each job's targets every second and evaluating
 * `ruleFiles` every second, from a throwaway data directory. Stopped and removed by `stop`.
 */
export async function startPrometheus(
  port: number,
  jobs: Record<string, string[]>,
  ruleFiles: string[],
): Promise<PrometheusServer> {
  if (await isPortOpen(port)) throw new Error(`port ${port} is taken; Prometheus needs it free`);
  const dir = await mkdtemp(join(tmpdir(), 'sarwatch-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: Object.entries(jobs).map(([job, targets]) => ({
        job_name: job,
        static_configs: [{ targets }],
      })),
    }),
  );
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    output = (output + text).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not start (install it with: apt-get install prometheus)\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
