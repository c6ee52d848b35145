/**
 * Where CloudTrail writes a trail's log files in S3 (CloudTrail User Guide, "Finding your CloudTrail log files"):
 *
 *   [prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/
 *     <account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<unique>.json.gz
 *
 * The organization id segment exists only for organization trails. Digest files (`CloudTrail-Digest/`), Insights
 * events (`CloudTrail-Insight/`) and anything else in the bucket are not log files of API calls.
 */

export interface TrailFileKey {
  key: string;
  /** `o-…` for an organization trail, else null. */
  organizationId: string | null;
  account: string;
  region: string;
  /** The date folder, YYYY-MM-DD: the day the file was delivered, which can be a day after its events. */
  day: string;
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

// Relative to `[prefix/]AWSLogs/`. The file name repeats the account and region of its folders; a name that
// disagrees with them was not written there by CloudTrail.
const LOG_FILE_PATH =
  /^(?:(?<organizationId>o-[a-z0-9]{10,32})\/)?(?<account>\d{12})\/CloudTrail\/(?<region>[a-z0-9-]+)\/(?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2})\/\k<account>_CloudTrail_\k<region>_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json\.gz$/;

const DAY_MS = 86_400_000;

export const isOrganizationId = (segment: string): boolean => ORGANIZATION_ID.test(segment);
export const isAccountId = (segment: string): boolean => ACCOUNT_ID.test(segment);
export const isRegionName = (segment: string): boolean => REGION.test(segment);

/** `""`, `"a"`, `"a/"`, `"/a/b/"` → `""`, `"a/"`, `"a/"`, `"a/b/"`: the form keys start with. */
export function normalizeTrailPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** `[prefix/]AWSLogs/`, under which CloudTrail writes every account's and organization's folders. */
export const trailLogsFolder = (prefix: string): string => `${normalizeTrailPrefix(prefix)}AWSLogs/`;

/** `[prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/`, whose sub-folders are the account's regions. */
export const trailAccountFolder = (prefix: string, organizationId: string | null, account: string): string =>
  `${trailLogsFolder(prefix)}${organizationId === null ? '' : `${organizationId}/`}${account}/CloudTrail/`;

/** The log file a key names, or null for digest files, Insights files and any other object. */
export function parseTrailKey(key: string, prefix: string): TrailFileKey | null {
  const root = trailLogsFolder(prefix);
  if (!key.startsWith(root)) return null;
  const groups = LOG_FILE_PATH.exec(key.slice(root.length))?.groups;
  if (!groups) return null;
  const { organizationId, account, region, year, month, day } = groups;
  if (!account || !region || !year || !month || !day) return null;
  if (!isRegionName(region) || !isCalendarDay(Number(year), Number(month), Number(day))) return null;
  return { key, organizationId: organizationId ?? null, account, region, day: `${year}-${month}-${day}` };
}

/**
 * The `yyyy/mm/dd` folders that hold every file with an event in [from, to): a file lands in the folder of its
 * delivery day, so the days run from that of `from` to that of the latest delivery, `lateDeliveryMs` after the
 * window's last instant. Empty for an empty window.
 */
export function trailDays(from: Date, to: Date, lateDeliveryMs: number): string[] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('trailDays needs valid dates');
  if (!(lateDeliveryMs >= 0 && Number.isFinite(lateDeliveryMs))) {
    throw new RangeError(`lateDeliveryMs must be a finite number >= 0, got ${lateDeliveryMs}`);
  }
  if (toMs <= fromMs) return [];
  // `to` is excluded: the last event is just before it, so a window ending at midnight adds no empty day.
  const lastDay = startOfDay(toMs - 1 + lateDeliveryMs);
  const days: string[] = [];
  for (let day = startOfDay(fromMs); day <= lastDay; day += DAY_MS) {
    days.push(new Date(day).toISOString().slice(0, 10).replaceAll('-', '/'));
  }
  return days;
}

const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
