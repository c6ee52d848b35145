import { readdirSync } from 'node:fs';
import { CloudTrailRecordSchema } from '../src/cloudtrail/record.js';
import type { EnrichedEvent } from '../src/contract/enriched-event.js';
import { enrich } from '../src/enrich.js';
import { loadFixture } from './load-fixture.js';

/** The folders under fixtures/cloudtrail whose files state the contract fields their record enriches to. */
export const CONTRACT_FOLDERS = ['identity', 'sar', 'edge'] as const;

/**
 * Every contract field that enrichment derives. `eventTime`, `eventSource`, `awsRegion` and `detail` are copied
 * from the record and are left out.
 */
export const EXPECTED_FIELDS = [
  'eventId',
  'eventName',
  'readOnly',
  'errorCode',
  'recipientAccountId',
  'identity',
  'source',
  'operation',
  'risk',
] as const;

export type ExpectedContract = Pick<EnrichedEvent, (typeof EXPECTED_FIELDS)[number]>;

/** Makes a text of the record long before enrichment, so that the file can keep only its first lines. */
export interface Expansion {
  /** Dotted path of the text in the record. */
  path: string;
  /** The length the text is cut to once long enough. */
  length: number;
  /** What is appended, again and again, with `{i}` replaced by 0, 1, 2, ... */
  append: string;
}

/** One file of a contract folder, as stored, with the name it is listed under. */
export interface ContractFixture {
  /** The path under fixtures/cloudtrail, without `.json`. */
  name: string;
  source: string;
  record: Record<string, unknown>;
  expand?: Expansion;
  expected: ExpectedContract;
  /** Why a non-obvious expected value is what it is, keyed by its dotted path under `expected`. */
  why?: Record<string, string>;
}

/** The fixtures of one folder under fixtures/cloudtrail, as `folder/name` without `.json`, sorted. */
export function listContractFixtures(folder: string): string[] {
  return readdirSync(new URL(`../fixtures/cloudtrail/${folder}/`, import.meta.url))
    .filter((file) => file.endsWith('.json'))
    .map((file) => `${folder}/${file.slice(0, -'.json'.length)}`)
    .sort();
}

export function loadContractFixture(name: string): ContractFixture {
  return { name, ...(loadFixture(`cloudtrail/${name}.json`) as Omit<ContractFixture, 'name'>) };
}

/** What stands at a dotted path (the root itself for ''), or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
      root,
    );
}

export function expandText(head: string, { length, append }: Expansion): string {
  let text = head;
  for (let i = 0; text.length < length; i++) {
    text += append.replaceAll('{i}', String(i));
  }
  return text.slice(0, length);
}

/** The record to enrich: the fixture's own, or a copy with the text `expand` names made long. */
export function recordToEnrich({ record, expand }: ContractFixture): Record<string, unknown> {
  if (!expand) return record;
  const copy = structuredClone(record);
  const keys = expand.path.split('.');
  const last = keys.pop() ?? '';
  const parent = valueAt(copy, keys.join('.')) as Record<string, unknown>;
  const head = parent[last];
  if (typeof head !== 'string') throw new Error(`expand.path ${expand.path} does not name a text`);
  parent[last] = expandText(head, expand);
  return copy;
}

/** Enriches the fixture's record as the service does, with the default options. */
export function enrichFixture(fixture: ContractFixture): EnrichedEvent {
  return enrich(CloudTrailRecordSchema.parse(recordToEnrich(fixture)));
}
