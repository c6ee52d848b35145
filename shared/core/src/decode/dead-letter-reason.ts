/** Why a record could not become an enriched event. The codes are part of the dead-letter contract. */
export const DEAD_LETTER_REASONS = [
  'oversize',
  'too-deeply-nested',
  'invalid-utf8',
  'invalid-json',
  'not-an-object',
  'unknown-shape',
  'invalid-envelope',
  'invalid-cloudtrail-record',
  'enrichment-failed',
  'unpublishable',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];
