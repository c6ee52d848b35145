/**
 * Every failure devstack raises carries one of these codes, so callers (the CLI, the test harness) can branch on
 * the code and print the message as-is: the message already tells a developer what to do next.
 */
export const DEVSTACK_ERROR_CODES = [
  'JAVA_MISSING',
  'JAVA_TOO_OLD',
  'MAVEN_MISSING',
  'MAVEN_FAILED',
  'COMMAND_FAILED',
  'PORT_TAKEN',
  'NOT_READY',
  'EXITED_EARLY',
  'LAUNCHER_MISSING',
  'REPO_ROOT_NOT_FOUND',
  'STREAM_NOT_ACTIVE',
] as const;

export type DevstackErrorCode = (typeof DEVSTACK_ERROR_CODES)[number];

export class DevstackError extends Error {
  override readonly name = 'DevstackError';
  readonly code: DevstackErrorCode;

  constructor(code: DevstackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isDevstackError(err: unknown, code?: DevstackErrorCode): err is DevstackError {
  return err instanceof DevstackError && (code === undefined || err.code === code);
}
