/** Thrown by compilePattern when EventBridge would refuse the pattern; `errors` lists every problem found. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
  readonly code = 'INVALID_PATTERN' as const;
  readonly errors: string[];

  constructor(errors: string[], options?: { cause?: unknown }) {
    super(`invalid event pattern: ${errors.join('; ')}`, options);
    this.errors = errors;
  }
}
