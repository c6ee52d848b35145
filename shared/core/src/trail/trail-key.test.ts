import { describe, expect, it } from 'vitest';
import {
  isAccountId,
  isOrganizationId,
  isRegionName,
  normalizeTrailPrefix,
  parseTrailKey,
  trailAccountFolder,
  trailDays,
  trailLogsFolder,
} from './trail-key.js';

const FILE = '111122223333_CloudTrail_us-east-1_20260301T2355Z_DqbFMEvEOeKs8CPS.json.gz';
const MINUTE_MS = 60_000;

describe('normalizeTrailPrefix', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['a', 'a/'],
    ['a/', 'a/'],
    ['/a/b/', 'a/b/'],
    ['audit/trails', 'audit/trails/'],
  ])('%j becomes %j', (prefix, normalized) => {
    expect(normalizeTrailPrefix(prefix)).toBe(normalized);
  });

  it('builds the folders listed to discover organizations, accounts and regions', () => {
    expect(trailLogsFolder('/audit/')).toBe('audit/AWSLogs/');
    expect(trailAccountFolder('', null, '111122223333')).toBe('AWSLogs/111122223333/CloudTrail/');
    expect(trailAccountFolder('a/b', 'o-abcdef1234', '111122223333')).toBe(
      'a/b/AWSLogs/o-abcdef1234/111122223333/CloudTrail/',
    );
  });
});

describe('parseTrailKey', () => {
  it('reads a log file of a trail without prefix', () => {
    const key = `AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/${FILE}`;
    expect(parseTrailKey(key, '')).toEqual({
      key,
      organizationId: null,
      account: '111122223333',
      region: 'us-east-1',
      day: '2026-03-01',
    });
  });

  it('reads the organization id of an organization trail', () => {
    const key = `AWSLogs/o-exampleorgid1/111122223333/CloudTrail/us-east-1/2026/03/02/${FILE}`;
    expect(parseTrailKey(key, '')).toMatchObject({
      organizationId: 'o-exampleorgid1',
      account: '111122223333',
      day: '2026-03-02',
    });
  });

  it('reads keys under a prefix of several segments, however the prefix is written', () => {
    const key = `audit/trails/AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/${FILE}`;
    for (const prefix of ['audit/trails', 'audit/trails/', '/audit/trails/']) {
      expect(parseTrailKey(key, prefix)?.account).toBe('111122223333');
    }
    expect(parseTrailKey(key, 'audit')).toBeNull();
    expect(parseTrailKey(key, '')).toBeNull();
  });

  it('ignores digest files, Insights files and other objects', () => {
    const keys = [
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/01/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260301T000000Z.json.gz',
      'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/03/01/111122223333_CloudTrail-Insight_us-east-1_20260301T0000Z_abcdefABCDEF1234.json.gz',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/notes.txt',
      `AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/${FILE.replace('.json.gz', '.json')}`,
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/444455556666_CloudTrail_us-east-1_20260301T2355Z_abc.json.gz',
      'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/01/111122223333_CloudTrail_us-east-1_20260301T2355Z_abc.json.gz',
      `AWSLogs/111122223333/CloudTrail/us-east-1/2026/02/30/${FILE}`,
      `AWSLogs/o-short/111122223333/CloudTrail/us-east-1/2026/03/01/${FILE}`,
      `AWSLogs/1111222233/CloudTrail/us-east-1/2026/03/01/${FILE}`,
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/nested/file.json.gz',
    ];
    for (const key of keys) expect(parseTrailKey(key, ''), key).toBeNull();
  });
});

describe('trailDays', () => {
  const at = (iso: string) => new Date(iso);

  it('lists the day of the window when its files arrive the same day', () => {
    expect(trailDays(at('2026-03-01T10:00:00Z'), at('2026-03-01T11:00:00Z'), 15 * MINUTE_MS)).toEqual([
      '2026/03/01',
    ]);
  });

  it('adds the next day when files for events just before midnight arrive after it', () => {
    expect(trailDays(at('2026-03-01T23:00:00Z'), at('2026-03-01T23:55:00Z'), 15 * MINUTE_MS)).toEqual([
      '2026/03/01',
      '2026/03/02',
    ]);
  });

  it('lists every day of a window across midnight and month ends', () => {
    expect(trailDays(at('2026-02-27T12:00:00Z'), at('2026-03-02T00:30:00Z'), 0)).toEqual([
      '2026/02/27',
      '2026/02/28',
      '2026/03/01',
      '2026/03/02',
    ]);
  });

  it('needs no next day for a window ending at midnight without late delivery', () => {
    expect(trailDays(at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'), 0)).toEqual(['2026/03/01']);
    expect(trailDays(at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'), 1)).toEqual([
      '2026/03/01',
      '2026/03/02',
    ]);
  });

  it('is empty for an empty window and refuses invalid input', () => {
    expect(trailDays(at('2026-03-01T10:00:00Z'), at('2026-03-01T10:00:00Z'), MINUTE_MS)).toEqual([]);
    expect(() => trailDays(at('nope'), at('2026-03-01T10:00:00Z'), 0)).toThrow(RangeError);
    expect(() => trailDays(at('2026-03-01T10:00:00Z'), at('2026-03-02T10:00:00Z'), -1)).toThrow(RangeError);
  });
});

describe('folder names', () => {
  it('tells organization ids, account ids and regions from other folders', () => {
    expect(isOrganizationId('o-exampleorgid1')).toBe(true);
    expect(isOrganizationId('o-abc')).toBe(false);
    expect(isAccountId('111122223333')).toBe(true);
    expect(isAccountId('CloudTrail')).toBe(false);
    expect(['us-east-1', 'us-gov-west-1', 'ap-southeast-5', 'eu-central-2'].every(isRegionName)).toBe(true);
    expect(isRegionName('CloudTrail-Digest')).toBe(false);
  });
});
