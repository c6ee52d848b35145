import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertSchema } from '@sarwatch/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../shared/core/fixtures/cloudtrail/${name}`, import.meta.url), 'utf8'))
    .record;

describe('sarwatch rules', () => {
  let dir: string;
  let events: string;
  let badRules: string;
  const pack = 'infra/alerts/sar-rules.json';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarwatch-rules-cli-'));
    events = join(dir, 'events.ndjson');
    badRules = join(dir, 'bad.json');
    const records = [
      fixture('sar/put-application-policy-public.json'),
      fixture('sar/get-application.json'),
      fixture('root-console-create-application.json'),
    ];
    await writeFile(events, records.map((record) => JSON.stringify(record)).join('\n'));
    await writeFile(
      badRules,
      JSON.stringify({
        version: 1,
        rules: [{ id: 'loud', title: 'Loud', severity: 'urgent', why: 'x', match: { eventName: 'X' } }],
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says which events fire which rules, then how often each fired', async () => {
    const run = await runSarwatch(['rules', 'test', pack, events]);
    expect(run.code).toBe(0);
    const alertLines = run.stdout.split('\n').filter((line) => /^\d{4}-/.test(line));
    expect(alertLines.map((line) => line.split(/\s+/)[1])).toEqual([
      'application-made-public',
      'application-created',
      'root-activity',
      'console-without-mfa',
    ]);
    expect(run.stdout).toMatch(/application-made-public\s+1\n/);
    expect(run.stdout).toMatch(/application-deleted\s+0\n/);
    expect(run.stdout).toContain('3 records, 0 unreadable; 4 alerts from 4 of 15 rules');
  });

  it('prints the alerts as published with --json, one per line, the tally on stderr', async () => {
    const run = await runSarwatch(['rules', 'test', '--json', pack, events]);
    expect(run.code).toBe(0);
    const alerts = run.stdout
      .trim()
      .split('\n')
      .map((line) => AlertSchema.parse(JSON.parse(line)));
    expect(alerts.map((alert) => alert.alertId)).toContain(
      'application-made-public:5a7e0c11-0004-4b00-9000-000000000004',
    );
    expect(run.stderr).toContain('4 alerts from 4 of 15 rules');
  });

  it('exits 1 on an invalid rules file, naming the rule and the field', async () => {
    for (const args of [
      ['test', badRules, events],
      ['check', badRules],
    ]) {
      const run = await runSarwatch(['rules', ...args]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('rule "loud" (rules[0]) severity:');
      expect(run.stderr).toContain('rule "loud" (rules[0]) match:');
    }
  });

  it('checks the shipped rule pack by default', async () => {
    const run = await runSarwatch(['rules', 'check']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/sar-rules\.json: 15 rules, 15 enabled, valid/);
  });

  it('exits 2 on bad usage and on an events file it cannot open', async () => {
    expect((await runSarwatch(['rules'])).code).toBe(2);
    expect((await runSarwatch(['rules', 'test', pack])).code).toBe(2);
    const missing = await runSarwatch(['rules', 'test', pack, join(dir, 'missing.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('reports every mistake of a rules file in one run: schema, parameters, field paths and duplicate ids', async () => {
    const mistakes = join(dir, 'mistakes.json');
    await writeFile(
      mistakes,
      JSON.stringify({
        version: 1,
        parameters: { trustedAccounts: ['111122223333'] },
        rules: [
          {
            id: 'typo',
            title: 'Typo',
            severity: 'high',
            why: 'x',
            match: { identity: { actr: ['human'] } },
            dedupBy: ['identity.principalarn'],
          },
          {
            id: 'typo',
            title: 'Again',
            severity: 'urgent',
            why: 'y',
            match: { identity: { accountId: { $parameter: 'trustedAcounts' } } },
            threshold: { count: 2, withinSeconds: 60, per: ['eventid'] },
          },
        ],
      }),
    );
    const run = await runSarwatch(['rules', 'check', mistakes]);
    expect(run.code).toBe(1);
    const problems = run.stderr
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    expect(problems.sort()).toEqual(
      [
        'rule "typo" (rules[0]) match: identity.actr is not a field of the enriched event (did you mean identity.actor?)',
        'rule "typo" (rules[0]) dedupBy: identity.principalarn is not a field of the enriched event (did you mean identity.principalArn?)',
        'rule "typo" (rules[1]) match: "trustedAcounts" is not a parameter of this file',
        'rule "typo" (rules[1]) severity: Invalid option: expected one of "info"|"low"|"medium"|"high"|"critical"',
        'rule "typo" (rules[1]) threshold.per: eventid is not a field of the enriched event (did you mean eventId?)',
        'rule "typo" (rules[1]) id: is used by an earlier rule',
      ].sort(),
    );
  });
});
