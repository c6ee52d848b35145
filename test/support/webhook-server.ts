import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookRequest {
  alertId: string;
  idempotencyKey: string | undefined;
  status: number;
  body: { text?: unknown; blocks?: unknown };
  atMs: number;
}

/** How the endpoint answers one request: a status, and a Retry-After in seconds if any. */
export type WebhookBehaviour = (alertId: string) => { status: number; retryAfterSeconds?: number };

/** A real HTTP endpoint on 127.0.0.1 that records every request and answers as the test says. */
export class WebhookServer {
  readonly requests: WebhookRequest[] = [];

  private constructor(
    private readonly server: Server,
    private readonly behaviour: WebhookBehaviour,
  ) {}

  static async start(behaviour: WebhookBehaviour): Promise<WebhookServer> {
    let webhook: WebhookServer | undefined;
    const server = createServer((request, response) => {
      void webhook?.answer(request).then(({ status, retryAfterSeconds }) => {
        response.writeHead(status, {
          'content-type': 'text/plain',
          ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
        });
        response.end(status < 300 ? 'ok' : 'no');
      });
    });
    webhook = new WebhookServer(server, behaviour);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return webhook;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/sarwatch`;
  }

  /** Alert ids and how many times the endpoint accepted each. */
  accepted(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.requests)
      if (request.status < 300) counts.set(request.alertId, (counts.get(request.alertId) ?? 0) + 1);
    return counts;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage) {
    let text = '';
    for await (const chunk of request) text += chunk;
    const alertId = String(request.headers['x-sarwatch-alert-id'] ?? '');
    const answer = this.behaviour(alertId);
    this.requests.push({
      alertId,
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      status: answer.status,
      body: JSON.parse(text),
      atMs: Date.now(),
    });
    return answer;
  }
}
