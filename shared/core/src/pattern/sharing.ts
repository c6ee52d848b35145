import type { OperatorOptions } from './anything-but.js';
import { compileLeaf, type FieldTraits, type Leaf, leafTraits } from './leaf.js';
import type { Branch, LeafSource } from './structure.js';

/** A compiled alternative: its fields in Ruler's order (sorted by name), each with what it asks. */
export type Alternative = ReadonlyArray<{ readonly field: string; readonly leaf: Leaf }>;

const byName = ([a]: [string, LeafSource], [b]: [string, LeafSource]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compiles each alternative's leaves. Ruler keeps one matcher per field per state of its machine, and alternatives
 * that agree on every field sorted before a field reach the same state, so they share that field's matcher and
 * each other's numeric and address patterns (FieldTraits). That sharing is followed here; it only changes how the
 * artefacts of cidr.ts apply. (Ruler also shares states on partly equal value arrays; that finer sharing is not
 * modelled.)
 */
export function compileAlternatives(branches: readonly Branch[], options: OperatorOptions): Alternative[] {
  const sorted = branches.map((branch) => [...branch.entries()].sort(byName));
  const shared = new Map<string, FieldTraits>();
  const states = sorted.map((entries) => {
    let state = '';
    return entries.map(([field, source]) => {
      const id = `${state}\u0000${field}`;
      const mine = leafTraits(source.items);
      const seen = shared.get(id);
      shared.set(
        id,
        seen ? { numeric: seen.numeric || mine.numeric, address: seen.address || mine.address } : mine,
      );
      state = `${id}\u0001${source.text}`;
      return id;
    });
  });
  const compiled = new Map<string, Leaf>();
  const ignore = (): void => {};
  return sorted.map((entries, b) =>
    entries.map(([field, source], i) => {
      const traits = shared.get(states[b]?.[i] ?? '') ?? leafTraits(source.items);
      const key = `${traits.numeric}${traits.address}${source.text}`;
      let leaf = compiled.get(key);
      if (leaf === undefined) {
        leaf = compileLeaf(source.items, source.location, options, ignore, traits) ?? undefined;
        if (leaf === undefined)
          throw new Error(`a checked leaf failed to compile at ${source.location.join('.')}`);
        compiled.set(key, leaf);
      }
      return { field, leaf };
    }),
  );
}
