import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileIgnoreCase,
  endsWithIgnoringCase,
  equalsIgnoringCase,
  startsWithIgnoringCase,
} from './ignore-case.js';
import { matchesWildcard, parseWildcard } from './wildcard.js';

const wildcardParts = (pattern: string): readonly string[] => {
  const parsed = parseWildcard(pattern);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.parts;
};

describe('wildcard', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'x', false],
    ['a*', 'a', true],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*/lib/*', '/usr/lib/x', true],
    ['*ab*ab*', 'abab', true],
    ['*ab*ab*', 'aba', false],
    ['a\\*b', 'a*b', true],
    ['a\\\\b', 'a\\b', true],
    ['a\\\\*', 'a\\anything', true],
  ])('%j against %j is %s', (pattern, value, expected) => {
    expect(matchesWildcard(wildcardParts(pattern), value)).toBe(expected);
  });

  it('agrees with a regular expression built from the same pattern', () => {
    const piece = fc.constantFrom('a', 'b', '*', '\\*', '\\\\', '.');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }),
        fc.stringMatching(/^[ab*\\.]{0,10}$/),
        (pieces, value) => {
          const pattern = pieces.join('');
          const parsed = parseWildcard(pattern);
          fc.pre(parsed.ok);
          const source = pieces
            .map((p) =>
              p === '*' ? '.*' : p === '\\*' ? '\\*' : p === '\\\\' ? '\\\\' : p === '.' ? '\\.' : p,
            )
            .join('');
          expect(matchesWildcard(wildcardParts(pattern), value)).toBe(
            new RegExp(`^${source}$`, 's').test(value),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('equals-ignore-case, prefix and suffix ignoring case', () => {
  it.each([
    ['alice', 'ALICE', true],
    ['Alice', 'aLiCe', true],
    ['alice', 'alic', false],
    ['', '', true],
    ['straße', 'STRASSE', true], // ß stands for itself or for its upper case, "SS"
    ['STRASSE', 'straße', false], // but "SS" is two letters S
    ['ǅ', 'ǅ', false], // a title-case letter stands for its lower and upper case only
    ['ǅ', 'Ǆ', true],
    ['\u212A', 'k', true], // the Kelvin sign's lower case is k
    ['k', '\u212A', false], // but k's upper case is K
    ['😀x', '😀X', true],
  ])('%j equals %j ignoring case: %s', (pattern, value, expected) => {
    expect(equalsIgnoringCase(compileIgnoreCase(pattern), value)).toBe(expected);
  });

  it.each([
    ['eventb', 'EventBridge', true, false],
    ['tbridge', 'EVENTBRIDGE', false, true],
    ['ß', 'SSx', true, false],
    ['ß', 'xSS', false, true],
    ['x', '', false, false],
  ])('%j within %j: prefix %s, suffix %s', (pattern, value, asPrefix, asSuffix) => {
    const compiled = compileIgnoreCase(pattern);
    expect(startsWithIgnoringCase(compiled, value)).toBe(asPrefix);
    expect(endsWithIgnoringCase(compiled, value)).toBe(asSuffix);
  });

  it('agrees with toLowerCase on ASCII', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/),
        fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/),
        (p, v) => {
          const compiled = compileIgnoreCase(p);
          expect(equalsIgnoringCase(compiled, v)).toBe(p.toLowerCase() === v.toLowerCase());
          expect(startsWithIgnoringCase(compiled, v)).toBe(v.toLowerCase().startsWith(p.toLowerCase()));
          expect(endsWithIgnoringCase(compiled, v)).toBe(v.toLowerCase().endsWith(p.toLowerCase()));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
