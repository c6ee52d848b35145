import type { DeadLetterReason } from '../decode/dead-letter-reason.js';
import { type DecodeResult, decodeRecord } from '../decode/decode-record.js';
import { JsonValueSplitter } from './json-value-splitter.js';
import { DEFAULT_MAX_VALUE_BYTES, type SplitFaultKind, type SplitValue } from './split-value.js';

/** Where a record is in its input, to name it in an error: its 1-based order and the line it starts on. */
export interface RecordPosition {
  index: number;
  line: number;
}

export interface ReadRecord {
  position: RecordPosition;
  /** The record's length in bytes in the input, an upper bound of its serialized length for enrich. */
  size: number;
  result: DecodeResult;
}

export interface RecordReaderOptions {
  /** Larger records are rejected as `oversize` without being kept or parsed. Default 64 MiB. */
  maxRecordBytes?: number;
}

const FAULT_REASONS: Readonly<Record<SplitFaultKind, DeadLetterReason>> = {
  oversize: 'oversize',
  unterminated: 'invalid-json',
  'newline-in-string': 'invalid-json',
  'unclosed-array': 'invalid-json',
};

/** Decodes one value the splitter cut out: UTF-8, then JSON, then the envelope or record schema. */
export function readValue(value: SplitValue, maxRecordBytes = DEFAULT_MAX_VALUE_BYTES): ReadRecord {
  const position = { index: value.index, line: value.line };
  const size = value.size;
  if (value.fault) {
    return {
      position,
      size,
      result: { ok: false, reason: FAULT_REASONS[value.fault.kind], message: value.fault.message },
    };
  }
  return { position, size, result: decodeRecord(value.bytes, { maxRecordBytes }) };
}

/**
 * CloudTrail records from a byte stream in any of the shapes the splitter knows, each one decoded on its own so
 * that a bad record is reported with its position and the others still come through.
 */
export class RecordReader {
  private readonly splitter: JsonValueSplitter;
  private readonly maxRecordBytes: number;

  constructor(options: RecordReaderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.splitter = new JsonValueSplitter({ maxValueBytes: this.maxRecordBytes });
  }

  /** The records the chunk completes, in input order. */
  push(chunk: Uint8Array): ReadRecord[] {
    return this.splitter.push(chunk).map((value) => readValue(value, this.maxRecordBytes));
  }

  /** The record the end of input cuts short, if any. */
  end(): ReadRecord[] {
    return this.splitter.end().map((value) => readValue(value, this.maxRecordBytes));
  }
}
