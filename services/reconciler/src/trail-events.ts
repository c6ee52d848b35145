import { getMaxListeners, setMaxListeners } from 'node:events';
import {
  type CloudTrailRecord,
  type Delivery,
  type EventBridgeEnvelope,
  type ExpectedEvent,
  inWindow,
  type TimeWindow,
  wrapInEventBridge,
} from '@sarwatch/core';
import { isReconcilerError } from './errors.js';
import type { TrailBucket, TrailFile } from './s3/trail-bucket.js';

/** A trail record our EventBridge rule would have delivered, in the form the stream would have carried it. */
export interface DeliveredTrailEvent extends ExpectedEvent {
  /** The record wrapped as EventBridge wraps it, as UTF-8 JSON: what the live path reads from Kinesis. */
  data: Uint8Array;
  partitionKey: string;
  /** `<S3 key>#<index in the file>`: where the record is, for dead letters and logs. */
  location: string;
}

export interface UnreadableFile {
  key: string;
  reason: string;
}

export interface TrailReading {
  files: number;
  records: number;
  /** Records the rule delivers, in the window and the selection. */
  delivered: number;
  unreadable: UnreadableFile[];
}

const encoder = new TextEncoder();
const FILE_TIME = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;

/** Files read at once: S3 answers each GET in tens of milliseconds, and a day of a busy trail has thousands. */
const FILES_IN_FLIGHT = 8;
const LISTENERS_PER_FILE = 4;

interface FileOutcome {
  events: DeliveredTrailEvent[];
  records: number;
  unreadable: UnreadableFile | null;
}

/**
 * The window's trail events that the rule delivers, in file order. Files are read several at a time; of each, only
 * the delivered events are kept (a small share of a trail's records). A file that cannot be read is recorded with
 * its key and reason, and reading goes on with the next; what it gave before breaking is kept, since each of
 * those records was read whole.
 */
export async function* deliveredTrailEvents(
  bucket: Pick<TrailBucket, 'files' | 'records'>,
  window: TimeWindow,
  deliver: (event: EventBridgeEnvelope) => Delivery,
  reading: TrailReading,
  lateDeliveryMs: number,
  signal?: AbortSignal,
): AsyncGenerator<DeliveredTrailEvent> {
  // Every S3 request in flight listens to the signal; Node warns past ten listeners.
  if (signal && getMaxListeners(signal) < LISTENERS_PER_FILE * FILES_IN_FLIGHT) {
    setMaxListeners(LISTENERS_PER_FILE * FILES_IN_FLIGHT, signal);
  }
  const inFlight: Promise<FileOutcome>[] = [];
  const take = async function* () {
    const outcome = await inFlight.shift();
    if (outcome === undefined) return;
    reading.files += 1;
    reading.records += outcome.records;
    reading.delivered += outcome.events.length;
    if (outcome.unreadable) reading.unreadable.push(outcome.unreadable);
    yield* outcome.events;
  };
  try {
    for await (const file of bucket.files(signal)) {
      if (!mayHoldWindow(file, window, lateDeliveryMs)) continue;
      inFlight.push(readFile(bucket, file, window, deliver, signal));
      if (inFlight.length >= FILES_IN_FLIGHT) yield* take();
    }
    while (inFlight.length > 0) yield* take();
  } finally {
    // Reads still running when the caller stops are left to finish; their failures are nobody's now.
    for (const pending of inFlight) pending.catch(() => undefined);
  }
}

async function readFile(
  bucket: Pick<TrailBucket, 'files' | 'records'>,
  file: TrailFile,
  window: TimeWindow,
  deliver: (event: EventBridgeEnvelope) => Delivery,
  signal?: AbortSignal,
): Promise<FileOutcome> {
  const outcome: FileOutcome = { events: [], records: 0, unreadable: null };
  try {
    for await (const text of bucket.records(file, signal)) {
      const event = deliveredEvent(text, `${file.key}#${outcome.records++}`, window, deliver);
      if (event !== null) outcome.events.push(event);
    }
  } catch (error) {
    if (!isReconcilerError(error, 'TRAIL_FILE_UNREADABLE')) throw error;
    outcome.unreadable = { key: file.key, reason: error.message };
  }
  return outcome;
}

/**
 * The time in a log file's name is when CloudTrail delivered it, to the minute, and "a log file delivered at a
 * specific time can contain records written at any point before that time" (CloudTrail User Guide, "CloudTrail log
 * file name format"). So a file delivered before the window began holds none of its events, and one delivered after
 * its end plus the delivery delay is not waited for. Without this, an hour's window would read its whole day.
 */
function mayHoldWindow(file: TrailFile, window: TimeWindow, lateDeliveryMs: number): boolean {
  const deliveredMs = fileTimeMs(file);
  // A name without a delivery time is read: reading too much costs time, skipping could lose events.
  if (deliveredMs === null) return true;
  return (
    deliveredMs + MINUTE_MS > window.from.getTime() && deliveredMs <= window.to.getTime() + lateDeliveryMs
  );
}

const MINUTE_MS = 60_000;

function fileTimeMs(file: TrailFile): number | null {
  const match = FILE_TIME.exec(file.key);
  if (match === null) return null;
  const [, year, month, day, hour, minute] = match;
  return Date.parse(`${year}-${month}-${day}T${hour}:${minute}:00Z`);
}

function deliveredEvent(
  text: string,
  location: string,
  window: TimeWindow,
  deliver: (event: EventBridgeEnvelope) => Delivery,
): DeliveredTrailEvent | null {
  const record = asCloudTrailRecord(text);
  if (record === null || !inWindow(window, Date.parse(record.eventTime))) return null;
  // The envelope's id is EventBridge's own; the record's eventID keeps a backfill's output the same on every run.
  // A record without userIdentity (some service events) still gets its account from recipientAccountId.
  const envelope = {
    ...wrapInEventBridge({ ...record, userIdentity: record.userIdentity ?? {} }, { id: record.eventID }),
    detail: record,
  };
  const delivery = deliver(envelope);
  if (!delivery.delivered) return null;
  return {
    id: record.eventID,
    time: record.eventTime,
    name: record.eventName,
    account: envelope.account === '' ? null : envelope.account,
    region: record.awsRegion,
    data: encoder.encode(JSON.stringify(envelope)),
    partitionKey: delivery.partitionKey,
    location,
  };
}

/**
 * The fields the envelope and the rule need, checked just enough to build them. Everything else is the live
 * path's to judge: the record goes through the same decoding and validation as a stream record, and a bad one
 * becomes a dead letter there.
 */
function asCloudTrailRecord(text: string): CloudTrailRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const field of ['eventID', 'eventTime', 'eventName', 'eventSource', 'awsRegion'] as const) {
    if (typeof record[field] !== 'string') return null;
  }
  return record as unknown as CloudTrailRecord;
}
