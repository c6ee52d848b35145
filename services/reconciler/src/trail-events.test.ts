import { createRuleDelivery, SARWATCH_DEPLOYMENT_DEFAULTS } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import { ReconcilerError } from './errors.js';
import type { TrailFile } from './s3/trail-bucket.js';
import { deliveredTrailEvents, type TrailReading } from './trail-events.js';

const deliver = createRuleDelivery({
  pattern: { source: ['aws.serverlessrepo'], detail: { eventSource: ['serverlessrepo.amazonaws.com'] } },
  state: 'ENABLED',
  partitionKeyPath: SARWATCH_DEPLOYMENT_DEFAULTS.partitionKeyPath,
});
const window = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') };

const record = (id: string, eventTime: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventVersion: '1.09',
    eventID: id,
    eventTime,
    eventName: 'CreateApplication',
    eventSource: 'serverlessrepo.amazonaws.com',
    awsRegion: 'us-east-1',
    eventType: 'AwsApiCall',
    readOnly: false,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', accountId: '111122223333' },
    ...overrides,
  });

const file = (name: string): TrailFile => ({
  key: `AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/01/111122223333_CloudTrail_us-east-1_${name}_abc.json.gz`,
  organizationId: null,
  account: '111122223333',
  region: 'us-east-1',
  day: '2026-12-01',
  size: 1,
});

/** A bucket whose files answer from memory, the slow first one last, to show the order holds anyway. */
function bucketOf(contents: Map<TrailFile, string[] | Error>) {
  return {
    async *files() {
      yield* contents.keys();
    },
    async *records(trailFile: TrailFile) {
      const body = contents.get(trailFile);
      if (trailFile === [...contents.keys()][0]) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const text of Array.isArray(body) ? body : []) yield text;
      if (body instanceof Error) throw body;
    },
  };
}

describe('deliveredTrailEvents', () => {
  it('keeps what the rule delivers within the window, in file order, and goes on past an unreadable file', async () => {
    const first = file('20261201T1000Z');
    const broken = file('20261201T1005Z');
    const last = file('20261201T1010Z');
    const tooLate = file('20261202T0200Z');
    const tooEarly = file('20261130T2350Z');
    const bucket = bucketOf(
      new Map<TrailFile, string[] | Error>([
        [tooEarly, [record('early', '2026-11-30T23:48:00Z')]],
        [
          first,
          [record('a', '2026-12-01T09:58:00Z'), record('read', '2026-12-01T09:59:00Z', { readOnly: true })],
        ],
        [
          broken,
          new ReconcilerError(
            'TRAIL_FILE_UNREADABLE',
            's3://b/broken: the gzip stream ends early (truncated file)',
          ),
        ],
        [
          last,
          [
            record('b', '2026-12-01T10:01:00Z'),
            record('before', '2026-11-30T23:59:59Z'),
            record('lambda', '2026-12-01T10:02:00Z', { eventSource: 'lambda.amazonaws.com' }),
            '{"eventID":"no-time"}',
          ],
        ],
        [tooLate, [record('late', '2026-12-01T23:59:00Z')]],
      ]),
    );
    const reading: TrailReading = { files: 0, records: 0, delivered: 0, unreadable: [] };
    const ids: string[] = [];
    for await (const event of deliveredTrailEvents(bucket, window, deliver, reading, 30 * 60_000))
      ids.push(event.id);
    expect(ids).toEqual(['a', 'b']);
    expect(reading).toEqual({
      files: 3,
      records: 6,
      delivered: 2,
      unreadable: [{ key: broken.key, reason: 's3://b/broken: the gzip stream ends early (truncated file)' }],
    });
  });

  it('wraps each record as EventBridge would, keyed by account, and says where it came from', async () => {
    const only = file('20261201T1000Z');
    const bucket = bucketOf(new Map([[only, [record('a', '2026-12-01T09:58:00Z')]]]));
    const reading: TrailReading = { files: 0, records: 0, delivered: 0, unreadable: [] };
    const events = [];
    for await (const event of deliveredTrailEvents(bucket, window, deliver, reading, 0)) events.push(event);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      id: 'a',
      account: '111122223333',
      partitionKey: '111122223333',
      location: `${only.key}#0`,
    });
    const envelope = JSON.parse(new TextDecoder().decode(event?.data));
    expect(envelope).toMatchObject({
      source: 'aws.serverlessrepo',
      'detail-type': 'AWS API Call via CloudTrail',
      time: '2026-12-01T09:58:00Z',
    });
    expect(envelope.detail).toEqual(JSON.parse(record('a', '2026-12-01T09:58:00Z')));
  });

  it('stops on a failure that is not about one file', async () => {
    const bucket = bucketOf(
      new Map([[file('20261201T1000Z'), new ReconcilerError('TRAIL_ACCESS_DENIED', 'access denied')]]),
    );
    const reading: TrailReading = { files: 0, records: 0, delivered: 0, unreadable: [] };
    const read = async () => {
      for await (const _ of deliveredTrailEvents(bucket, window, deliver, reading, 0));
    };
    await expect(read()).rejects.toThrow('access denied');
  });
});
