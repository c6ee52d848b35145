import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface KinesisClientOptions {
  region: string;
  endpoint?: string | undefined;
  /** 1 by default: the enricher retries with its own backoff. Tools without one take the SDK's retries. */
  maxAttempts?: number;
}

/**
 * Record data arrives base64-encoded, up to 10,000 records a page. The SDK's own decoder first checks each string
 * against a regular expression, which the enricher's CPU profile showed as the single costliest expression of a
 * drain; Node's decoder does the same decoding in native code, and the text comes from Kinesis over TLS.
 */
const decodeBase64 = (input: string): Uint8Array => {
  const buffer = Buffer.from(input, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

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
    base64Decoder: decodeBase64,
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
