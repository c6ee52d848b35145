import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisJsonProtocol } from './kinesis-json-protocol.js';

export interface KinesisClientOptions {
  region: string;
  endpoint?: string | undefined;
  /** 1 by default: the enricher retries with its own backoff. Tools without one take the SDK's retries. */
  maxAttempts?: number;
}

/**
 * HTTP/1.1 on purpose: the SDK's default HTTP/2 handler fails against the local emulators, and HTTP/1.1 works
 * with AWS too. Retries are ours (backoff with jitter in the shard reader), so the SDK makes one attempt.
 */
export function createKinesisClient({
  region,
  endpoint,
  maxAttempts = 1,
}: KinesisClientOptions): KinesisClient {
  return new KinesisClient({
    region,
    maxAttempts,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    protocol: KinesisJsonProtocol,
    ...endpointSettings(endpoint),
  });
}

/**
 * Client settings for an endpoint override (an emulator or a local AWS API server), which accepts any signature;
 * without one, real AWS endpoints and the default credential chain are used.
 */
export function endpointSettings(endpoint: string | undefined) {
  if (!endpoint) return {};
  return {
    endpoint,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
}
