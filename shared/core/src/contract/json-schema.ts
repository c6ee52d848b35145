import { z } from 'zod';
import { AlertSchema } from './alert.js';
import { EnrichedEventSchema } from './enriched-event.js';

export const EVENTS_V1_SCHEMA_ID = 'urn:sarwatch:schema:sarwatch.events.v1';

/** The JSON Schema subscribers in other languages validate against; generated from the zod schema, never edited. */
export function eventsV1JsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(EnrichedEventSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: EVENTS_V1_SCHEMA_ID,
    title: 'sarwatch.events.v1',
    description: 'An AWS CloudTrail record enriched by sarwatch. See docs/events-v1.md.',
  };
}

export const ALERTS_V1_SCHEMA_ID = 'urn:sarwatch:schema:sarwatch.alerts.v1';

export function alertsV1JsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(AlertSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: ALERTS_V1_SCHEMA_ID,
    title: 'sarwatch.alerts.v1',
    description: 'An alert raised by a sarwatch rule. See docs/alerts.md.',
  };
}
