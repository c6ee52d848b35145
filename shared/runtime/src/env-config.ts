import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Variables whose values an error message must not repeat: passwords, tokens, webhook URLs (their path is a key). */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|WEBHOOK_URL)$/;

/**
 * Parses environment variables against a schema whose keys are the variable names, reporting every problem at
 * once, each by the variable the operator has to fix. Empty variables count as unset. `between` finds the problems
 * that lie between variables; they are listed with the schema's own, even when the schema fails.
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  between: (present: Readonly<Record<string, string>>) => string[] = () => [],
): z.infer<Schema> {
  const present: Record<string, string> = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
  const result = schema.safeParse(present);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        // A list variable (KAFKA_BROKERS) reports the element's index after the name; the operator sets the name.
        const name = String(issue.path[0] ?? '(environment)');
        const value = present[name];
        if (value === undefined) return `${name}: is required and not set`;
        const got = SECRET_NAME.test(name) ? 'value hidden' : `got ${JSON.stringify(value)}`;
        return `${name}: ${issue.message} (${got})`;
      });
  problems.push(...between(present));
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

/**
 * A problem when the lower bound of a pair exceeds the upper, each read through its own field schema (so unset means
 * its default); a value the schema refuses is left to the schema to report.
 */
export function minNotAboveMax(
  shape: Readonly<Record<string, z.ZodType>>,
  present: Readonly<Record<string, string>>,
  minName: string,
  maxName: string,
): string[] {
  const min = shape[minName]?.safeParse(present[minName]);
  const max = shape[maxName]?.safeParse(present[maxName]);
  if (!min?.success || !max?.success || Number(min.data) <= Number(max.data)) return [];
  return [`${minName} (${min.data}) must not exceed ${maxName} (${max.data})`];
}

/** A file's text, read once at start; a missing or unreadable file is a configuration problem like any other. */
export const fileText = (what: string) =>
  z.string().transform((path, context) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `cannot read ${what} at ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      return z.NEVER;
    }
  });

/** A secret mounted as a file (ECS, Kubernetes); the newline `echo` or an editor leaves at its end is not part of it. */
export const secretFile = (what: string) => fileText(what).transform((text) => text.replace(/\r?\n$/, ''));

/** An AWS region name: `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
export const AwsRegionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as eu-west-1');

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
