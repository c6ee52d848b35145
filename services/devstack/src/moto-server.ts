import { spawn } from 'node:child_process';
import { terminate } from './running-process.js';
import { isPortOpen } from './tcp.js';

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * moto's AWS API server (PyPI `moto[server]`), which serves S3, EventBridge and Kinesis the way their APIs answer,
 * from memory, on 127.0.0.1. Started by the tests and the bench that need it, and stopped after them.
 */
export async function startMotoServer(port: number): Promise<MotoServer> {
  if (await isPortOpen(port)) throw new Error(`port ${port} is taken; moto needs it free`);
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    output = (output + text).slice(-4_000);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await isPortOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await terminate(child);
      throw new Error(
        `moto server did not start on ${port} (install it with: pip install "moto[server]")\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await terminate(child);
    },
  };
}
