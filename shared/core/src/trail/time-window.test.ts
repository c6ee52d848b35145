import { describe, expect, it } from 'vitest';
import { daySlices, formatDuration, parseDuration, parseIsoTime, settledWindows } from './time-window.js';

const at = (text: string) => new Date(text);

describe('durations', () => {
  it('reads units and sums, and refuses anything else', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    for (const bad of ['', '10', 'h', '1x', '-1h', '0m', '1h 30m']) expect(parseDuration(bad)).toBeNull();
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(parseDuration('1d2h3m4s') ?? 0)).toBe('1d2h3m4s');
  });
});

describe('parseIsoTime', () => {
  it('takes dates and times with a zone, not local times', () => {
    expect(parseIsoTime('2026-12-01')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseIsoTime('2026-12-01T10:00:00+02:00')?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(parseIsoTime('2026-12-01T10:00Z')?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    for (const bad of ['2026-12-01T10:00:00', 'yesterday', '2026-13-01', ''])
      expect(parseIsoTime(bad)).toBeNull();
  });
});

describe('daySlices', () => {
  it('cuts a window at UTC midnights', () => {
    const slices = daySlices({ from: at('2026-12-01T22:00:00Z'), to: at('2026-12-03T01:00:00Z') });
    expect(slices.map(({ from, to }) => [from.toISOString(), to.toISOString()])).toEqual([
      ['2026-12-01T22:00:00.000Z', '2026-12-02T00:00:00.000Z'],
      ['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
      ['2026-12-03T00:00:00.000Z', '2026-12-03T01:00:00.000Z'],
    ]);
    expect(daySlices({ from: at('2026-12-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') })).toEqual([]);
  });
});

describe('settledWindows', () => {
  it('gives the aligned windows that have settled since the last one judged, oldest first, at most limit', () => {
    const hour = 3_600_000;
    const windows = settledWindows({
      every: hour,
      settle: 30 * 60_000,
      now: at('2026-12-05T12:20:00Z'),
      after: at('2026-12-05T08:00:00Z'),
      limit: 10,
    });
    expect(windows.map(({ from }) => from.toISOString().slice(11, 16))).toEqual(['08:00', '09:00', '10:00']);
    expect(
      settledWindows({
        every: hour,
        settle: 0,
        now: at('2026-12-05T12:00:00Z'),
        after: at('2026-12-05T00:00:00Z'),
        limit: 2,
      }),
    ).toHaveLength(2);
  });
});
