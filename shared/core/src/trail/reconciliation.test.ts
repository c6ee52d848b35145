import { describe, expect, it } from 'vitest';
import {
  type ExpectedEvent,
  emptyReconciliation,
  type IndexedEvent,
  mergeReconciliations,
  reconcile,
} from './reconciliation.js';

const expected = (id: string, time = '2026-12-01T10:00:00Z', account = '111122223333'): ExpectedEvent => ({
  id,
  time,
  name: 'CreateApplication',
  account,
  region: 'us-east-1',
});
const indexed = (id: string, outcome: IndexedEvent['outcome'] = 'published'): IndexedEvent => ({
  ...expected(id),
  source: 'serverlessrepo.amazonaws.com',
  outcome,
  origin: 'stream',
});

describe('reconcile', () => {
  it('finds the missing and the unexpected, and counts the dead-lettered as handled', () => {
    const result = reconcile(
      [expected('a'), expected('b', '2026-12-02T00:00:01Z', '444455556666'), expected('c'), expected('a')],
      [indexed('a'), indexed('c', 'dead-lettered'), indexed('x')],
    );
    expect(result.counts).toEqual({
      expected: 3,
      indexed: 3,
      matched: 2,
      deadLettered: 1,
      missing: 1,
      unexpected: 1,
    });
    expect(result.missing.map(({ id }) => id)).toEqual(['b']);
    expect(result.unexpected.map(({ id }) => id)).toEqual(['x']);
    expect(result.missingBy).toEqual({
      day: { '2026-12-02': 1 },
      account: { '444455556666': 1 },
      region: { 'us-east-1': 1 },
      eventName: { CreateApplication: 1 },
    });
  });

  it('adds slices up', () => {
    const total = emptyReconciliation();
    mergeReconciliations(total, reconcile([expected('a')], []));
    mergeReconciliations(total, reconcile([expected('b')], [indexed('y')]));
    expect(total.counts).toMatchObject({ expected: 2, missing: 2, unexpected: 1 });
    expect(total.missingBy.day).toEqual({ '2026-12-01': 2 });
  });
});
