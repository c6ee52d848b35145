import { describe, expect, it } from 'vitest';
import { docs, firedIds, packFile, packRules } from '../../test-support/sar-rule-pack.js';
import { SAR_RULE_PACK_CASES as table } from '../../test-support/sar-rule-pack-cases.js';
import { SAR_EVENT_SOURCE } from '../operation/classify-sar-operation.js';

const rows = (outcome: 'fires' | 'misses') =>
  Object.entries(table).flatMap(([ruleId, cases]) =>
    cases[outcome].map((scenario) => ({ ruleId, case: scenario.name, scenario })),
  );

describe('the SAR rule pack (infra/alerts/sar-rules.json)', () => {
  const rules = packRules();

  it('parses, with lowercase-kebab ids, every rule limited to SAR calls and explained', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.match.eventSource, rule.id).toEqual([SAR_EVENT_SOURCE]);
      expect(rule.why, rule.id).toMatch(/^[A-Z].{40,}\.$/);
      expect(rule.enabled, rule.id).toBe(true);
    }
  });

  it('ships a placeholder allowlist that operators replace', () => {
    expect(packFile.parameters).toEqual({ trustedAccounts: ['000000000000'] });
  });

  it('has fire and no-fire cases for every rule, and none for rules it does not have', () => {
    expect(Object.keys(table).sort()).toEqual(rules.map((rule) => rule.id).sort());
    for (const [ruleId, cases] of Object.entries(table)) {
      expect(cases.fires.length, ruleId).toBeGreaterThan(0);
      expect(cases.misses.length, ruleId).toBeGreaterThan(0);
    }
  });

  it.each(rows('fires'))('$ruleId fires: $case', ({ ruleId, scenario }) => {
    expect(firedIds(scenario)).toContain(ruleId);
  });

  it.each(rows('misses'))('$ruleId stays quiet: $case', ({ ruleId, scenario }) => {
    expect(firedIds(scenario)).not.toContain(ruleId);
  });

  it.each(rows('fires'))('$ruleId ignores other services: $case', ({ ruleId, scenario }) => {
    const elsewhere = {
      ...scenario.event,
      eventId: `${scenario.event.eventId}-elsewhere`,
      eventSource: 'lambda.amazonaws.com',
    };
    expect(firedIds({ ...scenario, event: elsewhere })).not.toContain(ruleId);
  });

  it('documents every rule with its severity in docs/alerts.md', () => {
    for (const rule of rules) {
      expect(docs).toMatch(new RegExp(`\\|\\s*\`${rule.id}\`\\s*\\|\\s*${rule.severity}\\s*\\|`));
    }
  });
});
