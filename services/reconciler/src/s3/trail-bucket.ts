import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  isAccountId,
  isOrganizationId,
  isRegionName,
  JsonValueSplitter,
  normalizeTrailPrefix,
  parseTrailKey,
  type SplitValue,
  type TrailFileKey,
  trailAccountFolder,
  trailDays,
  trailLogsFolder,
} from '@sarwatch/core';
import { ReconcilerError, s3Failure } from '../errors.js';

export type TrailFile = TrailFileKey & { size: number };

export interface TrailSelection {
  bucket: string;
  /** The trail's S3 key prefix, in any form `normalizeTrailPrefix` accepts. */
  prefix: string;
  /** The window of event times, `to` excluded. */
  from: Date;
  to: Date;
  /** Only these accounts (all when absent). */
  accounts?: ReadonlySet<string>;
  /** Only these regions (all when absent). */
  regions?: ReadonlySet<string>;
  /** How long after an event its file may be delivered: later days' folders are listed for that long. */
  lateDeliveryMs: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A CloudTrail trail's log files in S3 for a window of time. Folders are discovered level by level with a `/`
 * delimiter (organizations, accounts, regions), so a selection keeps whole accounts and regions from being
 * listed, and only the date folders that can hold the window's files are listed in full.
 */
export class TrailBucket {
  private readonly prefix: string;
  private readonly days: readonly string[];

  constructor(
    private readonly s3: S3Client,
    private readonly selection: TrailSelection,
  ) {
    this.prefix = normalizeTrailPrefix(selection.prefix);
    this.days = trailDays(selection.from, selection.to, selection.lateDeliveryMs);
  }

  /** The window's log files, in key order; digest, Insights and other objects are skipped. */
  async *files(signal?: AbortSignal): AsyncGenerator<TrailFile> {
    signal?.throwIfAborted();
    if (this.days.length === 0) return;
    const logsFolder = trailLogsFolder(this.prefix);
    // S3 lists in key order, so walking each level in the order it is listed keeps the files in key order.
    for (const name of await this.subfolders(logsFolder, signal)) {
      if (isAccountId(name)) {
        yield* this.accountFiles(null, name, signal);
      } else if (isOrganizationId(name)) {
        for (const account of await this.subfolders(`${logsFolder}${name}/`, signal)) {
          if (isAccountId(account)) yield* this.accountFiles(name, account, signal);
        }
      }
    }
  }

  /**
   * The JSON text of each record of a file, in file order, read as it downloads: only the record being read is
   * held. A file that is not a complete gzipped log file throws TRAIL_FILE_UNREADABLE after the records before
   * the damage.
   */
  async *records(file: TrailFile, signal?: AbortSignal): AsyncGenerator<string> {
    const location = `s3://${this.selection.bucket}/${file.key}`;
    const body = await this.download(file.key, signal);
    let downloadError: unknown = null;
    body.once('error', (error) => {
      downloadError = error;
    });
    const gunzip = createGunzip();
    // Either stream's error ends the loop below; leaving the loop early destroys both and frees the socket.
    pipeline(body, gunzip, () => {});
    const reader = new LogFileReader(location);
    try {
      for await (const chunk of gunzip) {
        // The body may be fully buffered already, so its destruction on abort does not always end this loop.
        signal?.throwIfAborted();
        yield* reader.texts(reader.push(chunk as Buffer));
      }
      signal?.throwIfAborted();
      yield* reader.end();
    } catch (error) {
      if (error instanceof ReconcilerError || signal?.aborted) throw error;
      if (downloadError !== null) throw s3Failure(downloadError, this.selection.bucket, location, 'read');
      throw new ReconcilerError('TRAIL_FILE_UNREADABLE', `${location}: ${gzipProblem(error)}`, {
        cause: error,
      });
    }
  }

  private async *accountFiles(organizationId: string | null, account: string, signal?: AbortSignal) {
    const { accounts, regions } = this.selection;
    if (accounts && !accounts.has(account)) return;
    const accountFolder = trailAccountFolder(this.prefix, organizationId, account);
    for (const region of await this.subfolders(accountFolder, signal)) {
      if (!isRegionName(region) || (regions && !regions.has(region))) continue;
      for (const day of this.days) {
        for await (const page of this.pages(`${accountFolder}${region}/${day}/`, signal)) {
          for (const object of page.Contents ?? []) {
            const parsed = object.Key === undefined ? null : parseTrailKey(object.Key, this.prefix);
            if (parsed) yield { ...parsed, size: object.Size ?? 0 };
          }
        }
      }
    }
  }

