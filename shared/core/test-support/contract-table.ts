import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloudTrailRecordSchema } from '../src/cloudtrail/record.js';
import { type EnrichedEvent, EnrichedEventSchema } from '../src/contract/enriched-event.js';
import { enrich } from '../src/enrich.js';
import { loadFixture } from './load-fixture.js';

/**
 * Every contract field that enrichment derives, as a table row states it for one fixture. `eventTime`,
 * `eventSource`, `awsRegion` and `detail` are copied from the record and are left out.
 */
export type ExpectedContract = Pick<
  EnrichedEvent,
  | 'eventId'
  | 'eventName'
  | 'readOnly'
  | 'errorCode'
  | 'recipientAccountId'
  | 'identity'
  | 'source'
  | 'operation'
  | 'risk'
>;

export interface ContractRow {
  /** The fixture's path under fixtures/cloudtrail, without `.json`. */
  fixture: string;
  /** Changes the record before enrichment, for a text the file keeps short on purpose. */
  prepare?: (record: Record<string, unknown>) => Record<string, unknown>;
  expected: ExpectedContract;
}

export function loadCloudTrailFixture(fixture: string): { source: string; record: Record<string, unknown> } {
  return loadFixture(`cloudtrail/${fixture}.json`);
}

/** The fixtures of one folder under fixtures/cloudtrail, as `folder/name` without `.json`. */
export function listCloudTrailFixtures(folder: string): string[] {
  const directory = new URL(`../fixtures/cloudtrail/${folder}/`, import.meta.url);
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) => `${folder}/${file.slice(0, -'.json'.length)}`)
    .sort();
}

export function enrichRow(row: ContractRow): EnrichedEvent {
  const { record } = loadCloudTrailFixture(row.fixture);
  return enrich(CloudTrailRecordSchema.parse(row.prepare ? row.prepare(record) : record));
}

/** One group of tests per row: the schema, then each area of the contract, so a failure names its field. */
export function describeContractTable(rows: readonly ContractRow[]): void {
  describe.each(rows)('$fixture', (row) => {
    let enriched: EnrichedEvent | undefined;
    const event = (): EnrichedEvent => {
      enriched ??= enrichRow(row);
      return enriched;
    };
    const { expected } = row;

    it('names its source', () => {
      expect(loadCloudTrailFixture(row.fixture).source.length).toBeGreaterThan(40);
    });

    it('passes EnrichedEventSchema', () => {
      expect(EnrichedEventSchema.parse(event())).toEqual(event());
    });

    it('the call', () => {
      const { eventId, eventName, readOnly, errorCode, recipientAccountId } = event();
      expect({ eventId, eventName, readOnly, errorCode, recipientAccountId }).toEqual({
        eventId: expected.eventId,
        eventName: expected.eventName,
        readOnly: expected.readOnly,
        errorCode: expected.errorCode,
        recipientAccountId: expected.recipientAccountId,
      });
    });

    it('identity', () => {
      expect(event().identity).toEqual(expected.identity);
    });

    it('source', () => {
      expect(event().source).toEqual(expected.source);
    });

    it('operation', () => {
      expect(event().operation).toEqual(expected.operation);
    });

    it('risk', () => {
      expect(event().risk).toEqual(expected.risk);
    });
  });
}
