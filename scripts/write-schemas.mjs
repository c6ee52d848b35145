#!/usr/bin/env node
// Writes the JSON Schema files generated from the zod contracts. A unit test fails when they drift.
import { writeFileSync } from 'node:fs';
import { eventsV1JsonSchema } from '@sarwatch/core';

const target = new URL('../shared/core/schema/sarwatch.events.v1.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(eventsV1JsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
