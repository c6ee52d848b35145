export const ENRICHER_ERROR_CODES = [
  'ITERATOR_EXPIRED',
  'THROTTLED',
  'TRANSIENT',
  'STREAM_NOT_FOUND',
  'CHECKPOINT_INVALID',
  /** Another instance acquired the shard: this one may no longer publish for it. */
  'FENCED',
  /** A shard made no progress for the stall timeout while records were waiting. */
  'STALLED',
  /** The alert rules file cannot be read or is not a valid rules file. */
  'ALERT_RULES_INVALID',
] as const;
export type EnricherErrorCode = (typeof ENRICHER_ERROR_CODES)[number];

export class EnricherError extends Error {
  override readonly name = 'EnricherError';
  constructor(
    readonly code: EnricherErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isEnricherError = (error: unknown, code?: EnricherErrorCode): error is EnricherError =>
  error instanceof EnricherError && (code === undefined || error.code === code);
