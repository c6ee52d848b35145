import { describe, expect, it } from 'vitest';
import { type TrailClaimRecord, TrailClaims } from './trail-claims.js';

const claim = (ids: string[], keepUntil: string): TrailClaimRecord => ({
  owner: 'backfill',
  nonce: 'n',
  at: '2026-12-01T00:00:00Z',
  keepUntil,
  ids,
});

describe('TrailClaims', () => {
  it('holds claimed ids until they expire, then forgets them', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const claims = new TrailClaims(() => now);
    claims.apply('k1', claim(['a', 'b'], '2026-12-02T00:00:00Z'));
    claims.apply('k2', claim(['c'], '2026-12-01T12:00:00Z'));
    expect(['a', 'b', 'c', 'd'].map((id) => claims.has(id))).toEqual([true, true, true, false]);
    now = Date.parse('2026-12-01T13:00:00Z');
    expect(claims.has('c')).toBe(false);
    expect(claims.expiredRecordKeys()).toEqual(['k2']);
    claims.prune();
    expect(claims.size).toBe(2);
  });

  it('ignores a claim that has already expired, and forgets a record on its tombstone', () => {
    const claims = new TrailClaims(() => Date.parse('2026-12-05T00:00:00Z'));
    claims.apply('old', claim(['a'], '2026-12-04T00:00:00Z'));
    expect(claims.has('a')).toBe(false);
    claims.apply('k', claim(['b'], '2026-12-06T00:00:00Z'));
    claims.apply('k', null);
    expect(claims.expiredRecordKeys()).toEqual([]);
  });

  it('keeps an id for the latest of its claims', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const claims = new TrailClaims(() => now);
    claims.apply('k1', claim(['a'], '2026-12-03T00:00:00Z'));
    claims.apply('k2', claim(['a'], '2026-12-02T00:00:00Z'));
    now = Date.parse('2026-12-02T12:00:00Z');
    expect(claims.has('a')).toBe(true);
  });
});
