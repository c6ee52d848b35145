#!/usr/bin/env node
// Writes the JSON Schema files generated from the zod contracts. A unit test fails when they drift.
import { writeFileSync } from 'node:fs';
import { alertsV1JsonSchema, eventsV1JsonSchema } from '@sarwatch/core';

for (const [topic, schema] of [
  ['sarwatch.events.v1', eventsV1JsonSchema()],
  ['sarwatch.alerts.v1', alertsV1JsonSchema()],
]) {
  const target = new URL(`../shared/core/schema/${topic}.schema.json`, import.meta.url);
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${target.pathname}`);
}
