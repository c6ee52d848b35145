import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TruncatedText } from '../contract/enriched-event.js';

const utf8 = new TextEncoder();

/**
 * A copy of the record in which every string longer than `maxLength` (a SAM template, a README, a licence) is
 * replaced by its prefix, its length and its SHA-256, so that one published event stays far below Kafka's message
 * size limit and a subscriber can still tell which exact text was sent. A record with no such string is returned
 * as it is (the same object), and one too short to hold any is not even walked.
 */
export function truncateLongText<T extends Record<string, unknown>>(
  record: T,
  maxLength: number,
  serializedLength: number,
): T {
  if (serializedLength <= maxLength) return record;
  return cut(record, maxLength) as T;
}

/**
 * A deep copy with long strings replaced. Iterative, with an explicit stack: CloudTrail fields can hold
 * caller-supplied JSON of any depth, and recursion would overflow the call stack on a hostile record.
 */
function cut(root: unknown, maxLength: number): unknown {
  const shorten = (value: unknown) =>
    typeof value === 'string' && value.length > maxLength ? truncated(value, maxLength) : value;
  const container = (value: unknown): Record<string, unknown> | unknown[] | null =>
    Array.isArray(value) ? [] : typeof value === 'object' && value !== null ? {} : null;

  const rootCopy = container(root);
  if (rootCopy === null) return shorten(root);
  let changed = false;
  const pending: [source: object, target: Record<string, unknown> | unknown[]][] = [
    [root as object, rootCopy],
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    for (const [key, value] of Object.entries(source)) {
      const copy = container(value);
      const kept = copy ?? shorten(value);
      if (kept !== value && copy === null) changed = true;
      (target as Record<string, unknown>)[key] = kept;
      if (copy !== null) pending.push([value as object, copy]);
    }
  }
  return changed ? rootCopy : root;
}

function truncated(text: string, maxLength: number): TruncatedText {
  return {
    sarwatchTruncated: true,
    prefix: text.slice(0, maxLength),
    originalLength: text.length,
    sha256: bytesToHex(sha256(utf8.encode(text))),
  };
}
