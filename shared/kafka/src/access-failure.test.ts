import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { accessCheck, accessFailureReason, KafkaAccessGuard } from './access-failure.js';
import type { KafkaConnection } from './connection-config.js';
import { KafkaAccessError } from './errors.js';

const saslFailure = {
  name: 'KafkaJSSASLAuthenticationError',
  message: 'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication',
};

const topicDenied = {
  name: 'KafkaJSProtocolError',
  type: 'TOPIC_AUTHORIZATION_FAILED',
  code: 29,
  message: 'Not authorized to access topics: [Topic authorization failed]',
};

const untrustedAfterRetries = {
  name: 'KafkaJSNumberOfRetriesExceeded',
  message: 'Connection error: self-signed certificate in certificate chain',
  originalError: {
    name: 'KafkaJSConnectionError',
    message: 'Connection error: self-signed certificate in certificate chain',
    broker: 'kafka-2:9093',
    code: 'SELF_SIGNED_CERT_IN_CHAIN',
  },
};

const wrongHost = {
  name: 'KafkaJSConnectionError',
  message:
    "Connection error: Hostname/IP does not match certificate's altnames: Host: kafka-1. is not in the cert's altnames: DNS:localhost",
  code: 'ERR_TLS_CERT_ALTNAME_INVALID',
};

const plaintextListener = {
  name: 'KafkaJSConnectionError',
  message:
    'Connection error: Client network socket disconnected before secure TLS connection was established',
  code: 'ECONNRESET',
};

const refused = {
  name: 'KafkaJSConnectionError',
  message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9093',
  broker: 'kafka-1:9093',
  code: 'ECONNREFUSED',
};

const transient: [string, unknown][] = [
  ['a refused connection', refused],
  [
    'a coordinator not available yet',
    {
      name: 'KafkaJSProtocolError',
      type: 'COORDINATOR_NOT_AVAILABLE',
      code: 15,
      message: 'The group coordinator is not available',
    },
  ],
  [
    'a request timeout',
    {
      name: 'KafkaJSRequestTimeoutError',
      message: 'Request Metadata(key: 3, version: 6) timed out',
      broker: 'kafka-1:9093',
    },
  ],
  [
    'retries exceeded on a refused connection',
    { name: 'KafkaJSNumberOfRetriesExceeded', originalError: refused },
  ],
  ['a plain Error', new Error('boom')],
  ['nothing', undefined],
  ['a string', 'SASL authentication failed'],
];

describe('accessFailureReason', () => {
  it('takes a SASL authentication failure as it is', () => {
    expect(accessFailureReason(saslFailure)).toBe(saslFailure.message);
  });

  it('names the type of an authorization failure', () => {
    expect(accessFailureReason(topicDenied)).toBe(
      'TOPIC_AUTHORIZATION_FAILED: Not authorized to access topics: [Topic authorization failed]',
    );
  });

  it('finds an untrusted certificate under the retries wrapper, and points at the CA file', () => {
    const reason = accessFailureReason(untrustedAfterRetries);
    expect(reason).toContain('SELF_SIGNED_CERT_IN_CHAIN');
    expect(reason).toContain('KAFKA_SSL_CA_FILE');
  });

  it('follows `cause` as well as `originalError`', () => {
    const wrapped = new Error('outer', { cause: new Error('middle', { cause: saslFailure }) });
    expect(accessFailureReason(wrapped)).toBe(saslFailure.message);
  });

  it('finds an expired certificate under kafkajs’ own retries error', () => {
    const connection = new kafkajs.KafkaJSConnectionError('Connection error: certificate has expired', {
      broker: 'kafka-1:9093',
      code: 'CERT_HAS_EXPIRED',
    });
    const exceeded = new kafkajs.KafkaJSNumberOfRetriesExceeded(connection, {
      retryCount: 5,
      retryTime: 1000,
    });
    expect(accessFailureReason(exceeded)).toContain('CERT_HAS_EXPIRED');
  });

  it('says when the certificate is for another host, without kafkajs’ prefix', () => {
    const reason = accessFailureReason(wrongHost);
    expect(reason).toMatch(
      /^the broker's certificate is not for this host name \(Hostname\/IP does not match/,
    );
    expect(reason).not.toContain('Connection error:');
  });

  it('takes a hang-up during the TLS handshake as a plaintext listener, only with TLS on', () => {
    expect(accessFailureReason(plaintextListener, true)).toContain('plaintext listener');
    expect(accessFailureReason(plaintextListener)).toContain('plaintext listener');
    expect(accessFailureReason(plaintextListener, false)).toBeNull();
  });

  it('takes the message of a KafkaAccessError, such as a failed token signing', () => {
    const error = new KafkaAccessError('could not sign an MSK IAM token in eu-west-1');
    expect(accessFailureReason({ name: 'KafkaJSNonRetriableError', cause: error })).toBe(error.message);
  });

  it.each(transient)('leaves %s to retries', (_case, error) => {
    expect(accessFailureReason(error)).toBeNull();
  });

  it('stops at a cycle of causes', () => {
    const first: { name: string; message: string; cause?: unknown } = { name: 'A', message: 'a' };
    const second = { name: 'B', message: 'b', originalError: first };
    first.cause = second;
    expect(accessFailureReason(first)).toBeNull();
  });
});

