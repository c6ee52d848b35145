import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_FOLDERS,
  type ContractFixture,
  EXPECTED_FIELDS,
  enrichFixture,
  listContractFixtures,
  loadContractFixture,
  recordToEnrich,
  valueAt,
} from '../../test-support/contract-fixtures.js';
import { type EnrichedEvent, EnrichedEventSchema, TruncatedTextSchema } from './enriched-event.js';

// Each file under fixtures/cloudtrail/{identity,sar,edge} states, beside its record, every contract field that
// enrichment derives from it (`expected`), and why where a value is not obvious (`why`). Every expected value is
// read off docs/events-v1.md (field tables, then the rule tables in order) and the fixture; none is copied from
// the code's output.

const fixturesOf = (folder: string): ContractFixture[] =>
  listContractFixtures(folder).map(loadContractFixture);
const fixtures = CONTRACT_FOLDERS.flatMap(fixturesOf);

/** One group of tests per fixture: the schema, then each area of the contract, so a failure names its field. */
describe.each(fixtures)('$name', (fixture) => {
  let enriched: EnrichedEvent | undefined;
  const event = (): EnrichedEvent => {
    enriched ??= enrichFixture(fixture);
    return enriched;
  };
  const { expected } = fixture;

  it('names its source', () => {
    expect(fixture.source.length).toBeGreaterThan(40);
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

/** Every file of the folder states each derived field, no other, and explains only values it states. */
function itStatesEveryField(folder: string): void {
  it('each state every contract field in `expected`', () => {
    const files = fixturesOf(folder);
    expect(files.length).toBeGreaterThan(0);
    for (const { name, expected, why } of files) {
      expect(Object.keys(expected ?? {}).sort(), name).toEqual([...EXPECTED_FIELDS].sort());
      for (const path of Object.keys(why ?? {})) {
        expect(valueAt(expected, path), `${name}: why.${path}`).not.toBeUndefined();
      }
    }
  });
}

describe('identity fixtures: one per userIdentity type', () => {
  it('cover every userIdentity type of the CloudTrail documentation', () => {
    const types = fixturesOf('identity').map(({ record }) => (record.userIdentity as { type?: string }).type);
    expect(new Set(types)).toEqual(
      new Set([
        'Root',
        'IAMUser',
        'AssumedRole',
        'Role',
        'FederatedUser',
        'Directory',
        'AWSAccount',
        'AWSService',
        'IdentityCenterUser',
        'SAMLUser',
        'WebIdentityUser',
        'Unknown',
      ]),
    );
  });

  itStatesEveryField('identity');
});

describe('SAR operation fixtures: one per SAR operation, four for PutApplicationPolicy', () => {
  it('cover every SAR API operation', () => {
    const records = fixturesOf('sar').map(({ record }) => record);
    expect(new Set(records.map((record) => record.eventSource))).toEqual(
      new Set(['serverlessrepo.amazonaws.com']),
    );
    expect(new Set(records.map((record) => record.eventName))).toEqual(
      new Set([
        'CreateApplication',
        'CreateApplicationVersion',
        'UpdateApplication',
        'PutApplicationPolicy',
        'UnshareApplication',
        'DeleteApplication',
        'GetApplication',
        'GetApplicationPolicy',
        'GetCloudFormationTemplate',
        'ListApplications',
        'ListApplicationVersions',
        'ListApplicationDependencies',
        'CreateCloudFormationChangeSet',
        'CreateCloudFormationTemplate',
      ]),
    );
  });

  it('cover the four kinds of application policy', () => {
    const visibilities = fixturesOf('sar')
      .filter(({ expected }) => expected.eventName === 'PutApplicationPolicy')
      .map(({ expected }) => expected.operation?.visibility);
    expect(new Set(visibilities)).toEqual(new Set(['public', 'organization', 'accounts', 'private']));
  });

  itStatesEveryField('sar');
});

describe('edge fixtures: one per edge case, the reason in its source', () => {
  itStatesEveryField('edge');

  it('replace a 40,000-character templateBody in detail by a TruncatedText, with the default limit', () => {
    // The file keeps the template's first lines; its `expand` makes them 40,000 characters, well over 16,384.
    const fixture = loadContractFixture('edge/large-template-body');
    const template = valueAt(recordToEnrich(fixture), 'requestParameters.templateBody') as string;
    expect(template).toHaveLength(40_000);
    const request = enrichFixture(fixture).detail.requestParameters as Record<string, unknown>;
    const truncated = TruncatedTextSchema.parse(request.templateBody);
    expect(truncated).toEqual({
      sarwatchTruncated: true,
      prefix: template.slice(0, 16_384),
      originalLength: 40_000,
      sha256: createHash('sha256').update(template, 'utf8').digest('hex'),
    });
    expect(truncated.prefix).toHaveLength(16_384);
    // the shorter texts around it stay as they are
    expect(request.sourceCodeUrl).toBe('https://github.com/example/etl-orchestrator');
    expect(request.semanticVersion).toBe('5.0.0');
  });
});
