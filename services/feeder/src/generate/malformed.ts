import { type DeadLetterReason, type EventBridgeEnvelope, wrapInEventBridge } from '@sarwatch/core';
import { encodeJson } from './encode-json.js';
import type { Rng } from './prng.js';
import { buildEvent } from './record.js';
import { createWorld } from './world.js';

/**
 * Ways a Kinesis record can be broken, named after the dead-letter reason the decoder must give each one, so a
 * test can ask for a kind and assert that exact reason. 'oversize' is opt-in: a megabyte per record is heavy.
 */
export const MALFORMATION_KINDS = [
  'invalid-json',
  'invalid-utf8',
  'not-an-object',
  'unknown-shape',
  'invalid-envelope',
  'invalid-cloudtrail-record',
  'oversize',
] as const satisfies readonly DeadLetterReason[];
export type MalformationKind = (typeof MALFORMATION_KINDS)[number];

export interface MalformedRecord {
  kind: 'malformed';
  data: Uint8Array;
  partitionKey: string;
  malformation: MalformationKind;
}

/** Kinesis caps a record at 1 MiB, and so does the decoder's usual limit; this is just past it. */
const OVERSIZE_BYTES = 1_048_576;

// Used when the caller has no event at hand to corrupt: a fixed instant keeps the result a function of the rng.
const SAMPLE_TIME = new Date('2025-01-15T09:30:00Z');

/** A broken record of the given kind, corrupting `sample` (a valid envelope) where the kind needs one. */
export function makeMalformedRecord(
  kind: MalformationKind,
  rng: Rng,
  sample?: EventBridgeEnvelope,
): MalformedRecord {
  const envelope = sample ?? sampleEnvelope(rng);
  return {
    kind: 'malformed',
    data: corrupt(kind, rng, envelope),
    partitionKey: rng.uuid(),
    malformation: kind,
  };
}

function corrupt(kind: MalformationKind, rng: Rng, envelope: EventBridgeEnvelope): Uint8Array {
  const detail = isObject(envelope.detail) ? envelope.detail : {};
  switch (kind) {
    case 'invalid-json': {
      // Cut inside the object. Every proper prefix of a JSON object is unterminated, hence never valid JSON.
      const text = JSON.stringify(envelope);
      return new TextEncoder().encode(text.slice(0, rng.int(Math.floor(text.length * 0.2), text.length - 2)));
    }
    case 'invalid-utf8': {
      // 0xff and 0xfe can never occur in UTF-8, wherever they are placed.
      const bytes = encodeJson(envelope);
      const at = rng.int(1, bytes.length - 1);
      const out = new Uint8Array(bytes.length + 2);
      out.set(bytes.subarray(0, at), 0);
      out.set([0xff, 0xfe], at);
      out.set(bytes.subarray(at), at + 2);
      return out;
    }
    case 'not-an-object':
      return encodeJson(rng.chance(0.5) ? [envelope] : rng.int(0, 1_000_000));
    case 'unknown-shape':
      // A CloudTrail log file sent whole, or a stray health-check message: JSON objects, but not ours.
      return encodeJson(
        rng.chance(0.5)
          ? { Records: [detail] }
          : { message: 'healthcheck', level: 'info', ts: envelope.time, host: `feeder-${rng.int(1, 9)}` },
      );
    case 'invalid-envelope': {
      const { id: _id, ...withoutId } = envelope;
      return encodeJson(rng.chance(0.5) ? withoutId : { ...envelope, time: 'not a date' });
    }
    case 'invalid-cloudtrail-record': {
      const { eventID: _eventId, ...withoutEventId } = detail;
      return encodeJson({
        ...envelope,
        detail: rng.chance(0.5) ? withoutEventId : { ...detail, eventTime: 'yesterday' },
      });
    }
    case 'oversize': {
      // Still a well-formed event, so only its size can be the reason it is refused.
      const request = isObject(detail.requestParameters) ? detail.requestParameters : {};
      const padding = `\n#${'-'.repeat(OVERSIZE_BYTES + rng.int(1, 4096))}`;
      const templateBody = `${typeof request.templateBody === 'string' ? request.templateBody : ''}${padding}`;
      return encodeJson({
        ...envelope,
        detail: { ...detail, requestParameters: { ...request, templateBody } },
      });
    }
  }
}

function sampleEnvelope(rng: Rng): EventBridgeEnvelope {
  const record = buildEvent({ rng, world: createWorld(rng, {}), now: SAMPLE_TIME });
  return wrapInEventBridge(record, { id: rng.uuid() });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
