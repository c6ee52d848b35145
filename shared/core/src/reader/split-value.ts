/** What the splitter hands out, and the options it takes. */

/** Why a value could not be cut out cleanly. The caller turns every kind but `oversize` into invalid JSON. */
export type SplitFaultKind = 'oversize' | 'unterminated' | 'newline-in-string' | 'unclosed-array';

export interface SplitFault {
  kind: SplitFaultKind;
  message: string;
}

export interface SplitValue {
  /** 1-based order of the value in the input, counting faulty ones. */
  index: number;
  /** 1-based line of the value's first byte. */
  line: number;
  /**
   * The value's bytes, empty when it is oversize. They may view the chunk given to `push`: use them before the
   * next `push`, or copy them.
   */
  bytes: Uint8Array;
  /** The value's length in the input, counted even when its bytes were not kept. */
  size: number;
  fault: SplitFault | null;
}

export type SplitMode = 'records' | 'array' | 'values';

export interface JsonValueSplitterOptions {
  /** A longer value is skipped and reported as oversize, so one hostile value cannot exhaust memory. */
  maxValueBytes?: number;
}

export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024 * 1024;
