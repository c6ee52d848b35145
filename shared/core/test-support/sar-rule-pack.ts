import { readFileSync } from 'node:fs';
import { AlertEngine, type ToldContext } from '../src/alerts/alert-engine.js';
import type { AlertRule } from '../src/alerts/alert-rules.js';
import { parseAlertRules } from '../src/alerts/alert-rules.js';
import type { CloudTrailRecord } from '../src/cloudtrail/record.js';
import type { EnrichedEvent } from '../src/contract/enriched-event.js';
import { enrich } from '../src/enrich.js';
import { loadFixture } from './load-fixture.js';

// The file operators deploy, not a copy: a broken pack fails here before it reaches an enricher.
export const packText = readFileSync(
  new URL('../../../infra/alerts/sar-rules.json', import.meta.url),
  'utf8',
);
export const packFile: Record<string, unknown> = JSON.parse(packText);
export const docs = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');

/** The pack's rules, or with other parameters as an operator would set them. */
export function packRules(parameters?: Record<string, string[]>): AlertRule[] {
  const parsed = parseAlertRules(parameters ? { ...packFile, parameters } : packFile);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.rules;
}

let sequence = 0;

/** Every event gets its own id: the engine answers an id it has seen with its first outcome. */
export function eventFrom(fixture: string, overrides: Partial<CloudTrailRecord> = {}): EnrichedEvent {
  sequence += 1;
  const record = loadFixture(`cloudtrail/${fixture}`).record as CloudTrailRecord;
  return enrich({ ...record, eventID: `sar-pack-${sequence}`, ...overrides });
}

export const refused = { errorCode: 'AccessDenied', errorMessage: 'not authorized', responseElements: null };

export const BOB_ROLE = 'arn:aws:iam::123456789012:role/developer';
export const ALICE = 'arn:aws:iam::123456789012:user/Alice';

/** A refused PutApplicationPolicy; by default from bob's session of the developer role. */
export function denial(overrides: Partial<CloudTrailRecord> = {}): EnrichedEvent {
  return eventFrom('edge/access-denied.json', overrides);
}

export const aliceIdentity = { type: 'IAMUser', arn: ALICE, accountId: '123456789012', userName: 'Alice' };

export const consoleSession = loadFixture('cloudtrail/edge/iam-user-console-session.json')
  .record as CloudTrailRecord;

export interface Timed {
  event: EnrichedEvent;
  atMs: number;
}

/** `count` events made by `make`, `spacingMs` apart from `startMs`. */
export function series(count: number, make: () => EnrichedEvent, spacingMs: number, startMs = 0): Timed[] {
  return Array.from({ length: count }, (_, index) => ({ event: make(), atMs: startMs + index * spacingMs }));
}

export interface Scenario {
  name: string;
  /** What the engine sees first, in order. */
  before?: readonly Timed[];
  event: EnrichedEvent;
  /** When the event arrives; a second after the last event before it unless given. */
  atMs?: number;
  /** What `sarwatch reconcile` tells the engine about the event (the live path tells nothing). */
  told?: ToldContext;
  /** The pack with these parameters instead of the file's, as an operator would edit them. */
  parameters?: Record<string, string[]>;
}

/** Which rules the scenario's last event fires, on a fresh engine that saw only the scenario. */
export function firedIds(scenario: Scenario): string[] {
  const engine = new AlertEngine(packRules(scenario.parameters));
  const before = scenario.before ?? [];
  for (const { event, atMs } of before) engine.evaluate(event, atMs);
  const atMs = scenario.atMs ?? (before.at(-1)?.atMs ?? 0) + 1_000;
  return engine.evaluate(scenario.event, atMs, scenario.told).fired.map((alert) => alert.rule.id);
}

export const at = (atMs: number, event: EnrichedEvent): Timed => ({ event, atMs });
