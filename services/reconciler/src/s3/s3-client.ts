import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  region: string;
  /**
   * An S3-compatible endpoint (moto, LocalStack, MinIO, a VPC endpoint), or undefined for AWS's own. The SDK on its
   * own already takes `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL` (and `endpoint_url` in the shared config
   * file) when none is given here, but then leaves path-style addressing off, which emulators on an IP address
   * or `localhost` need. So the caller resolves `--endpoint` and those variables itself and passes the result.
   */
  endpoint?: string | undefined;
  /** The SDK's default chain (environment, profile, SSO, container or instance role) when not given. */
  credentials?: S3ClientConfig['credentials'];
}

/** A client for reading a trail bucket, which may live in another region than `region`. */
export function createS3Client({ region, endpoint, credentials }: S3ClientOptions): S3Client {
  return new S3Client({
    region,
    // A trail bucket is often in another region than the one the tool runs in; S3 answers such a request with a
    // redirect that the SDK only follows when asked to.
    followRegionRedirects: true,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
  });
}
