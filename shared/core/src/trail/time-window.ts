/** A half-open span of time, [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/** `90s`, `15m`, `1h`, `2d`, or a sum such as `1h30m`; null when the text is none of these. */
export function parseDuration(text: string): number | null {
  const match = /^(?:\d+[smhd])+$/.test(text) ? text.matchAll(/(\d+)([smhd])/g) : null;
  if (match === null) return null;
  let total = 0;
  for (const [, amount, unit] of match) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total > 0 ? total : null;
}

/** `1h30m` for 5,400,000: the shortest text parseDuration reads back as the same length. */
export function formatDuration(ms: number): string {
  let rest = ms;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_MS).reverse()) {
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text === '' ? '0s' : text;
}

/** An ISO 8601 time with a zone (`Z` or an offset), as operators write them; null for anything else. */
export function parseIsoTime(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return null;
  const time = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(time.getTime()) ? null : time;
}

/**
 * The window cut at UTC midnights: each day's slice is handled alone, so what is held in memory is one day's
 * events, whatever the window's length.
 */
export function daySlices(window: TimeWindow): TimeWindow[] {
  const slices: TimeWindow[] = [];
  let from = window.from.getTime();
  const end = window.to.getTime();
  while (from < end) {
    const nextMidnight = (Math.floor(from / DAY_MS) + 1) * DAY_MS;
    const to = Math.min(nextMidnight, end);
    slices.push({ from: new Date(from), to: new Date(to) });
    from = to;
  }
  return slices;
}

export const inWindow = (window: TimeWindow, timeMs: number): boolean =>
  timeMs >= window.from.getTime() && timeMs < window.to.getTime();

/**
 * The windows of `every` length, aligned to multiples of it since the epoch, that end at or before `now - settle`
 * and after `after`: the ones a continuous reconciliation has still to judge, oldest first. At most `limit` of them,
 * so that after a long pause it catches up step by step.
 */
export function settledWindows(options: {
  every: number;
  settle: number;
  now: Date;
  after: Date;
  limit: number;
}): TimeWindow[] {
  const { every, settle, now, after, limit } = options;
  const lastEnd = Math.floor((now.getTime() - settle) / every) * every;
  let from = Math.ceil(after.getTime() / every) * every;
  const windows: TimeWindow[] = [];
  while (from + every <= lastEnd && windows.length < limit) {
    windows.push({ from: new Date(from), to: new Date(from + every) });
    from += every;
  }
  return windows;
}
