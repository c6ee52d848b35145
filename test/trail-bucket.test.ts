import { type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { CloudTrailRecord } from '@sarwatch/core';
import { type MotoServer, startMotoServer } from '@sarwatch/devstack';
import { type BrokenFileKind, type WrittenTrail, writeBrokenTrailFile, writeTrail } from '@sarwatch/feeder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReconcilerError } from '../services/reconciler/src/errors.js';
import { createS3Client } from '../services/reconciler/src/s3/s3-client.js';
import { TrailBucket, type TrailSelection } from '../services/reconciler/src/s3/trail-bucket.js';
import { TEST_PORTS } from './support/ports.js';

const MINUTE_MS = 60_000;
const BUCKET = 'sarwatch-trail';
const PREFIX = 'audit/trails';
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const ORGANIZATION_ACCOUNT = '777788889999';
const REGIONS = ['us-east-1', 'eu-west-1'];
// Late files arrive up to an hour after their 5-minute period, so up to 65 minutes after an event.
const LATE_DELIVERY_MS = 70 * MINUTE_MS;
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let s3: S3Client;
let trail: WrittenTrail;

beforeAll(async () => {
  moto = await startMotoServer(TEST_PORTS.motoS3);
  s3 = createS3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  trail = await writeTrail(s3, {
    bucket: BUCKET,
    prefix: PREFIX,
    seed: 7,
    from: new Date('2026-03-01T21:00:00Z'),
    to: new Date('2026-03-02T03:00:00Z'),
    records: 20_000,
    sarShare: 0.3,
    accounts: ACCOUNTS,
    regions: REGIONS,
    organizationId: ORGANIZATION_ID,
    organizationAccounts: [ORGANIZATION_ACCOUNT],
    lateFiles: 0.05,
  });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});

const selection = (from: string, to: string, narrower: Partial<TrailSelection> = {}): TrailSelection => ({
  bucket: BUCKET,
  prefix: PREFIX,
  from: new Date(from),
  to: new Date(to),
  lateDeliveryMs: LATE_DELIVERY_MS,
  ...narrower,
});

/** What backfill does: every record of every listed file, kept when its eventTime lies in the window. */
async function readWindow(bucket: TrailBucket, chosen: TrailSelection) {
  const keys: string[] = [];
  const eventIds: string[] = [];
  for await (const file of bucket.files()) {
    keys.push(file.key);
    for await (const text of bucket.records(file)) {
      const record = JSON.parse(text) as CloudTrailRecord;
      if (inWindow(record, chosen)) eventIds.push(record.eventID);
    }
  }
  return { keys, eventIds: eventIds.sort() };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const inWindow = (record: CloudTrailRecord, { from, to }: TrailSelection) => {
  const time = Date.parse(record.eventTime);
  return time >= from.getTime() && time < to.getTime();
};

const expectedIds = (chosen: TrailSelection, keep = (_: CloudTrailRecord) => true) =>
  trail.files
    .flatMap((file) => file.records)
    .filter((record) => inWindow(record, chosen) && keep(record))
    .map((record) => record.eventID)
    .sort();

/** A client whose requests pass `watch` first: to see what is listed, or to refuse as S3 would. */
function clientWith(watch: (command: string, input: { Prefix?: string }) => void): S3Client {
  const client = createS3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      watch(context.commandName ?? '', args.input as { Prefix?: string });
      return next(args);
    },
    { step: 'initialize', name: 'watch' },
  );
  return client;
}

