import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../test-support/load-fixture.js';
import { CloudTrailRecordSchema } from './cloudtrail/record.js';
import { EnrichedEventSchema } from './contract/enriched-event.js';
import { enrich } from './enrich.js';

const README = new URL('../../../README.md', import.meta.url);

/** The first JSON block after a heading of the README. */
function jsonBlockAfter(heading: string): unknown {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf(heading));
  const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`no JSON block after ${heading}`);
  return JSON.parse(block);
}

describe("the README's sample event", () => {
  it('is exactly what sarwatch publishes for the fixture it names, and a valid event of the contract', () => {
    const sample = jsonBlockAfter('### The enriched event (`sarwatch.events.v1`)');
    const record = CloudTrailRecordSchema.parse(
      loadFixture('cloudtrail/iam-user-cli-put-application-policy.json').record,
    );
    expect(sample).toEqual(JSON.parse(JSON.stringify(enrich(record))));
    expect(EnrichedEventSchema.parse(sample)).toEqual(sample);
  });
});
