import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CloudTrailRecord, isOrganizationId, normalizeTrailPrefix } from '@sarwatch/core';
import { createEventGenerator, type EventGenerator } from '../generate/generator.js';
import { createRng, type Rng } from '../generate/prng.js';

const gzip = promisify(gzipCallback);

export interface TrailSpec {
  bucket: string;
  prefix: string;
  seed: number;
  /** Event times are spread evenly over [from, to), in whole seconds as CloudTrail writes them. */
  from: Date;
  to: Date;
  records: number;
  /** Share of SAR records in [0, 1]; the others are the feeder's calls to other services. */
  sarShare: number;
  /**
   * The recipient accounts. Default: the feeder's six publishing accounts. Others take the place of the feeder's
   * ids throughout a record (identity, ARNs), so that a record stays consistent with its folder.
   */
  accounts?: readonly string[];
  regions: readonly string[];
  /** With `organizationAccounts`: those accounts' files go under `AWSLogs/<organizationId>/`. */
  organizationId?: string;
  organizationAccounts?: readonly string[];
  /** Share of files delivered 20-60 minutes after their period rather than 1-14. Default 0.05. */
  lateFiles?: number;
}

export interface TrailFileTruth {
  key: string;
  /** The time in the file's name: 1-14 minutes after the end of its 5-minute period, or 20-60 for a late file. */
  deliveredAt: Date;
  /** In file order. */
  records: CloudTrailRecord[];
}

export interface WrittenTrail {
  files: TrailFileTruth[];
  /** The digest file, which a reader of log files must skip. */
  digestKey: string;
}

export type BrokenFileKind = 'not-gzip' | 'truncated' | 'not-json' | 'no-records' | 'cut-off-record';

interface Entry {
  record: CloudTrailRecord;
  text: string;
}

interface FileGroup {
  account: string;
  region: string;
  period: number;
  entries: Entry[];
}

interface PlannedFile {
  key: string;
  deliveredAt: Date;
  group: FileGroup;
  /** Of the gzipped body, once written: what a digest file lists. */
  sha256: string;
}

const MINUTE_MS = 60_000;
const PERIOD_MS = 5 * MINUTE_MS;
const UPLOADS_IN_FLIGHT = 8;
// Readers cannot tell compression levels apart; the fastest leaves the CPU to generation and moto.
const FAST = { level: 1 };
const UNIQUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Writes a CloudTrail trail into a bucket the way CloudTrail does: one gzipped `{"Records":[…]}` file per account,
 * region and 5-minute period, delivered 1-14 minutes after the period (a date folder after midnight for the last
 * periods of a day, some files much later), records shuffled inside each file; plus one digest file. Returns
 * what it wrote, to compare a reader's output with.
 */