describe('TrailBucket against moto S3', () => {
  it('reads exactly the window before midnight, from files delivered into the next day too', async () => {
    const chosen = selection('2026-03-01T22:00:00Z', '2026-03-01T23:58:00Z');
    const { keys, eventIds } = await readWindow(new TrailBucket(s3, chosen), chosen);
    expect(eventIds).toEqual(expectedIds(chosen));
    const nextDay = trail.files.filter(
      (file) => file.key.includes('/2026/03/02/') && file.records.some((record) => inWindow(record, chosen)),
    );
    expect(nextDay.length).toBeGreaterThan(0);
    expect(keys).toEqual(expect.arrayContaining(nextDay.map((file) => file.key)));
  });

  it('reads exactly a window across midnight, with late files and the organization trail', async () => {
    const chosen = selection('2026-03-01T23:30:00Z', '2026-03-02T01:30:00Z');
    const { keys, eventIds } = await readWindow(new TrailBucket(s3, chosen), chosen);
    expect(eventIds).toEqual(expectedIds(chosen));
    expect(keys.some((key) => key.includes(`/AWSLogs/${ORGANIZATION_ID}/${ORGANIZATION_ACCOUNT}/`))).toBe(
      true,
    );
    const late = trail.files.filter((file) => {
      const newest = Math.max(...file.records.map((record) => Date.parse(record.eventTime)));
      return (
        file.deliveredAt.getTime() - newest > 20 * MINUTE_MS && file.records.some((r) => inWindow(r, chosen))
      );
    });
    expect(late.length).toBeGreaterThan(0);
  });

  it('lists every log file once, in key order, and skips the digest file', async () => {
    const chosen = selection('2026-03-01T21:00:00Z', '2026-03-02T03:00:00Z');
    const files = await collect(new TrailBucket(s3, chosen).files());
    const keys = files.map((file) => file.key);
    expect(keys).toEqual(trail.files.map((file) => file.key).sort());
    expect(keys).not.toContain(trail.digestKey);
    expect(trail.digestKey).toContain('/CloudTrail-Digest/');
    expect(files.every((file) => file.size > 0)).toBe(true);
    const orgFile = files.find((file) => file.account === ORGANIZATION_ACCOUNT);
    expect(orgFile).toMatchObject({ organizationId: ORGANIZATION_ID });
  });

  it('lists only the folders of the selected accounts and regions', async () => {
    const listed: string[] = [];
    const watched = clientWith((command, input) => {
      if (command === 'ListObjectsV2Command') listed.push(input.Prefix ?? '');
    });
    const chosen = selection('2026-03-01T22:00:00Z', '2026-03-01T23:00:00Z', {
      accounts: new Set([ORGANIZATION_ACCOUNT]),
      regions: new Set(['eu-west-1']),
    });
    const { eventIds } = await readWindow(new TrailBucket(watched, chosen), chosen);
    watched.destroy();
    const keep = (record: CloudTrailRecord) =>
      record.recipientAccountId === ORGANIZATION_ACCOUNT && record.awsRegion === 'eu-west-1';
    expect(eventIds).toEqual(expectedIds(chosen, keep));
    expect(eventIds.length).toBeGreaterThan(0);
    const account = `audit/trails/AWSLogs/${ORGANIZATION_ID}/${ORGANIZATION_ACCOUNT}/CloudTrail/`;
    expect(listed).toEqual([
      'audit/trails/AWSLogs/',
      `audit/trails/AWSLogs/${ORGANIZATION_ID}/`,
      account,
      `${account}eu-west-1/2026/03/01/`,
      // The last events of the window may be delivered after midnight.
      `${account}eu-west-1/2026/03/02/`,
    ]);
  });
});

