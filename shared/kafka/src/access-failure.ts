import type { Logger } from '@sarwatch/runtime';
import { describeSecurity, type KafkaConnection } from './connection-config.js';
import { EXIT_KAFKA_ACCESS, KafkaAccessError } from './errors.js';

// Kafka error types (kafkajs' `type`) that say who the client is or what it may do, not that the broker is busy.
const REFUSED_TYPES = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

// OpenSSL's verification results, as Node reports them on the socket error's `code`.
const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'INVALID_CA',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  broker?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps: kafkajs keeps the first failure in `cause` or `originalError`. */
function* chain(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  let current = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const link = current as ErrorLike;
    yield link;
    current = link.cause ?? link.originalError;
  }
}

function reasonOf(link: ErrorLike, tls: boolean): string | null {
  const message = String(link.message ?? '');
  if (link.name === 'KafkaAccessError' || link.name === 'KafkaJSSASLAuthenticationError') return message;
  if (typeof link.type === 'string' && REFUSED_TYPES.has(link.type)) return `${link.type}: ${message}`;
  if (typeof link.code === 'string' && UNTRUSTED_CODES.has(link.code)) {
    return `the broker's certificate is not trusted (${link.code}); KAFKA_SSL_CA_FILE names the CA that signed it`;
  }
  if (link.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the broker's certificate is not for this host name (${message.replace(/^Connection error: /, '')})`;
  }
  // A plaintext listener reads the TLS hello as a request far over its size limit, and hangs up.
  if (tls && message.includes('before secure TLS connection was established')) {
    return 'the broker closed the connection during the TLS handshake: is it a plaintext listener? (KAFKA_SSL)';
  }
  return null;
}

/**
 * Why Kafka refused this client, when no retry can help: authentication, TLS trust, authorization. Null for
 * everything that may pass with time (a broker down or restarting, a leader election, a timeout).
 */
export function accessFailureReason(error: unknown, tls = true): string | null {
  for (const link of chain(error)) {
    const reason = reasonOf(link, tls);
    if (reason !== null) return reason;
  }
  return null;
}

/** Whether an error is an access failure, as the error to stop with; null when it may pass with time. */
export type AccessCheck = (error: unknown) => KafkaAccessError | null;

/** For clients without a guard: classifies, and records nothing. */
export const accessCheck: AccessCheck = (error) => {
  const reason = accessFailureReason(error);
  return reason === null ? null : new KafkaAccessError(reason, { cause: error });
};

function brokerOf(error: unknown): string | null {
  for (const link of chain(error)) {
    if (typeof link.broker === 'string') return link.broker;
  }
  return null;
}

/**
 * Holds the first access failure any part of a service meets, and aborts its signal, so the service stops and says
 * why once, instead of every component retrying a password that will never work.
 */
export class KafkaAccessGuard {
  private readonly controller = new AbortController();
  private denied: KafkaAccessError | null = null;

  constructor(readonly connection: KafkaConnection) {}

  /** Aborts at the first access failure. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get failure(): KafkaAccessError | null {
    return this.denied;
  }

  /** The access failure behind `error` (recording the first), or null when the error may pass with time. */
  readonly check: AccessCheck = (error) => {
    const reason = accessFailureReason(error, this.connection.ssl !== false);
    if (reason === null) return null;
    if (this.denied === null) {
      const broker = brokerOf(error) ?? this.connection.brokers.join(',');
      this.denied = new KafkaAccessError(
        `Kafka at ${broker} (${describeSecurity(this.connection)}) refused access: ${reason}`,
        { cause: error },
      );
      this.controller.abort(this.denied);
    }
    return this.denied;
  };
}

/**
 * For a service's top level: a refusal becomes its one line on stderr (and in the log) and exit code 3; anything
 * else is not this function's to handle, and gives null.
 */
export function reportAccessRefusal(
  error: unknown,
  command: string,
  log: Pick<Logger, 'fatal'>,
): number | null {
  if (!(error instanceof KafkaAccessError)) return null;
  log.fatal(error.message);
  process.stderr.write(`${command}: ${error.message}\n`);
  return EXIT_KAFKA_ACCESS;
}
