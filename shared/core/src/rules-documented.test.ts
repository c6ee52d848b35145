import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTOR_RULES } from './identity/actor-rules.js';
import { RISK_RULES } from './risk/assess-risk.js';

const docs = readFileSync(new URL('../../../docs/events-v1.md', import.meta.url), 'utf8');

/** A table row whose first two cells are these, however the formatter pads the columns. */
const row = (first: string, second: string) => new RegExp(`\\|\\s*\`${first}\`\\s*\\|\\s*${second}\\s*\\|`);

describe('docs/events-v1.md', () => {
  it.each(ACTOR_RULES.map((rule) => [rule.name, rule.actor]))(
    'documents actor rule %s (%s)',
    (name, actor) => {
      expect(docs).toMatch(row(name, actor));
    },
  );

  it.each(RISK_RULES.map((rule) => [rule.code, rule.severity]))(
    'documents risk rule %s (%s)',
    (code, severity) => {
      expect(docs).toMatch(row(code, severity));
    },
  );
});
