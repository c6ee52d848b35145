import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventsV1JsonSchema } from './json-schema.js';

describe('the committed JSON Schema', () => {
  it('is exactly what the zod schema generates (run `npm run schema` after changing the contract)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/sarwatch.events.v1.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(eventsV1JsonSchema());
  });
});
