import { type CloudTrailRecord, type EventBridgeEnvelope, wrapInEventBridge } from '@sarwatch/core';
import { encodeJson } from './encode-json.js';
import {
  MALFORMATION_KINDS,
  type MalformationKind,
  type MalformedRecord,
  makeMalformedRecord,
} from './malformed.js';
import { buildOtherServiceEvent } from './other-services.js';
import { createRng } from './prng.js';
import { buildEvent } from './record.js';
import { createWorld } from './world.js';

export interface EventGeneratorOptions {
  /** The same seed (and the same `now`) gives the same stream, byte for byte. */
  seed: number;
  /** The first of the three publishing accounts; the other two and an outside account are fixed ids. */
  accountId?: string;
  region?: string;
  /** Share of records that are broken on purpose, in [0, 1]. Default 0.01. */
  malformedRatio?: number;
  /**
   * Share of events that are calls to other services (Lambda, CloudFormation, S3, IAM), in [0, 1]. Default 0: only
   * what the rule would deliver. The local EventBridge needs some, to show it keeps them out of the stream.
   */
  otherServiceRatio?: number;
  /** Also produce records over 1 MiB among the malformed ones. Off by default: each costs a megabyte. */
  includeOversize?: boolean;
  /** The clock events are stamped with. Defaults to the wall clock; pass a fixed one for reproducible output. */
  now?: () => Date;
}

export interface GeneratedEvent {
  kind: 'event';
  /** UTF-8 JSON of `envelope`: what a Kinesis target of an EventBridge rule receives. */
  data: Uint8Array;
  /**
   * The envelope id, EventBridge's partition key when a Kinesis target sets no PartitionKeyPath. A rule with a path
   * (sarwatch's) keys it otherwise: see LocalEventBridge.
   */
  partitionKey: string;
  record: CloudTrailRecord;
  envelope: EventBridgeEnvelope;
}

export type GeneratedRecord = GeneratedEvent | MalformedRecord;

export interface EventGenerator {
  next(): GeneratedRecord;
}

export const DEFAULT_MALFORMED_RATIO = 0.01;

export function createEventGenerator(options: EventGeneratorOptions): EventGenerator {
  if (!Number.isFinite(options.seed))
    throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  const malformedRatio = ratio('malformedRatio', options.malformedRatio ?? DEFAULT_MALFORMED_RATIO);
  const otherServiceRatio = ratio('otherServiceRatio', options.otherServiceRatio ?? 0);
  const rng = createRng(options.seed);
  const world = createWorld(rng, options);
  const now = options.now ?? (() => new Date());
  const kinds: readonly MalformationKind[] = options.includeOversize
    ? MALFORMATION_KINDS
    : MALFORMATION_KINDS.filter((kind) => kind !== 'oversize');

  const envelope = () => {
    const context = { rng, world, now: now() };
    const record =
      otherServiceRatio > 0 && rng.chance(otherServiceRatio)
        ? buildOtherServiceEvent(context)
        : buildEvent(context);
    return { record, envelope: wrapInEventBridge(record, { id: rng.uuid() }) };
  };

  return {
    next(): GeneratedRecord {
      if (malformedRatio > 0 && rng.chance(malformedRatio)) {
        // Broken records are corruptions of events that could have been sent, as they would be in real life.
        return makeMalformedRecord(rng.pick(kinds), rng, envelope().envelope);
      }
      const event = envelope();
      return { kind: 'event', data: encodeJson(event.envelope), partitionKey: event.envelope.id, ...event };
    },
  };
}

function ratio(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}
