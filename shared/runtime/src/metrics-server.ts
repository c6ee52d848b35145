import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port; the one chosen is in `address`. */
  port: number;
  /** A prom-client Registry, or anything that renders the exposition format the same way. */
  registry: { metrics(): Promise<string>; readonly contentType: string };
  /** `/readyz` answers 200 only while this says ready. */
  readiness: () => { ready: boolean; reason: string };
  /** `/healthz` answers 503 with the reason once this returns one: the process cannot recover by itself. */
  fatal: () => string | null;
}

/**
 * `/metrics` for Prometheus, `/healthz` (the process works, or can recover by itself) and `/readyz` (it can do its
 * job now: for the enricher, it holds its shards and reaches Kafka).
 */
/** The metrics port is taken or not this host's: a setting to fix, reported like a configuration problem. */
export class MetricsUnavailableError extends Error {
  override readonly name = 'MetricsUnavailableError';
}

export async function startMetricsServer(
  options: MetricsServerOptions,
): Promise<{ address: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((body) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(body))
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
      return;
    }
    if (path === '/healthz') {
      const fatal = options.fatal();
      response.writeHead(fatal ? 503 : 200, { 'content-type': 'text/plain' }).end(`${fatal ?? 'ok'}\n`);
      return;
    }
    if (path === '/readyz') {
      const { ready, reason } = options.readiness();
      response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(`${reason}\n`);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new MetricsUnavailableError(
          `cannot serve metrics on ${options.host}:${options.port} (METRICS_HOST, METRICS_PORT): ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    address: `${address}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
