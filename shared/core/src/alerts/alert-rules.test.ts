import { describe, expect, it } from 'vitest';
import { parseAlertRules } from './alert-rules.js';
import { isKnownFieldPath, nearestFieldPath, patternFieldPaths } from './rule-field-paths.js';

const rule = (overrides: Record<string, unknown>) => ({
  id: 'r',
  title: 'R',
  severity: 'low',
  why: 'because',
  match: { eventName: ['DeleteApplication'] },
  ...overrides,
});

const problems = (rules: unknown[], parameters?: Record<string, unknown>) => {
  const result = parseAlertRules({ version: 1, ...(parameters && { parameters }), rules });
  return result.ok ? [] : result.errors;
};

describe('rule field paths', () => {
  it('knows every field of the enriched event and the documented context, and anything under detail', () => {
    for (const path of [
      'eventId',
      'identity.actor',
      'identity.principalArn',
      'source.client.kind',
      'operation.principals',
      'risk.reasons',
      'context.applicationVisibility',
      'detail.requestParameters.applicationId',
    ]) {
      expect(isKnownFieldPath(path), path).toBe(true);
    }
    for (const path of ['identity', 'actor', 'identity.actr', 'context.visibility', 'details.eventName']) {
      expect(isKnownFieldPath(path), path).toBe(false);
    }
  });

  it('suggests the field under its parent, or the nearest spelling, and nothing when nothing is near', () => {
    expect(nearestFieldPath('actor')).toBe('identity.actor');
    expect(nearestFieldPath('identity.principalarn')).toBe('identity.principalArn');
    expect(nearestFieldPath('operation.categry')).toBe('operation.category');
    expect(nearestFieldPath('completely.unrelated.thing')).toBeNull();
  });

  it('reads the paths of a pattern down to its leaves, through $or', () => {
    expect(
      patternFieldPaths({
        eventName: ['X'],
        identity: { actor: ['human'], accountId: [{ prefix: '1' }] },
        $or: [{ operation: { category: ['share'] } }, { risk: { severity: ['high'] } }],
      }),
    ).toEqual(['eventName', 'identity.actor', 'identity.accountId', 'operation.category', 'risk.severity']);
  });
});

describe('parseAlertRules', () => {
  it('accepts paths of the contract, of context and under detail', () => {
    expect(
      problems([
        rule({
          match: {
            detail: { requestParameters: { applicationId: [{ exists: true }] } },
            context: { applicationVisibility: ['public'] },
          },
          dedupBy: ['identity.principalArn'],
          threshold: { count: 2, withinSeconds: 60, per: ['identity.accountId'] },
        }),
      ]),
    ).toEqual([]);
  });

  it('refuses a rule whose match, dedupBy or threshold.per names no field, saying which path it meant', () => {
    expect(
      problems([
        rule({
          match: { identity: { actr: ['human'] } },
          dedupBy: ['identity.principalarn'],
          threshold: { count: 2, withinSeconds: 60, per: ['acountId'] },
        }),
      ]),
    ).toEqual([
      'rule "r" (rules[0]) match: identity.actr is not a field of the enriched event (did you mean identity.actor?)',
      'rule "r" (rules[0]) dedupBy: identity.principalarn is not a field of the enriched event (did you mean identity.principalArn?)',
      'rule "r" (rules[0]) threshold.per: acountId is not a field of the enriched event (did you mean identity.accountId?)',
    ]);
  });

  it('reports schema errors, unknown parameters, unknown paths and duplicate ids together', () => {
    const errors = problems(
      [
        rule({ severity: 'urgent' }),
        rule({ match: { identity: { accountId: { $parameter: 'missing' } } } }),
        rule({ id: 'other', match: { identity: { actr: ['human'] } } }),
      ],
      { trustedAccounts: ['111122223333'] },
    );
    expect(errors).toHaveLength(4);
    expect(errors.some((error) => error.includes('severity'))).toBe(true);
    expect(errors.some((error) => error.includes('"missing" is not a parameter'))).toBe(true);
    expect(errors.some((error) => error.includes('identity.actr'))).toBe(true);
    expect(errors.some((error) => error.includes('rules[1]) id: is used by an earlier rule'))).toBe(true);
  });

  it('reports an unreadable parameters block once, not again as pattern errors where it is used', () => {
    const errors = problems([rule({ match: { identity: { accountId: { $parameter: 'trusted' } } } })], {
      trusted: [],
    });
    expect(errors).toEqual(['parameters.trusted: a parameter is a non-empty list of values']);
  });
});
