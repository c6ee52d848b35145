import { accessSync, constants } from 'node:fs';
import { AwsRegionSchema, fileText, parseEnvironment, secretFile } from '@sarwatch/runtime';
import { z } from 'zod';
import { KafkaBrokersSchema } from './brokers-config.js';

export const SASL_MECHANISMS = [
  'plain',
  'scram-sha-256',
  'scram-sha-512',
  'aws-msk-iam',
  'oauthbearer',
] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

const pemFile = (what: string) =>
  fileText(what).refine((text) => text.includes('-----BEGIN '), `${what} must be PEM (-----BEGIN …)`);

/** Checked readable at start, then read again at every authentication, so whoever renews the token can replace it. */
const readableFile = (what: string) =>
  z.string().refine((path) => {
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }, `cannot read ${what}`);

/**
 * How every sarwatch Kafka client connects: brokers, TLS and SASL. Spread into a service's environment schema; the
 * names are the environment variables. File variables hold their files' contents once parsed.
 */
export const KafkaConnectionEnvShape = {
  KAFKA_BROKERS: KafkaBrokersSchema,
  KAFKA_SSL: flag(false),
  KAFKA_SSL_CA_FILE: pemFile('the CA bundle').optional(),
  KAFKA_SSL_CERT_FILE: pemFile('the client certificate').optional(),
  KAFKA_SSL_KEY_FILE: pemFile('the client key').optional(),
  // Java clients spell mechanisms in capitals (SCRAM-SHA-512); both spellings mean the same.
  KAFKA_SASL_MECHANISM: z
    .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(SASL_MECHANISMS))
    .optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_SASL_PASSWORD_FILE: secretFile('the password file').optional(),
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: readableFile('the token file').optional(),
  AWS_REGION: AwsRegionSchema.optional(),
};

const KafkaConnectionEnvSchema = z.object(KafkaConnectionEnvShape);
export type KafkaConnectionEnv = z.infer<typeof KafkaConnectionEnvSchema>;

/** The connection alone, for tools that talk to Kafka but are no service (`tail`, `local`); throws ConfigError. */
export function parseKafkaConnection(env: Readonly<Record<string, string | undefined>>): KafkaConnection {
  return kafkaConnection(parseEnvironment(KafkaConnectionEnvSchema, env, kafkaConnectionProblems));
}

/**
 * Problems that lie between variables, read from the raw environment so they are reported together with the
 * schema's own: a password for no mechanism, a mechanism without its credentials, a file for TLS that is off.
 */
export function kafkaConnectionProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const set = (name: string) => (env[name] ?? '') !== '';
  const problems: string[] = [];
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  const ssl = env.KAFKA_SSL === 'true';
  if (!ssl) {
    for (const name of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'].filter(set)) {
      problems.push(`${name}: is set but KAFKA_SSL is not true`);
    }
  }
  if (set('KAFKA_SSL_CERT_FILE') !== set('KAFKA_SSL_KEY_FILE')) {
    problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: mutual TLS needs both, or neither');
  }
  const withPassword = mechanism === 'plain' || mechanism?.startsWith('scram-') === true;
  if (withPassword) {
    if (!set('KAFKA_SASL_USERNAME')) problems.push(`KAFKA_SASL_USERNAME: is required with ${mechanism}`);
    if (set('KAFKA_SASL_PASSWORD') === set('KAFKA_SASL_PASSWORD_FILE')) {
      problems.push(
        `KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE: exactly one is required with ${mechanism}`,
      );
    }
  } else {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'].filter(
      set,
    )) {
      problems.push(`${name}: is set but KAFKA_SASL_MECHANISM is ${mechanism ?? 'unset'}`);
    }
  }
  if (mechanism === 'oauthbearer' && !set('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE')) {
    problems.push('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: is required with oauthbearer');
  }
  if (mechanism !== 'oauthbearer' && set('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE')) {
    problems.push(
      `KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: is set but KAFKA_SASL_MECHANISM is ${mechanism ?? 'unset'}`,
    );
  }
  if (mechanism === 'aws-msk-iam') {
    if (!ssl) problems.push("KAFKA_SSL: must be true with aws-msk-iam (MSK's IAM listeners are TLS only)");
    if (!set('AWS_REGION')) problems.push("AWS_REGION: is required with aws-msk-iam (the cluster's region)");
  }
  return problems;
}

export type KafkaSasl =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'aws-msk-iam'; region: string }
  | { mechanism: 'oauthbearer'; tokenFile: string };

/** Where and how to connect, resolved from the parsed variables; key material and password held in memory. */
export interface KafkaConnection {
  brokers: string[];
  ssl: false | { ca?: string; cert?: string; key?: string };
  sasl: KafkaSasl | null;
}

/** Resolves parsed variables that passed kafkaConnectionProblems into what createKafka needs. */
export function kafkaConnection(env: KafkaConnectionEnv): KafkaConnection {
  const ssl = env.KAFKA_SSL
    ? {
        ...(env.KAFKA_SSL_CA_FILE && { ca: env.KAFKA_SSL_CA_FILE }),
        ...(env.KAFKA_SSL_CERT_FILE && { cert: env.KAFKA_SSL_CERT_FILE }),
        ...(env.KAFKA_SSL_KEY_FILE && { key: env.KAFKA_SSL_KEY_FILE }),
      }
    : false;
  return { brokers: env.KAFKA_BROKERS, ssl, sasl: saslFrom(env) };
}

function saslFrom(env: KafkaConnectionEnv): KafkaSasl | null {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  switch (mechanism) {
    case undefined:
      return null;
    case 'aws-msk-iam':
      return { mechanism, region: env.AWS_REGION ?? '' };
    case 'oauthbearer':
      return { mechanism, tokenFile: env.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE ?? '' };
    default:
      return {
        mechanism,
        username: env.KAFKA_SASL_USERNAME ?? '',
        password: env.KAFKA_SASL_PASSWORD ?? env.KAFKA_SASL_PASSWORD_FILE ?? '',
      };
  }
}

/** How the connection is secured, for start-up logs and error messages: never a secret. */
export function describeSecurity(connection: KafkaConnection): string {
  const transport = connection.ssl ? (connection.ssl.cert ? 'TLS (mutual)' : 'TLS') : 'plaintext';
  return connection.sasl ? `${transport}, SASL ${connection.sasl.mechanism}` : transport;
}