export async function writeTrail(s3: S3Client, spec: TrailSpec): Promise<WrittenTrail> {
  const { from, to, regions, organizationId, organizationAccounts = [] } = spec;
  if (!(from < to) || regions.length === 0 || !(spec.sarShare >= 0 && spec.sarShare <= 1)) {
    throw new RangeError('writeTrail needs from < to, a region, and sarShare in [0, 1]');
  }
  if (organizationAccounts.length > 0 && !isOrganizationId(organizationId ?? '')) {
    throw new RangeError(`organizationAccounts need an organizationId like o-exampleorgid1`);
  }
  const rng = createRng(spec.seed);
  const prefix = normalizeTrailPrefix(spec.prefix);
  const lateShare = spec.lateFiles ?? 0.05;
  const files: PlannedFile[] = [];
  const uploads = new Set<Promise<void>>();
  const upload = async (group: FileGroup) => {
    shuffle(rng, group.entries);
    const delayMinutes = rng.chance(lateShare) ? rng.int(20, 60) : rng.int(1, 14);
    const deliveredAt = new Date((group.period + 1) * PERIOD_MS + delayMinutes * MINUTE_MS);
    const organization = organizationAccounts.includes(group.account) ? `${organizationId}/` : '';
    const folder = `${prefix}AWSLogs/${organization}${group.account}/CloudTrail/${group.region}/`;
    const name = `${group.account}_CloudTrail_${group.region}_${stamp(deliveredAt)}_${rng.chars(UNIQUE_ALPHABET, 16)}`;
    const file = {
      key: `${folder}${dayFolder(deliveredAt)}/${name}.json.gz`,
      deliveredAt,
      group,
      sha256: '',
    };
    files.push(file);
    // A failed upload stays in the set, so that the next race, or the last wait, throws its error.
    while (uploads.size >= UPLOADS_IN_FLIGHT) await Promise.race(uploads);
    const put = putLogFile(s3, spec.bucket, file);
    uploads.add(put);
    put.then(() => uploads.delete(put)).catch(() => {});
  };
  await ensureBucket(s3, spec.bucket);
  const nextEntry = recordMaker(spec, rng);
  // In time order, so that each period's files are complete, and uploaded while the next period is generated.
  const seconds = Float64Array.from({ length: spec.records }, () =>
    rng.int(Math.ceil(from.getTime() / 1000), Math.ceil(to.getTime() / 1000) - 1),
  ).sort();
  let open = new Map<string, FileGroup>();
  for (const [index, second] of seconds.entries()) {
    const period = Math.floor((second * 1000) / PERIOD_MS);
    if ((open.values().next().value?.period ?? period) !== period) {
      for (const group of open.values()) await upload(group);
      open = new Map();
    }
    // Generation never waits for I/O on its own: this lets finished gzips and responses through.
    if (index % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    const entry = nextEntry(index, second);
    const groupKey = `${entry.account}/${entry.record.awsRegion}`;
    const entries = open.get(groupKey)?.entries ?? [];
    if (entries.length === 0)
      open.set(groupKey, { account: entry.account, region: entry.record.awsRegion, period, entries });
    entries.push(entry);
  }
  for (const group of open.values()) await upload(group);
  await Promise.all(uploads);
  const first = files[0];
  const covered = files.filter(
    ({ group }) => group.account === first?.group.account && group.region === first.group.region,
  );
  return {
    files: files.map(({ key, deliveredAt, group }) => ({
      key,
      deliveredAt,
      records: group.entries.map((entry) => entry.record),
    })),
    digestKey: first ? await writeDigest(s3, spec.bucket, covered) : '',
  };
}

async function putLogFile(s3: S3Client, bucket: string, file: PlannedFile) {
  const body = await gzip(`{"Records":[${file.group.entries.map((entry) => entry.text).join(',')}]}`, FAST);
  file.sha256 = createHash('sha256').update(body).digest('hex');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: body }));
}

/** A file that cannot be read as a log file; returns the records it holds in full (what precedes the damage). */
export async function writeBrokenTrailFile(
  s3: S3Client,
  bucket: string,
  key: string,
  kind: BrokenFileKind,
): Promise<CloudTrailRecord[]> {
  const now = new Date('2026-03-01T12:00:00Z');
  const generator = createEventGenerator({ seed: key.length, now: () => now, malformedRatio: 0 });
  const records = Array.from({ length: 3 }, () => nextRecord(generator));
  const texts = records.map((record) => JSON.stringify(record));
  const logFile = `{"Records":[${texts.join(',')}]}`;
  let body: Uint8Array;
  if (kind === 'not-gzip') body = Buffer.from(logFile);
  else if (kind === 'truncated')
    body = await gzip(logFile).then((full) => full.subarray(0, full.length >> 1));
  else if (kind === 'not-json') body = await gzip('<html><body>503 Service Unavailable</body></html>\n');
  else if (kind === 'no-records') body = await gzip(`{"records":[${texts.join(',')}]}`);
  else body = await gzip(`{"Records":[${texts.join(',')},${(texts[0] ?? '').slice(0, 80)}`);
  await ensureBucket(s3, bucket);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return kind === 'cut-off-record' || kind === 'truncated' ? records : [];
}