  /** The names of the folders directly under `folder`. */
  private async subfolders(folder: string, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    for await (const page of this.pages(folder, signal)) {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        if (Prefix?.startsWith(folder)) names.push(Prefix.slice(folder.length, -1));
      }
    }
    return names;
  }

  private async *pages(folder: string, signal?: AbortSignal): AsyncGenerator<ListObjectsV2CommandOutput> {
    const { bucket } = this.selection;
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: folder,
        Delimiter: '/',
        ContinuationToken: token,
      });
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.s3.send(command, { abortSignal: signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw s3Failure(error, bucket, `s3://${bucket}/${folder}`, 'list');
      }
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async download(key: string, signal?: AbortSignal): Promise<Readable> {
    const { bucket } = this.selection;
    const location = `s3://${bucket}/${key}`;
    let body: unknown;
    try {
      body = (await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }))
        .Body;
    } catch (error) {
      if (signal?.aborted) throw error;
      throw s3Failure(error, bucket, location, 'read');
    }
    if (!(body instanceof Readable)) {
      throw new ReconcilerError('S3_REQUEST_FAILED', `${location}: S3 returned no readable body`);
    }
    if (signal) {
      const abort = () => body.destroy(signal.reason);
      signal.addEventListener('abort', abort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', abort));
    }
    return body;
  }
}

/**
 * Splits a decompressed log file with the shared splitter and refuses, in one line naming the file, what a
 * CloudTrail log file never is: another JSON shape, a record cut short, an object left open.
 */
class LogFileReader {
  private readonly splitter = new JsonValueSplitter();
  private firstByte = -1;
  private lastByte = -1;

  constructor(private readonly location: string) {}

  push(chunk: Uint8Array): SplitValue[] {
    this.track(chunk);
    return this.checked(this.splitter.push(chunk));
  }

  /** The records the end of the file completes; then what a complete log file has that this one may lack. */
  *end(): Generator<string> {
    yield* this.texts(this.checked(this.splitter.end()));
    if (this.splitter.mode === null) throw this.unreadable('the file holds no JSON (empty after gunzip)');
    // The splitter stops at the Records array; an object never closed after it is a file cut short there.
    if (this.lastByte !== CLOSE_BRACE) throw this.unreadable('the JSON ends before its closing } (cut off)');
  }

  /** Yields the values' texts up to the first broken one, then throws. */
  *texts(values: readonly SplitValue[]): Generator<string> {
    for (const value of values) {
      const where = `record ${value.index} (line ${value.line})`;
      if (value.fault) throw this.unreadable(`${where}: ${value.fault.message}`);
      try {
        yield utf8.decode(value.bytes);
      } catch (error) {
        throw this.unreadable(`${where} is not valid UTF-8`, error);
      }
    }
  }

  private checked(values: SplitValue[]): SplitValue[] {
    const mode = this.splitter.mode;
    if (mode === null || mode === 'records') return values;
    if (this.firstByte === OPEN_BRACE) throw this.unreadable('the JSON object has no "Records" array first');
    if (this.firstByte === OPEN_BRACKET)
      throw this.unreadable('a JSON array, not a {"Records":[…]} log file');
    throw this.unreadable(`not JSON (it starts with ${JSON.stringify(String.fromCharCode(this.firstByte))})`);
  }

  private track(chunk: Uint8Array) {
    for (let i = chunk.length - 1; i >= 0; i--) {
      const byte = chunk[i] as number;
      if (byte > 0x20) {
        this.lastByte = byte;
        break;
      }
    }
    if (this.firstByte === -1) this.firstByte = chunk.find((byte) => byte > 0x20) ?? -1;
  }

  private unreadable(why: string, cause?: unknown) {
    return new ReconcilerError('TRAIL_FILE_UNREADABLE', `${this.location}: ${why}`, { cause });
  }
}

function gzipProblem(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'Z_BUF_ERROR') return 'the gzip stream ends early (truncated file)';
  if (message === 'incorrect header check') return 'not gzip data (the object is not compressed with gzip)';
  if (message === 'incorrect data check') return 'the gzip checksum does not match (corrupt file)';
  return `the gzip data is corrupt (${String(message ?? error)})`;
}
