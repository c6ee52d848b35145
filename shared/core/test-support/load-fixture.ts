import { readFileSync } from 'node:fs';

/** Loads a fixture from shared/core/fixtures; each file names its source beside the record. */
export function loadFixture(name: string): { source: string; record: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

/** The documented CreateApplication record, wrapped as EventBridge delivers it: the envelope the tests decode. */
export function envelopedFixture() {
  const { record } = loadFixture('cloudtrail/root-console-create-application.json');
  const envelope = {
    version: '0',
    id: '6f7a2d1e-0000-4000-8000-000000000000',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.serverlessrepo',
    account: '999999999999',
    time: '2018-07-30T17:37:37Z',
    region: 'us-east-1',
    resources: [],
    detail: record,
  };
  return { record, envelope };
}