/** Makes the `index`th record of the trail, stamped `second`, in the account it is written for. */
function recordMaker(spec: TrailSpec, rng: Rng) {
  let now = spec.from;
  const generators = spec.regions.map((region, index) => {
    const options = { region, now: () => now, malformedRatio: 0 };
    return {
      sar: createEventGenerator({ ...options, seed: spec.seed + 2 * index + 1, otherServiceRatio: 0 }),
      other: createEventGenerator({ ...options, seed: spec.seed + 2 * index + 2, otherServiceRatio: 1 }),
    };
  });
  const accountOf = recipientMapping(spec.accounts);
  return (index: number, second: number): Entry & { account: string } => {
    // Spreads the SAR records evenly through the run, so that their count is exact.
    const isSar = Math.floor((index + 1) * spec.sarShare) > Math.floor(index * spec.sarShare);
    const source = rng.pick(generators);
    now = new Date(second * 1000);
    let record = nextRecord(isSar ? source.sar : source.other);
    let text = JSON.stringify(record);
    const generatedAccount = record.recipientAccountId ?? '';
    const account = accountOf(generatedAccount);
    if (account !== generatedAccount) {
      text = text.replaceAll(generatedAccount, account);
      record = JSON.parse(text) as CloudTrailRecord;
    }
    return { record, text, account };
  };
}

/** The feeder's accounts in the order they first appear, each taken over by one of `accounts` in turn. */
function recipientMapping(accounts: readonly string[] | undefined): (generated: string) => string {
  if (!accounts) return (generated) => generated;
  if (accounts.length === 0) throw new RangeError('accounts must not be empty');
  const mapping = new Map<string, string>();
  return (generated) => {
    let account = mapping.get(generated);
    if (account === undefined) {
      account = accounts.includes(generated)
        ? generated
        : (accounts[mapping.size % accounts.length] as string);
      mapping.set(generated, account);
    }
    return account;
  };
}

function nextRecord(generator: EventGenerator): CloudTrailRecord {
  const generated = generator.next();
  if (generated.kind !== 'event') throw new Error('the feeder made a malformed record with malformedRatio 0');
  return generated.record;
}

/** A digest file (log file integrity validation) over the files of one account and region. */
async function writeDigest(s3: S3Client, bucket: string, files: readonly PlannedFile[]): Promise<string> {
  const { key: lastKey, group } = files.at(-1) as PlannedFile;
  const folder = lastKey.slice(0, lastKey.lastIndexOf('/CloudTrail/') + 1);
  const end = new Date((group.period + 1) * PERIOD_MS + 15 * MINUTE_MS);
  const name = `${group.account}_CloudTrail-Digest_${group.region}_management-events_${group.region}_${stamp(end).slice(0, -1)}00Z`;
  const key = `${folder}CloudTrail-Digest/${group.region}/${dayFolder(end)}/${name}.json.gz`;
  const logFiles = files.map((file) => ({ s3Bucket: bucket, s3Object: file.key, hashValue: file.sha256 }));
  const digest = { awsAccountId: group.account, digestS3Bucket: bucket, digestS3Object: key, logFiles };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await gzip(JSON.stringify(digest)) }));
  return key;
}

async function ensureBucket(s3: S3Client, bucket: string) {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'BucketAlreadyOwnedByYou')) throw error;
  }
}

function shuffle<T>(rng: Rng, items: T[]) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** `yyyymmddThhmmZ`, the delivery time in a log file's name. */
const stamp = (date: Date) => date.toISOString().slice(0, 16).replace(/[-:]/g, '').concat('Z');

const dayFolder = (date: Date) => date.toISOString().slice(0, 10).replaceAll('-', '/');
