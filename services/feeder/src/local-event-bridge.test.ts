import { readFileSync } from 'node:fs';
import { decodeRecord, type EventBridgeEnvelope, SAR_EVENT_SOURCE } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import { createEventGenerator, type GeneratedRecord } from './generate/index.js';
import { LocalEventBridge } from './local-event-bridge.js';

const PATTERN = readFileSync(
  new URL('../../../infra/eventbridge/sar-cloudtrail-pattern.json', import.meta.url),
  'utf8',
);
const NOW = () => new Date('2026-11-20T09:00:00Z');

function generated(count: number): GeneratedRecord[] {
  const generator = createEventGenerator({
    seed: 77,
    malformedRatio: 0.02,
    otherServiceRatio: 0.1,
    now: NOW,
  });
  return Array.from({ length: count }, () => generator.next());
}

function routeAll(bus: LocalEventBridge, records: readonly GeneratedRecord[]) {
  return records.map((record) => ({ record, routed: bus.route(record) }));
}

describe('LocalEventBridge with the sarwatch rule', () => {
  const records = generated(4_000);
  const detailOf = (envelope: EventBridgeEnvelope) =>
    envelope.detail as { eventSource: string; readOnly: boolean };

  it('under a write-only rule, lets through SAR write calls only, keyed by account', () => {
    const bus = new LocalEventBridge({ pattern: PATTERN, state: 'ENABLED', partitionKeyPath: '$.account' });
    let delivered = 0;
    for (const { record, routed } of routeAll(bus, records)) {
      if (record.kind === 'malformed') {
        expect(routed).toBe(record);
        continue;
      }
      const detail = detailOf(record.envelope);
      const shouldPass = detail.eventSource === SAR_EVENT_SOURCE && !detail.readOnly;
      expect(routed !== null, `${detail.eventSource} readOnly=${detail.readOnly}`).toBe(shouldPass);
      if (routed === null) continue;
      delivered += 1;
      expect(routed.partitionKey).toBe(record.envelope.account);
      expect(routed.data).toBe(record.data);
      expect(decodeRecord(routed.data, { maxRecordBytes: 1_048_576 }).ok).toBe(true);
    }
    const { counts } = bus;
    expect(counts.delivered).toBe(delivered);
    // The generated mix has all three kinds in it, or this test proves nothing.
    expect(counts['pattern-not-matched']).toBeGreaterThan(100);
    expect(counts['read-only-under-write-only-rule']).toBeGreaterThan(500);
    expect(counts.injected).toBeGreaterThan(20);
    expect(
      counts.delivered +
        counts.injected +
        counts['pattern-not-matched'] +
        counts['read-only-under-write-only-rule'],
    ).toBe(records.length);
  });

  it('with all management events, lets read-only SAR calls through too but still no other service', () => {
    const bus = new LocalEventBridge({
      pattern: PATTERN,
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      partitionKeyPath: '$.account',
    });
    const events = routeAll(bus, records).filter(({ record }) => record.kind === 'event');
    for (const { record, routed } of events) {
      if (record.kind !== 'event') continue;
      expect(routed !== null).toBe(detailOf(record.envelope).eventSource === SAR_EVENT_SOURCE);
    }
    expect(bus.counts['read-only-under-write-only-rule']).toBe(0);
  });

  it('delivers nothing from a disabled rule, and still injects malformed records', () => {
    const bus = new LocalEventBridge({ pattern: PATTERN, state: 'DISABLED' });
    const routed = routeAll(bus, records).filter(({ routed }) => routed !== null);
    expect(routed.every(({ record }) => record.kind === 'malformed')).toBe(true);
    expect(bus.counts.delivered).toBe(0);
  });
});
