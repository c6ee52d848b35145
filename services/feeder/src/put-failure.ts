/** Putting records cannot succeed however often it is retried; the message says what to change. */
export class FeedImpossibleError extends Error {
  override readonly name = 'FeedImpossibleError';
}

const REFUSED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'AccessDeniedException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
]);

/**
 * The one-line reason a Kinesis call can never succeed as configured, or null when retrying may help (throttling,
 * a network error, an emulator still starting).
 */
export function impossibleFeed(error: unknown, streamName: string): string | null {
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'ResourceNotFoundException') {
    return `stream ${streamName} does not exist there; --create-stream creates it (or check KINESIS_STREAM_NAME, AWS_REGION and KINESIS_ENDPOINT)`;
  }
  if (name === 'CredentialsProviderError') {
    return 'no AWS credentials were found; set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or KINESIS_ENDPOINT for a local emulator';
  }
  if (typeof name === 'string' && REFUSED_CREDENTIALS.has(name)) {
    return `AWS refused the call (${name}: ${String(message)}); check the credentials and their permissions on the stream`;
  }
  return null;
}
