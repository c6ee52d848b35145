import { readFileSync } from 'node:fs';

/** Loads a fixture from shared/core/fixtures; each file names its source beside the record. */
export function loadFixture(name: string): { source: string; record: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}
