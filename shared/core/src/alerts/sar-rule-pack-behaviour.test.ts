import { describe, expect, it } from 'vitest';
import {
  ALICE,
  aliceIdentity,
  BOB_ROLE,
  denial,
  eventFrom,
  packRules,
  series,
} from '../../test-support/sar-rule-pack.js';
import type { EnrichedEvent } from '../contract/enriched-event.js';
import { AlertEngine } from './alert-engine.js';

// The pack's rules over sequences of events: thresholds, suppression, and what the engine learns of applications.
describe('access-denied-burst, end to end', () => {
  it('fires once per five denials of a principal in five minutes, then stays quiet for an hour', () => {
    const engine = new AlertEngine(packRules());
    const evaluate = (event: EnrichedEvent, atMs: number) => engine.evaluate(event, atMs);
    const burstAlerts = (outcome: ReturnType<typeof evaluate>) =>
      outcome.fired.filter((alert) => alert.rule.id === 'access-denied-burst');

    const first = series(5, denial, 10_000);
    const outcomes = first.map(({ event, atMs }) => evaluate(event, atMs));
    expect(outcomes.slice(0, 4).flatMap(burstAlerts)).toEqual([]);
    const [alert] = burstAlerts(outcomes[4] ?? { fired: [], suppressed: 0 });
    expect(alert?.eventIds).toEqual(first.map(({ event }) => event.eventId));
    expect(alert?.dedupKey).toBe(`access-denied-burst|${BOB_ROLE}`);

    // The window starts over after an alert, and the next full window falls in the hour of suppression.
    const second = series(5, denial, 10_000, 60_000).map(({ event, atMs }) => evaluate(event, atMs));
    expect(second.flatMap(burstAlerts)).toEqual([]);
    expect(second.map((outcome) => outcome.suppressed)).toEqual([0, 0, 0, 0, 1]);

    // Another principal is another key, suppressed or not.
    const alice = series(5, () => denial({ userIdentity: aliceIdentity }), 1_000, 120_000);
    const aliceAlerts = alice.flatMap(({ event, atMs }) => burstAlerts(evaluate(event, atMs)));
    expect(aliceAlerts.map((fired) => fired.dedupKey)).toEqual([`access-denied-burst|${ALICE}`]);

    // An hour after bob's alert, his next burst pages again.
    const later = series(5, denial, 1_000, 40_000 + 3_600_000).flatMap(({ event, atMs }) =>
      burstAlerts(evaluate(event, atMs)),
    );
    expect(later).toHaveLength(1);
  });
});

describe('new versions and the application visibility the engine has seen', () => {
  const versionAlerts = (engine: AlertEngine, atMs: number) =>
    engine.evaluate(eventFrom('sar/create-application-version.json'), atMs).fired;

  it('raises the public-application rule after a public policy for the same application', () => {
    const engine = new AlertEngine(packRules());
    const madePublic = engine.evaluate(eventFrom('sar/put-application-policy-public.json'), 0).fired;
    expect(madePublic.map((alert) => alert.rule.id)).toContain('application-made-public');

    const fired = versionAlerts(engine, 60_000);
    expect(fired.map((alert) => alert.rule.id)).toEqual(['public-application-version-published']);
    expect(fired[0]?.rule.severity).toBe('high');
    expect(fired[0]?.context).toEqual({ applicationVisibility: 'public' });
  });

  it('raises the ordinary rule when the application is not known to be public', () => {
    const engine = new AlertEngine(packRules());
    const fired = versionAlerts(engine, 0);
    expect(fired.map((alert) => alert.rule.id)).toEqual(['application-version-published']);
    expect(fired[0]?.context).toEqual({ applicationVisibility: 'unknown' });
  });

  it('goes back to the ordinary rule once the application is deleted', () => {
    const engine = new AlertEngine(packRules());
    engine.evaluate(eventFrom('sar/put-application-policy-public.json'), 0);
    engine.evaluate(eventFrom('sar/delete-application.json'), 1_000);
    const fired = versionAlerts(engine, 2_000);
    expect(fired.map((alert) => alert.rule.id)).toEqual(['application-version-published']);
  });
});

describe('suppression of the rules that could flood', () => {
  it('pages once an hour per principal for console sessions without MFA', () => {
    const engine = new AlertEngine(packRules());
    const consoleCall = () => eventFrom('edge/iam-user-console-session.json');
    const noMfaAlerts = (event: EnrichedEvent, atMs: number) =>
      engine.evaluate(event, atMs).fired.filter((alert) => alert.rule.id === 'console-without-mfa');

    expect(noMfaAlerts(consoleCall(), 0)).toHaveLength(1);
    expect(noMfaAlerts(consoleCall(), 3_599_000)).toEqual([]);
    expect(noMfaAlerts(eventFrom('identity/root.json'), 3_599_500)).toHaveLength(1);
    expect(noMfaAlerts(consoleCall(), 3_600_000)).toHaveLength(1);
  });
});
