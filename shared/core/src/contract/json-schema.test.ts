import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertsV1JsonSchema, eventsV1JsonSchema } from './json-schema.js';

describe('the committed JSON Schemas', () => {
  it.each([
    ['sarwatch.events.v1', eventsV1JsonSchema],
    ['sarwatch.alerts.v1', alertsV1JsonSchema],
  ])(
    '%s is exactly what the zod schema generates (run `npm run schema` after changing the contract)',
    (topic, generate) => {
      const committed = JSON.parse(
        readFileSync(new URL(`../../schema/${topic}.schema.json`, import.meta.url), 'utf8'),
      );
      expect(committed).toEqual(generate());
    },
  );
});