describe('accessCheck', () => {
  it('wraps an access failure in a KafkaAccessError, and leaves other errors', () => {
    const denied = accessCheck(topicDenied);
    expect(denied).toBeInstanceOf(KafkaAccessError);
    expect(denied?.message).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(denied?.cause).toBe(topicDenied);
    expect(accessCheck(refused)).toBeNull();
  });
});

describe('KafkaAccessGuard', () => {
  const scramOverTls: KafkaConnection = {
    brokers: ['kafka-1:9093', 'kafka-2:9093'],
    ssl: {},
    sasl: { mechanism: 'scram-sha-512', username: 'sarwatch', password: 'hunter2-secret' },
  };

  it('records the first access failure and aborts its signal with it', () => {
    const guard = new KafkaAccessGuard(scramOverTls);
    expect(guard.failure).toBeNull();
    expect(guard.signal.aborted).toBe(false);

    const denied = guard.check(saslFailure);
    expect(denied).toBeInstanceOf(KafkaAccessError);
    expect(denied?.message).toBe(
      `Kafka at kafka-1:9093,kafka-2:9093 (TLS, SASL scram-sha-512) refused access: ${saslFailure.message}`,
    );
    expect(denied?.cause).toBe(saslFailure);
    expect(guard.failure).toBe(denied);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.signal.reason).toBe(denied);
    expect(denied?.message).not.toContain('hunter2');
  });

  it('names the broker the error came from', () => {
    const guard = new KafkaAccessGuard(scramOverTls);
    expect(guard.check(untrustedAfterRetries)?.message).toMatch(
      /^Kafka at kafka-2:9093 \(TLS, SASL scram-sha-512\) refused access: the broker's certificate is not trusted/,
    );
  });

  it('keeps the first failure when more follow', () => {
    const guard = new KafkaAccessGuard(scramOverTls);
    const first = guard.check(topicDenied);
    const second = guard.check(saslFailure);
    expect(second).toBe(first);
    expect(guard.failure).toBe(first);
    expect(guard.signal.reason).toBe(first);
    expect(guard.failure?.message).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('neither records nor aborts on errors that may pass', () => {
    const guard = new KafkaAccessGuard(scramOverTls);
    for (const [, error] of transient) expect(guard.check(error)).toBeNull();
    expect(guard.failure).toBeNull();
    expect(guard.signal.aborted).toBe(false);

    expect(guard.check(saslFailure)).not.toBeNull();
    expect(guard.signal.aborted).toBe(true);
  });

  it('takes a TLS hang-up as an access failure only when the connection uses TLS', () => {
    const plaintext = new KafkaAccessGuard({ brokers: ['kafka-1:9092'], ssl: false, sasl: null });
    expect(plaintext.check(plaintextListener)).toBeNull();
    expect(plaintext.signal.aborted).toBe(false);

    const tls = new KafkaAccessGuard({ brokers: ['kafka-1:9092'], ssl: {}, sasl: null });
    expect(tls.check(plaintextListener)?.message).toMatch(
      /^Kafka at kafka-1:9092 \(TLS\) refused access: .*plaintext listener/,
    );
    expect(tls.signal.aborted).toBe(true);
  });
});
