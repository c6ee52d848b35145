import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sarwatch/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeSecurity,
  type KafkaConnection,
  kafkaConnectionProblems,
  parseKafkaConnection,
} from './connection-config.js';

const dir = mkdtempSync(join(tmpdir(), 'sarwatch-kafka-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const caPem = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const certPem = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const keyPem = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const caFile = file('ca.pem', caPem);
const certFile = file('client.pem', certPem);
const keyFile = file('client.key', keyPem);
const tokenPath = file('token', 'eyJhbGciOi.token\n');
const missing = join(dir, 'missing.pem');

const brokers = { KAFKA_BROKERS: 'kafka-1:9093,kafka-2:9093' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseKafkaConnection(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, and the environment was accepted');
}

describe('parseKafkaConnection', () => {
  it('connects in plaintext without SASL by default', () => {
    const connection = parseKafkaConnection(brokers);
    expect(connection).toEqual({ brokers: ['kafka-1:9093', 'kafka-2:9093'], ssl: false, sasl: null });
    expect(describeSecurity(connection)).toBe('plaintext');
  });

  it('reads the CA, certificate and key files as PEM text', () => {
    const connection = parseKafkaConnection({
      ...brokers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SSL_CERT_FILE: certFile,
      KAFKA_SSL_KEY_FILE: keyFile,
    });
    expect(connection.ssl).toEqual({ ca: caPem, cert: certPem, key: keyPem });
    expect(describeSecurity(connection)).toBe('TLS (mutual)');
  });

  it('uses TLS with only a CA file, or with none', () => {
    expect(parseKafkaConnection({ ...brokers, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile }).ssl).toEqual({
      ca: caPem,
    });
    const noFiles = parseKafkaConnection({ ...brokers, KAFKA_SSL: 'true' });
    expect(noFiles.ssl).toEqual({});
    expect(describeSecurity(noFiles)).toBe('TLS');
  });

  it('names the variable of a CA file it cannot read', () => {
    const error = configError({ ...brokers, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^KAFKA_SSL_CA_FILE: cannot read the CA bundle at .*ENOENT/);
  });

  it('names the variable of a file that is not PEM, without echoing its contents', () => {
    const notPem = file('key.der', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-raw-key-bytes');
    const error = configError({
      ...brokers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CERT_FILE: certFile,
      KAFKA_SSL_KEY_FILE: notPem,
    });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^KAFKA_SSL_KEY_FILE: the client key must be PEM/);
    expect(error.message).not.toContain('raw-key-bytes');
  });

  it('takes a password from a variable', () => {
    const connection = parseKafkaConnection({
      ...brokers,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD: 'pa55',
    });
    expect(connection.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'sarwatch', password: 'pa55' });
    expect(describeSecurity(connection)).toBe('TLS, SASL scram-sha-512');
  });

  it.each([
    ['\n', 'pass word\n'],
    ['\r\n', 'pass word\r\n'],
  ])('strips the trailing newline (%j) of a password file, and nothing else', (_ending, text) => {
    const connection = parseKafkaConnection({
      ...brokers,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD_FILE: file('password', ` ${text}`),
    });
    expect(connection.sasl).toEqual({ mechanism: 'plain', username: 'sarwatch', password: ' pass word' });
  });

  it('keeps the token file path for oauthbearer, to read it at each authentication', () => {
    const connection = parseKafkaConnection({
      ...brokers,
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: tokenPath,
    });
    expect(connection.sasl).toEqual({ mechanism: 'oauthbearer', tokenFile: tokenPath });
  });

  it('refuses an oauthbearer token file it cannot read', () => {
    const error = configError({
      ...brokers,
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: missing,
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: cannot read/),
    ]);
  });

  it('takes the region for aws-msk-iam', () => {
    const connection = parseKafkaConnection({
      ...brokers,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      AWS_REGION: 'eu-west-1',
    });
    expect(connection.sasl).toEqual({ mechanism: 'aws-msk-iam', region: 'eu-west-1' });
  });

  it('takes a mechanism in capitals as Java clients spell it', () => {
    const connection = parseKafkaConnection({
      KAFKA_BROKERS: 'b:9096',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(connection.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });

  it('rejects an unknown mechanism by name', () => {
    const error = configError({ ...brokers, KAFKA_SASL_MECHANISM: 'gssapi' });
    expect(error.problems).toEqual([expect.stringMatching(/^KAFKA_SASL_MECHANISM: .*"gssapi"/)]);
  });

  it('reports schema and cross-field problems together in one ConfigError', () => {
    const error = configError({
      KAFKA_BROKERS: 'no-port',
      KAFKA_SSL: 'yes',
      KAFKA_SSL_CA_FILE: missing,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
    });
    const problems = error.problems.join('\n');
    for (const expected of [
      'KAFKA_BROKERS: each broker must be host:port',
      'KAFKA_SSL: must be true or false',
      'KAFKA_SSL_CA_FILE: cannot read the CA bundle',
      'KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true',
      'KAFKA_SASL_USERNAME: is required with scram-sha-512',
      'KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE: exactly one is required with scram-sha-512',
    ]) {
      expect(problems).toContain(expected);
      expect(error.message).toContain(expected);
    }
    expect(error.problems).toHaveLength(6);
  });

  it.each([
    ['no mechanism', {}],
    ['an unknown mechanism', { KAFKA_SASL_MECHANISM: 'gssapi' }],
    ['aws-msk-iam', { KAFKA_SASL_MECHANISM: 'aws-msk-iam' }],
    ['a password file as well', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD_FILE: missing }],
  ])('never repeats a password in its message, with %s', (_case, env) => {
    const error = configError({
      ...brokers,
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
      ...env,
    });
    expect(error.message).toContain('KAFKA_SASL_PASSWORD');
    expect(error.message).not.toContain('hunter2');
  });

  it('never repeats the contents of a password file in its message', () => {
    const error = configError({
      ...brokers,
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD_FILE: file('stray-password', 'file-secret-value\n'),
    });
    expect(error.message).toContain('KAFKA_SASL_PASSWORD_FILE: is set but KAFKA_SASL_MECHANISM is unset');
    expect(error.message).not.toContain('file-secret-value');
  });
});

describe('kafkaConnectionProblems', () => {
  it('finds nothing wrong in complete settings', () => {
    expect(kafkaConnectionProblems({})).toEqual([]);
    expect(
      kafkaConnectionProblems({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/ca.pem',
        KAFKA_SSL_CERT_FILE: '/cert.pem',
        KAFKA_SSL_KEY_FILE: '/key.pem',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'sarwatch',
        KAFKA_SASL_PASSWORD_FILE: '/password',
      }),
    ).toEqual([]);
    expect(
      kafkaConnectionProblems({
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'aws-msk-iam',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual([]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'TLS files without KAFKA_SSL',
      { KAFKA_SSL_CA_FILE: '/ca.pem', KAFKA_SSL_CERT_FILE: '/cert.pem', KAFKA_SSL_KEY_FILE: '/key.pem' },
      [
        'KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true',
        'KAFKA_SSL_CERT_FILE: is set but KAFKA_SSL is not true',
        'KAFKA_SSL_KEY_FILE: is set but KAFKA_SSL is not true',
      ],
    ],
    [
      'a CA file with KAFKA_SSL=false',
      { KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '/ca.pem' },
      ['KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true'],
    ],
    [
      'a certificate without a key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/cert.pem' },
      ['KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: mutual TLS needs both, or neither'],
    ],
    [
      'a key without a certificate',
      { KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: '/key.pem' },
      ['KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: mutual TLS needs both, or neither'],
    ],
    [
      'scram without a user name',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'pa55' },
      ['KAFKA_SASL_USERNAME: is required with scram-sha-512'],
    ],
    [
      'both a password and a password file',
      {
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'sarwatch',
        KAFKA_SASL_PASSWORD: 'pa55',
        KAFKA_SASL_PASSWORD_FILE: '/password',
      },
      ['KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE: exactly one is required with plain'],
    ],
    [
      'neither a password nor a password file',
      { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'sarwatch' },
      ['KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE: exactly one is required with scram-sha-256'],
    ],
    [
      'a password with no mechanism',
      { KAFKA_SASL_PASSWORD: 'pa55' },
      ['KAFKA_SASL_PASSWORD: is set but KAFKA_SASL_MECHANISM is unset'],
    ],
    [
      'a user name with aws-msk-iam',
      {
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'aws-msk-iam',
        AWS_REGION: 'eu-west-1',
        KAFKA_SASL_USERNAME: 'u',
      },
      ['KAFKA_SASL_USERNAME: is set but KAFKA_SASL_MECHANISM is aws-msk-iam'],
    ],
    [
      'oauthbearer without a token file',
      { KAFKA_SASL_MECHANISM: 'oauthbearer' },
      ['KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: is required with oauthbearer'],
    ],
    [
      'a token file for another mechanism',
      {
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'sarwatch',
        KAFKA_SASL_PASSWORD: 'pa55',
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: '/token',
      },
      ['KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: is set but KAFKA_SASL_MECHANISM is plain'],
    ],
    [
      'aws-msk-iam without KAFKA_SSL and without AWS_REGION',
      { KAFKA_SASL_MECHANISM: 'aws-msk-iam' },
      [
        "KAFKA_SSL: must be true with aws-msk-iam (MSK's IAM listeners are TLS only)",
        "AWS_REGION: is required with aws-msk-iam (the cluster's region)",
      ],
    ],
  ])('reports %s', (_case, env, expected) => {
    expect(kafkaConnectionProblems(env)).toEqual(expected);
  });

  it('counts empty variables as unset', () => {
    expect(
      kafkaConnectionProblems({ KAFKA_SSL_CA_FILE: '', KAFKA_SASL_PASSWORD: '', KAFKA_SASL_USERNAME: '' }),
    ).toEqual([]);
  });
});

describe('describeSecurity', () => {
  const plaintext: KafkaConnection = { brokers: ['kafka-1:9092'], ssl: false, sasl: null };

  it.each<[string, KafkaConnection]>([
    ['plaintext', plaintext],
    ['TLS', { ...plaintext, ssl: { ca: caPem } }],
    ['TLS (mutual)', { ...plaintext, ssl: { cert: certPem, key: keyPem } }],
    [
      'plaintext, SASL plain',
      { ...plaintext, sasl: { mechanism: 'plain', username: 'sarwatch', password: 'hunter2-secret' } },
    ],
    [
      'TLS, SASL aws-msk-iam',
      { ...plaintext, ssl: {}, sasl: { mechanism: 'aws-msk-iam', region: 'eu-west-1' } },
    ],
    [
      'TLS (mutual), SASL oauthbearer',
      {
        ...plaintext,
        ssl: { cert: certPem, key: keyPem },
        sasl: { mechanism: 'oauthbearer', tokenFile: '/t' },
      },
    ],
  ])('says %s', (expected, connection) => {
    expect(describeSecurity(connection)).toBe(expected);
  });
});
