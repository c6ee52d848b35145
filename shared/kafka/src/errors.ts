/** The exit code of every command that stops because Kafka refused access: no restart with the same settings helps. */
export const EXIT_KAFKA_ACCESS = 3;

/**
 * Kafka refused this client for a reason that retrying cannot fix: authentication, TLS trust or authorization.
 * The message is one line naming the broker, the security in use and the cause, and never holds a secret.
 */
export class KafkaAccessError extends Error {
  override readonly name = 'KafkaAccessError';
  /** kafkajs bails out of its own retries on errors marked not retriable. */
  readonly retriable = false;
}
