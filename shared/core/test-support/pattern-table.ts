import { expect, it } from 'vitest';
import { compilePattern, PatternGroup } from '../src/pattern/compile.js';

/** The sample event of the Event Ruler README ("Ruler by Example"), which the EventBridge pages use too. */
export const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** The sample event with `detail` replaced. */
export const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

export type Row = [name: string, pattern: unknown, event: unknown, expected: boolean];

export const table = (rows: Row[]) => {
  it.each(rows)('%s', (_name, pattern, event, expected) => {
    expect(compilePattern(pattern).matches(event)).toBe(expected);
  });
  it("gives each pattern's own answer when the table's patterns are compiled as one group", () => {
    const patterns = rows.map(([, pattern]) => pattern);
    const group = new PatternGroup(patterns);
    const alone = patterns.map((pattern) => compilePattern(pattern));
    for (const [name, , event] of rows) {
      const verdict = group.verdicts(event);
      // Last to first: a shared field is then first read for another pattern than the first that names it.
      for (let index = patterns.length - 1; index >= 0; index--) {
        expect(verdict(index), `pattern of "${rows[index]?.[0]}" on the event of "${name}"`).toBe(
          alone[index]?.matches(event),
        );
      }
    }
  });
};
