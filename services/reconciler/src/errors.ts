export const RECONCILER_ERROR_CODES = [
  /** A trail file is not a gzipped `{"Records":[…]}` document, or ends early; the other files can still be read. */
  'TRAIL_FILE_UNREADABLE',
  /** A trail file was moved to an archive storage class (Glacier) and must be restored before it can be read. */
  'TRAIL_FILE_ARCHIVED',
  /** The credentials may not list the bucket, read its objects, or decrypt them with the trail's KMS key. */
  'TRAIL_ACCESS_DENIED',
  'TRAIL_BUCKET_NOT_FOUND',
  /** Any other failure of an S3 request (network, throttling past the SDK's retries, credentials not found). */
  'S3_REQUEST_FAILED',
  /** Another backfill or repair of the same stream took the trail writer's transactional id. */
  'TRAIL_WRITER_FENCED',
  /** A topic sarwatch writes or reads does not exist: the enricher creates them when it first starts. */
  'TOPIC_MISSING',
] as const;
export type ReconcilerErrorCode = (typeof RECONCILER_ERROR_CODES)[number];

export class ReconcilerError extends Error {
  override readonly name = 'ReconcilerError';
  constructor(
    readonly code: ReconcilerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isReconcilerError = (error: unknown, code?: ReconcilerErrorCode): error is ReconcilerError =>
  error instanceof ReconcilerError && (code === undefined || error.code === code);

/**
 * An S3 request's failure as one line naming the bucket or object and, for a refusal, the permission that is
 * missing, rather than S3's bare "Access Denied".
 */
export function s3Failure(
  error: unknown,
  bucket: string,
  location: string,
  action: 'list' | 'read',
): ReconcilerError {
  const { name = '', message = String(error) } = error instanceof Error ? error : {};
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const fail = (code: ReconcilerError['code'], why: string, where = location) =>
    new ReconcilerError(code, `${where}: ${why}`, { cause: error });
  if (name === 'NoSuchBucket') {
    return fail('TRAIL_BUCKET_NOT_FOUND', 'the bucket does not exist (NoSuchBucket)', `s3://${bucket}`);
  }
  // S3 passes KMS's refusal on as its own AccessDenied; only the message tells it from a missing s3: permission.
  if (name.startsWith('KMS.') || /\bkms:|\bKMS\b|ciphertext|customer master key/i.test(message)) {
    const why = `${name}: ${message}`;
    return fail(
      'TRAIL_ACCESS_DENIED',
      `the files are encrypted with a KMS key: reading them needs kms:Decrypt on it (${why})`,
    );
  }
  if (name === 'AccessDenied' || status === 403) {
    const needed =
      action === 'list'
        ? `s3:ListBucket on arn:aws:s3:::${bucket}`
        : `s3:GetObject on arn:aws:s3:::${bucket}/*`;
    return fail(
      'TRAIL_ACCESS_DENIED',
      `access denied: ${action === 'list' ? 'listing' : 'reading'} the trail needs ${needed}`,
    );
  }
  if (name === 'InvalidObjectState') {
    return fail('TRAIL_FILE_ARCHIVED', 'the file is in an archive storage class: restore it before reading');
  }
  if (name === 'NoSuchKey') return fail('TRAIL_FILE_UNREADABLE', 'the file was deleted after it was listed');
  return fail('S3_REQUEST_FAILED', `${name || 'error'}: ${message}`);
}
