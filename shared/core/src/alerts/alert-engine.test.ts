import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test-support/load-fixture.js';
import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { EnrichedEvent } from '../contract/enriched-event.js';
import { enrich } from '../enrich.js';
import { AlertEngine, fieldText } from './alert-engine.js';
import { type AlertRule, parseAlertRules } from './alert-rules.js';

const eventFrom = (fixture: string, overrides: Partial<CloudTrailRecord> = {}): EnrichedEvent =>
  enrich({ ...(loadFixture(fixture).record as CloudTrailRecord), ...overrides });

const publicPolicy = eventFrom('cloudtrail/sar/put-application-policy-public.json');
const deleted = eventFrom('cloudtrail/sar/delete-application.json');

function rules(...raw: object[]): AlertRule[] {
  const parsed = parseAlertRules({ version: 1, rules: raw });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.rules;
}

const madePublic = {
  id: 'app-made-public',
  title: 'Application made public',
  severity: 'high',
  why: 'Anyone in any AWS account can now deploy it.',
  match: { eventName: ['PutApplicationPolicy'], operation: { visibility: ['public'] } },
};

describe('AlertEngine', () => {
  it('fires a rule whose pattern matches the enriched event, and only that one', () => {
    const engine = new AlertEngine(rules(madePublic));
    const [alert] = engine.evaluate(publicPolicy, 0).fired;
    expect(alert).toMatchObject({ eventIds: [publicPolicy.eventId], firedAtMs: 0 });
    expect(alert?.rule.id).toBe('app-made-public');
    expect(engine.evaluate(deleted, 1).fired).toEqual([]);
  });

  it('fires on a threshold of matches per key within the window, then starts counting again', () => {
    const denied = {
      id: 'denied-burst',
      title: 'Access denied, repeatedly',
      severity: 'medium',
      why: 'Someone is probing what they may do.',
      match: { errorCode: [{ prefix: 'AccessDenied' }] },
      threshold: { count: 3, withinSeconds: 60, per: ['identity.principalArn'] },
      dedupBy: ['identity.principalArn'],
    };
    const engine = new AlertEngine(rules(denied));
    const attempt = (id: string, principal: string) =>
      eventFrom('cloudtrail/edge/access-denied.json', {
        eventID: id,
        userIdentity: { type: 'IAMUser', arn: principal, accountId: '123456789012' },
      });
    const at = (id: string, principal: string, ms: number) =>
      engine.evaluate(attempt(id, principal), ms).fired;
    expect(at('a1', 'arn:aws:iam::123456789012:user/a', 0)).toEqual([]);
    expect(at('b1', 'arn:aws:iam::123456789012:user/b', 1_000)).toEqual([]);
    expect(at('a2', 'arn:aws:iam::123456789012:user/a', 2_000)).toEqual([]);
    // The first of a's attempts has left the window by now: two are still in it.
    expect(at('a3', 'arn:aws:iam::123456789012:user/a', 61_000)).toEqual([]);
    const [burst] = at('a4', 'arn:aws:iam::123456789012:user/a', 61_500);
    expect(burst?.eventIds).toEqual(['a2', 'a3', 'a4']);
    expect(burst?.dedupKey).toBe('denied-burst|arn:aws:iam::123456789012:user/a');
    expect(at('a5', 'arn:aws:iam::123456789012:user/a', 62_000)).toEqual([]);
  });

  it('suppresses the same dedup key within the window and counts what it suppressed', () => {
    const engine = new AlertEngine(
      rules({ ...madePublic, dedupBy: ['operation.applicationId'], suppressSeconds: 600 }),
    );
    expect(engine.evaluate(publicPolicy, 0).fired).toHaveLength(1);
    const again = engine.evaluate({ ...publicPolicy, eventId: 'another' }, 599_000);
    expect(again).toEqual({ fired: [], suppressed: 1 });
    expect(engine.evaluate({ ...publicPolicy, eventId: 'later' }, 600_000).fired).toHaveLength(1);
  });

  it('gives an event evaluated again its first outcome, summarising the event it is given then', () => {
    const engine = new AlertEngine(
      rules({ ...madePublic, dedupBy: ['operation.applicationId'], suppressSeconds: 600 }),
    );
    const first = engine.evaluate(publicPolicy, 0);
    // A page retried after an aborted transaction: the same event, read again, evaluated later.
    const retried = engine.evaluate({ ...publicPolicy }, 5_000);
    expect(retried).toEqual(first);
    expect(retried.fired[0]?.firedAtMs).toBe(0);
    // What is remembered is the outcome, not the event: the summary comes from the event in hand.
    const reread = { ...publicPolicy, userAgent: 'read again' };
    expect(engine.evaluate(reread, 6_000).fired[0]?.event.userAgent).toBe('read again');
    expect(engine.evaluate({ ...publicPolicy, eventId: 'another' }, 7_000)).toEqual({
      fired: [],
      suppressed: 1,
    });
  });

  it('skips disabled rules', () => {
    expect(new AlertEngine(rules({ ...madePublic, enabled: false })).evaluate(publicPolicy, 0).fired).toEqual(
      [],
    );
  });
});

