// INVALID_PRODUCER_EPOCH (47) is what brokers answer kafkajs' request versions; PRODUCER_FENCED (90) newer ones.
const FENCING_CODES = new Set([47, 90]);

/**
 * The fencing error anywhere in a kafkajs error's chain of causes: a newer producer of the same transactional id
 * took over. Null for any other failure.
 */
export function findFencingError(error: unknown): Error | null {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    const type = (cause as { type?: unknown }).type;
    if ((typeof code === 'number' && FENCING_CODES.has(code)) || type === 'PRODUCER_FENCED') return cause;
  }
  return null;
}
