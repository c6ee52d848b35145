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
