import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Parses environment variables against a schema whose keys are the variable names, reporting every problem at
 * once, each by the variable the operator has to fix. Empty variables count as unset.
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<Schema> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      // A list variable (KAFKA_BROKERS) reports the element's index after the name; the operator sets the name.
      const name = String(issue.path[0] ?? '(environment)');
      const value = present[name];
      if (value === undefined) return `${name}: is required and not set`;
      return `${name}: ${issue.message} (got ${JSON.stringify(value)})`;
    }),
  );
}

/** A whole number variable from 1 to `max`, `fallback` when unset. */
export const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * A service's configuration from the environment, or null once every problem has been written to stderr under the
 * command's name (the caller then exits 2). Anything but a ConfigError is a bug and is thrown.
 */
export function configOrReport<Config>(
  parse: (env: Readonly<Record<string, string | undefined>>) => Config,
  env: Readonly<Record<string, string | undefined>>,
  command: string,
): Config | null {
  try {
    return parse(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n`);
    return null;
  }
}