describe('parseAlertRules', () => {
  it('names the rule and the field of every problem, all at once', () => {
    const result = parseAlertRules({
      version: 1,
      rules: [
        { ...madePublic, severity: 'urgent' },
        { ...madePublic, id: 'bad-pattern', match: { eventName: 'PutApplicationPolicy' } },
        { ...madePublic, id: 'Bad Id' },
        { ...madePublic, id: 'extra', colour: 'red' },
      ],
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toContain('rule "app-made-public" (rules[0]) severity:');
    expect(errors).toContain('rule "bad-pattern" (rules[1]) match:');
    expect(errors).toContain('rule "Bad Id" (rules[2]) id:');
    expect(errors).toContain('rule "extra" (rules[3])');
  });

  it('refuses a repeated id, an unknown version, and a threshold of one', () => {
    const twice = parseAlertRules({ version: 1, rules: [madePublic, madePublic] });
    expect(twice.ok ? [] : twice.errors).toEqual([
      'rule "app-made-public" (rules[1]) id: is used by an earlier rule',
    ]);
    expect(parseAlertRules({ version: 2, rules: [] }).ok).toBe(false);
    const once = parseAlertRules({
      version: 1,
      rules: [{ ...madePublic, threshold: { count: 1, withinSeconds: 5, per: ['eventId'] } }],
    });
    expect(once.ok ? [] : once.errors.join()).toContain('threshold.count');
  });

  it('puts a declared parameter where a match names it, and names the rule that uses an undeclared one', () => {
    const untrusted = {
      ...madePublic,
      id: 'untrusted',
      match: { operation: { principals: [{ 'anything-but': { $parameter: 'trusted' } }] } },
    };
    const parsed = parseAlertRules({
      version: 1,
      parameters: { trusted: ['111111111111'] },
      rules: [untrusted],
    });
    expect(parsed.ok && parsed.rules[0]?.match).toEqual({
      operation: { principals: [{ 'anything-but': ['111111111111'] }] },
    });
    const undeclared = parseAlertRules({ version: 1, rules: [untrusted] });
    expect(undeclared.ok ? [] : undeclared.errors).toEqual([
      'rule "untrusted" (rules[0]) match: "trusted" is not a parameter of this file',
    ]);
    const empty = parseAlertRules({ version: 1, parameters: { trusted: [] }, rules: [] });
    expect(empty.ok ? [] : empty.errors.join()).toContain('parameters.trusted');
  });

  it('fills in the defaults', () => {
    expect(rules(madePublic)[0]).toMatchObject({ dedupBy: ['eventId'], suppressSeconds: 0, enabled: true });
  });
});

describe('fieldText', () => {
  it('reads dotted paths as text, lists joined, missing as empty', () => {
    const value = { a: { b: 'x', n: 3, list: ['p', 'q'], none: null } };
    expect(
      ['a.b', 'a.n', 'a.list', 'a.none', 'a.missing', 'a.b.c'].map((path) => fieldText(value, path)),
    ).toEqual(['x', '3', 'p,q', '', '', '']);
  });
});
