import { DEFAULT_ENRICH_OPTIONS, decodeRecord, enrich, serializeEvent } from '@sarwatch/core';
import { createEventGenerator } from '@sarwatch/feeder';
import { compare, median } from './measure.js';

export interface CorePathResult {
  events: number;
  /** Which records of the generator's realistic mix were kept, by size. */
  sizeRange: { min: number; max: number };
  bytes: { mean: number; p10: number; median: number; p90: number };
  jsonParseOnlyPerSecond: number;
  utf8DecodeAndJsonParsePerSecond: number;
  corePathPerSecond: number;
  /** corePath / (UTF-8 decode + JSON.parse) of the same bytes: the target is at least 0.5. */
  ratioToJsonParse: number;
  ratioToJsonParseOnly: number;
}

const MAX_RECORD_BYTES = 10 * 1024 * 1024;

/**
 * The pure path the enricher runs per record, on one core: bytes → UTF-8 → JSON.parse → zod validation →
 * identity, source, operation and risk classification → JSON.stringify; against JSON.parse of the same bytes.
 */
export function benchCorePath({
  events,
  sizeRange,
  rounds,
  roundMs,
}: {
  events: number;
  sizeRange: { min: number; max: number };
  rounds: number;
  roundMs: number;
}) {
  const records = generateRecords(events, sizeRange);
  const texts = records.map((bytes) => Buffer.from(bytes).toString('utf8'));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sink = 0;

  const candidates = {
    jsonParseOnly: () => {
      for (const text of texts) sink += JSON.parse(text) === null ? 0 : 1;
      return texts.length;
    },
    utf8DecodeAndJsonParse: () => {
      for (const bytes of records) sink += JSON.parse(decoder.decode(bytes)) === null ? 0 : 1;
      return records.length;
    },
    corePath: () => {
      for (const bytes of records) {
        const decoded = decodeRecord(bytes, { maxRecordBytes: MAX_RECORD_BYTES });
        if (!decoded.ok) throw new Error(`bench data must decode: ${decoded.message}`);
        // The options as the enricher's record processor passes them: a literal per record.
        const event = enrich(decoded.record, {
          maxTextLength: DEFAULT_ENRICH_OPTIONS.maxTextLength,
          serializedLength: bytes.byteLength,
        });
        sink += serializeEvent(event, decoded.record, decoded.recordJson).length;
      }
      return records.length;
    },
  };
  const measured = compare(candidates, { rounds, roundMs });
  if (sink === 0) throw new Error('unreachable: keeps the work from being optimised away');

  const sizes = records.map((bytes) => bytes.byteLength).sort((a, b) => a - b);
  const at = (fraction: number) => sizes[Math.floor(sizes.length * fraction)] ?? 0;
  const perSecond = (name: keyof typeof candidates) => Math.round(measured[name]?.perSecond ?? 0);
  const result: CorePathResult = {
    events,
    sizeRange,
    bytes: {
      mean: Math.round(sizes.reduce((sum, size) => sum + size, 0) / sizes.length),
      p10: at(0.1),
      median: median(sizes),
      p90: at(0.9),
    },
    jsonParseOnlyPerSecond: perSecond('jsonParseOnly'),
    utf8DecodeAndJsonParsePerSecond: perSecond('utf8DecodeAndJsonParse'),
    corePathPerSecond: perSecond('corePath'),
    ratioToJsonParse: round(perSecond('corePath') / perSecond('utf8DecodeAndJsonParse')),
    ratioToJsonParseOnly: round(perSecond('corePath') / perSecond('jsonParseOnly')),
  };
  return result;
}

/** The generator's records whose size falls in the range, in the order it made them: the same set every run. */
function generateRecords(events: number, { min, max }: { min: number; max: number }): Uint8Array[] {
  const generator = createEventGenerator({
    seed: 42,
    malformedRatio: 0,
    now: () => new Date('2026-11-20T12:00:00Z'),
  });
  const records: Uint8Array[] = [];
  for (let made = 0; records.length < events; made++) {
    if (made > events * 100) throw new Error(`the generator rarely makes records of ${min}-${max} bytes`);
    const { data } = generator.next();
    if (data.byteLength >= min && data.byteLength <= max) records.push(data);
  }
  return records;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