describe('TrailBucket refusals', () => {
  const brokenBucket = 'sarwatch-broken-trail';
  const folder = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/';
  const brokenKey = (index: number) =>
    `${folder}111122223333_CloudTrail_us-east-1_20260301T121${index}Z_Broken${index}AAAAAAAAAA.json.gz`;
  const kinds: [BrokenFileKind, RegExp][] = [
    ['not-gzip', /: not gzip data/],
    ['truncated', /: the gzip stream ends early \(truncated file\)$/],
    ['not-json', /: not JSON \(it starts with "<"\)$/],
    ['no-records', /: the JSON object has no "Records" array first$/],
    ['cut-off-record', /: record 4 \(line 1\): the input ends inside this value$/],
  ];

  it('names each broken file and its fault, and still reads the others', async () => {
    const good = await writeTrail(s3, {
      bucket: brokenBucket,
      prefix: '',
      seed: 11,
      from: new Date('2026-03-01T11:30:00Z'),
      to: new Date('2026-03-01T12:30:00Z'),
      records: 600,
      sarShare: 0.5,
      accounts: ['111122223333'],
      regions: ['us-east-1'],
    });
    const written = await Promise.all(
      kinds.map(
        async ([kind], index) => await writeBrokenTrailFile(s3, brokenBucket, brokenKey(index), kind),
      ),
    );
    const window = selection('2026-03-01T00:00:00Z', '2026-03-01T23:00:00Z');
    const bucket = new TrailBucket(s3, { ...window, bucket: brokenBucket, prefix: '' });
    const read = new Map<string, string[]>();
    const failures = new Map<string, unknown>();
    for await (const file of bucket.files()) {
      const ids: string[] = [];
      read.set(file.key, ids);
      try {
        for await (const text of bucket.records(file))
          ids.push((JSON.parse(text) as CloudTrailRecord).eventID);
      } catch (error) {
        failures.set(file.key, error);
      }
    }
    for (const [index, [kind, problem]] of kinds.entries()) {
      const key = brokenKey(index);
      const error = failures.get(key);
      expect(isReconcilerError(error, 'TRAIL_FILE_UNREADABLE'), kind).toBe(true);
      const message = (error as Error).message;
      expect(message.startsWith(`s3://${brokenBucket}/${key}: `), kind).toBe(true);
      expect(message, kind).toMatch(problem);
      expect(message).not.toContain('\n');
      // What came before the damage was yielded: a prefix of the file's records, all of them when only the last is cut.
      const before = read.get(key) ?? [];
      expect(
        written[index]?.slice(0, before.length).map((record) => record.eventID),
        kind,
      ).toEqual(before);
    }
    expect(read.get(brokenKey(4))).toEqual(written[4]?.map((record) => record.eventID));
    expect(failures.size).toBe(kinds.length);
    for (const file of good.files) expect(read.get(file.key)).toEqual(file.records.map((r) => r.eventID));
  });

  it('says when the bucket does not exist', async () => {
    const bucket = new TrailBucket(s3, {
      ...selection('2026-03-01T00:00Z', '2026-03-02T00:00Z'),
      bucket: 'no-such-trail',
    });
    await expect(collect(bucket.files())).rejects.toMatchObject({
      code: 'TRAIL_BUCKET_NOT_FOUND',
      message: 's3://no-such-trail: the bucket does not exist (NoSuchBucket)',
    });
  });

  // moto does not enforce IAM or KMS key policies: S3's refusals are injected where the SDK raises them.
  const KMS_REFUSAL =
    'User: arn:aws:sts::111122223333:assumed-role/reader/x is not authorized to perform: kms:Decrypt on resource: ' +
    'arn:aws:kms:us-east-1:111122223333:key/1234abcd because no identity-based policy allows the kms:Decrypt action';
  it.each([
    {
      refused: 'listing',
      command: 'ListObjectsV2Command',
      refusal: 'Access Denied',
      line: /^s3:\/\/sarwatch-trail\/audit\/trails\/AWSLogs\/: access denied: listing the trail needs s3:ListBucket on arn:aws:s3:::sarwatch-trail$/,
    },
    {
      refused: 'reading',
      command: 'GetObjectCommand',
      refusal: 'Access Denied',
      line: /^s3:\/\/sarwatch-trail\/audit\/.+\.json\.gz: access denied: reading the trail needs s3:GetObject on arn:aws:s3:::sarwatch-trail\/\*$/,
    },
    {
      refused: 'decrypting',
      command: 'GetObjectCommand',
      refusal: KMS_REFUSAL,
      line: /\.json\.gz: the files are encrypted with a KMS key: reading them needs kms:Decrypt on it \(AccessDenied: User: .+\)$/,
    },
  ])(
    'turns a refusal of $refused into one line naming the permission',
    async ({ command, refusal, line }) => {
      const client = clientWith((name) => {
        if (name !== command) return;
        const $metadata = { httpStatusCode: 403 };
        throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata, message: refusal });
      });
      const chosen = selection('2026-03-01T22:00:00Z', '2026-03-01T22:10:00Z');
      const error = await readWindow(new TrailBucket(client, chosen), chosen).catch(
        (thrown: unknown) => thrown,
      );
      client.destroy();
      expect(isReconcilerError(error, 'TRAIL_ACCESS_DENIED')).toBe(true);
      expect((error as Error).message).toMatch(line);
      expect((error as Error).cause).toBeInstanceOf(S3ServiceException);
    },
  );

  it('stops a download when the signal aborts, with the abort rather than a trail error', async () => {
    const chosen = selection('2026-03-01T22:00:00Z', '2026-03-01T22:10:00Z');
    const bucket = new TrailBucket(s3, chosen);
    const [file] = await collect(bucket.files());
    if (!file) throw new Error('the trail has no file in the window');
    const controller = new AbortController();
    const records = bucket.records(file, controller.signal);
    await records.next();
    controller.abort();
    const error = await collect(records).catch((thrown: unknown) => thrown);
    expect(isReconcilerError(error)).toBe(false);
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});
