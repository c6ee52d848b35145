import type { z } from 'zod';
import { type CloudTrailRecord, CloudTrailRecordSchema } from '../cloudtrail/record.js';
import { type EventBridgeEnvelope, EventBridgeEnvelopeSchema } from '../eventbridge/envelope.js';
import { compileSafeParse } from '../schema/compiled-parser.js';
import type { DeadLetterReason } from './dead-letter-reason.js';
import { depthBeyond, scanJsonStructure } from './json-structure.js';
import { splitEnvelope } from './split-envelope.js';

export type DecodedRecord = {
  ok: true;
  record: CloudTrailRecord;
  envelope: EventBridgeEnvelope | null;
  /** The record's own JSON text when it could be located for certain (see serializeEvent); else null. */
  recordJson: string | null;
};
export type RejectedRecord = { ok: false; reason: DeadLetterReason; message: string };
export type DecodeResult = DecodedRecord | RejectedRecord;

export interface DecodeOptions {
  /** Records larger than this are rejected before parsing, so one hostile record cannot exhaust memory. */
  maxRecordBytes: number;
  /** Deeper JSON is rejected: serializers recurse and would overflow their stack. */
  maxNestingDepth?: number;
}

/** Far deeper than any CloudTrail record, far shallower than where serializers overflow their stack. */
export const DEFAULT_MAX_NESTING_DEPTH = 128;

const parseRecord = compileSafeParse(CloudTrailRecordSchema);
const parseEnvelope = compileSafeParse(EventBridgeEnvelopeSchema);

const utf8 = new TextDecoder('utf-8', { fatal: true });

const reject = (reason: DeadLetterReason, message: string): RejectedRecord => ({
  ok: false,
  reason,
  message,
});

/** Bytes as they arrive from Kinesis: an EventBridge envelope around a CloudTrail record, or a bare record. */
export function decodeRecord(bytes: Uint8Array, options: DecodeOptions): DecodeResult {
  if (bytes.byteLength > options.maxRecordBytes) {
    return reject('oversize', `record is ${bytes.byteLength} bytes, the limit is ${options.maxRecordBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return reject('invalid-utf8', 'record is not valid UTF-8');
  }
  const maxDepth = options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH;
  const split = splitEnvelope(text);
  if (split) {
    return tooDeep(text, maxDepth) ?? withRecordJson(decodeEnvelope(split.envelope), split.detailText);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject('invalid-json', error instanceof Error ? error.message : 'record is not JSON');
  }
  const deep = tooDeep(text, maxDepth);
  if (deep) return deep;
  const decoded = decodeValue(value);
  if (!decoded.ok) return decoded;
  return withRecordJson(
    decoded,
    decoded.envelope ? scanJsonStructure(text, 'detail').valueText : text.trim(),
  );
}

// JSON.parse copes with any depth, but JSON.stringify and most consumers recurse and overflow their stack a few
// thousand levels down: such a record is refused here, where it is still one dead letter.
function tooDeep(text: string, maxDepth: number): RejectedRecord | null {
  const depth = depthBeyond(text, maxDepth);
  return depth === null
    ? null
    : reject('too-deeply-nested', `JSON nests ${depth} levels deep, the limit is ${maxDepth}`);
}

function withRecordJson(decoded: DecodeResult, recordJson: string | null): DecodeResult {
  if (decoded.ok) decoded.recordJson = recordJson;
  return decoded;
}

/** The same decision for an already parsed JSON value (files, tests). */
export function decodeValue(value: unknown): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('not-an-object', `expected a JSON object, got ${describe(value)}`);
  }
  if ('detail-type' in value || 'detail' in value) {
    return decodeEnvelope(value);
  }
  if ('eventVersion' in value || 'eventID' in value || 'userIdentity' in value) {
    const record = parseRecord(value);
    if (!record.success) return reject('invalid-cloudtrail-record', summarize(record.error));
    return { ok: true, record: record.data, envelope: null, recordJson: null };
  }
  return reject('unknown-shape', 'neither an EventBridge envelope nor a CloudTrail record');
}

function decodeEnvelope(value: object): DecodeResult {
  const envelope = parseEnvelope(value);
  if (!envelope.success) return reject('invalid-envelope', summarize(envelope.error));
  const record = parseRecord(envelope.data.detail);
  if (!record.success) return reject('invalid-cloudtrail-record', summarize(record.error, 'detail'));
  return { ok: true, record: record.data, envelope: envelope.data, recordJson: null };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

const MAX_ISSUES_REPORTED = 5;

/** One line naming each failing path, short enough for a Kafka header and a log line. */
export function summarize(error: z.ZodError, prefix?: string): string {
  const issues = error.issues.slice(0, MAX_ISSUES_REPORTED).map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - MAX_ISSUES_REPORTED;
  return more > 0 ? `${issues.join('; ')}; and ${more} more` : issues.join('; ');
}
