import { S3Client } from '@aws-sdk/client-s3';
import { type MotoServer, startMotoServer } from '@sarwatch/devstack';
import { writeTrail } from '@sarwatch/feeder';

/** moto's port for the bench: apart from the tests' (15099-15399), so a bench and a test run can share the machine. */
const MOTO_PORT = 25_099;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET = 'sarwatch-bench-trail';
const PREFIX = 'audit';
const REGIONS = ['us-east-1', 'eu-west-1'];
/** One of the feeder's accounts delivers through an organization trail, so both folder layouts are read. */
const ORGANIZATION = { organizationId: 'o-a1b2c3d4e5', organizationAccounts: ['444455556666'] };
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SAR_EVENT_SOURCE = 'serverlessrepo.amazonaws.com';

export interface TrailWindow {
  from: Date;
  to: Date;
}

export interface WrittenTrailFigures {
  records: number;
  sarRecords: number;
  files: number;
  regions: number;
  writeSeconds: number;
}

/**
 * The last whole UTC day that ended at least 3 hours ago: settled past the trail writer's latest files (65 minutes),
 * and one day slice for the reader.
 */
export function lastSettledDay(now = Date.now()): TrailWindow {
  const to = Math.floor((now - 3 * HOUR_MS) / DAY_MS) * DAY_MS;
  return { from: new Date(to - DAY_MS), to: new Date(to) };
}

/** A trail bucket in moto's S3, on this machine: started here, written once, stopped after. */
export class BenchTrailBucket {
  readonly bucket = BUCKET;
  readonly prefix = PREFIX;

  private constructor(
    private readonly moto: MotoServer,
    private readonly s3: S3Client,
  ) {}

  static async start(): Promise<BenchTrailBucket> {
    const moto = await startMotoServer(MOTO_PORT);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    return new BenchTrailBucket(moto, s3);
  }

  /** CloudTrail's layout for the feeder's six accounts in two regions, 5% of the records SAR calls. */
  async write(records: number, window: TrailWindow): Promise<WrittenTrailFigures> {
    const started = performance.now();
    const written = await writeTrail(this.s3, {
      bucket: BUCKET,
      prefix: PREFIX,
      seed: 41,
      ...window,
      records,
      sarShare: 0.05,
      regions: REGIONS,
      ...ORGANIZATION,
    });
    const writeSeconds = (performance.now() - started) / 1000;
    const all = written.files.flatMap((file) => file.records);
    return {
      records: all.length,
      sarRecords: all.filter((record) => record.eventSource === SAR_EVENT_SOURCE).length,
      files: written.files.length,
      regions: REGIONS.length,
      writeSeconds,
    };
  }

  /** What `sarwatch backfill` and `reconcile` need to read the bucket, as an operator would set it. */
  env(): Record<string, string> {
    return {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: this.moto.endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    };
  }

  async stop(): Promise<void> {
    this.s3.destroy();
    await this.moto.stop();
  }
}
