import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface KinesisClientOptions {
  region: string;
  endpoint?: string | undefined;
}

/**
 * HTTP/1.1 on purpose: the SDK's default HTTP/2 handler fails against the local emulators, and HTTP/1.1 works
 * with AWS too. Retries are ours (backoff with jitter in the shard reader), so the SDK makes one attempt.
 */
export function createKinesisClient({ region, endpoint }: KinesisClientOptions): KinesisClient {
  return new KinesisClient({
    region,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    ...(endpoint ? { endpoint, credentials: localCredentials() } : {}),
  });
}

// An emulator accepts any signature; real AWS endpoints use the default credential chain instead.
const localCredentials = () => ({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
});
