import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TruncatedText } from '../contract/enriched-event.js';

const utf8 = new TextEncoder();

/**
 * A copy of the record in which every string longer than `maxLength` (a SAM template, a README, a licence) is
 * replaced by its prefix, its length and its SHA-256, so that one published event stays far below Kafka's message
 * size limit and a subscriber can still tell which exact text was sent. Records too short to hold such a string
 * are returned as they are, unwalked.
 */
export function truncateLongText<T extends Record<string, unknown>>(
  record: T,
  maxLength: number,
  serializedLength: number,
): T {
  if (serializedLength <= maxLength) return record;
  return cut(record, maxLength) as T;
}

function cut(value: unknown, maxLength: number): unknown {
  if (typeof value === 'string') return value.length > maxLength ? truncated(value, maxLength) : value;
  if (Array.isArray(value)) return value.map((item) => cut(item, maxLength));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cut(item, maxLength);
    return copy;
  }
  return value;
}

function truncated(text: string, maxLength: number): TruncatedText {
  return {
    sarwatchTruncated: true,
    prefix: text.slice(0, maxLength),
    originalLength: text.length,
    sha256: bytesToHex(sha256(utf8.encode(text))),
  };
}
