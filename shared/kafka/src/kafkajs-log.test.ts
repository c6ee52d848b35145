import { Writable } from 'node:stream';
import { type LogEntry, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkajsLogWriter, REPEAT_WINDOW_MS } from './kafkajs-log.js';

/** A writer on a clock the test moves, whose lines land, parsed, in `lines`. */
function writer() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let nowMs = 0;
  const write = kafkajsLogWriter(pino({ level: 'debug' }, sink), () => nowMs);
  const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}): void =>
    write({
      namespace: 'Connection',
      level,
      label: logLevel[level],
      log: { timestamp: new Date(nowMs).toISOString(), logger: 'kafkajs', message, ...extra },
    } satisfies LogEntry);
  return {
    lines,
    entry,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const REFUSED = 'Connection error: connect ECONNREFUSED 127.0.0.1:9092';

describe('kafkajs log lines', () => {
  it('writes a repeated error once per window, and then how many were not written', () => {
    const { lines, entry, advance } = writer();
    for (let i = 0; i < 50; i++) {
      entry(logLevel.ERROR, REFUSED, { broker: '127.0.0.1:9092' });
      advance(100);
    }
    expect(lines.map((line) => line.msg)).toEqual([REFUSED]);
    advance(REPEAT_WINDOW_MS);
    entry(logLevel.ERROR, REFUSED, { broker: '127.0.0.1:9092' });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ msg: REFUSED, repeatedSinceLast: 49, broker: '127.0.0.1:9092' });
    entry(logLevel.ERROR, REFUSED);
    expect(lines).toHaveLength(2);
  });

  it('tells different messages and levels apart, and never holds back debug lines', () => {
    const { lines, entry } = writer();
    entry(logLevel.ERROR, REFUSED);
    entry(logLevel.WARN, REFUSED);
    entry(logLevel.ERROR, 'Failed to connect to seed broker, trying another broker from the list');
    entry(logLevel.ERROR, REFUSED);
    // An expected answer of a starting broker: kafkajs logs it as an error, sarwatch at debug, every time.
    for (let i = 0; i < 3; i++) {
      entry(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', {
        error: 'The group coordinator is not available',
      });
    }
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, REFUSED],
      [40, REFUSED],
      [50, 'Failed to connect to seed broker, trying another broker from the list'],
      [20, 'Response GroupCoordinator(key: 10, version: 2)'],
      [20, 'Response GroupCoordinator(key: 10, version: 2)'],
      [20, 'Response GroupCoordinator(key: 10, version: 2)'],
    ]);
  });

  it('leaves out kafkajs’ stack traces', () => {
    const { lines, entry } = writer();
    entry(logLevel.ERROR, REFUSED, {
      stack: 'Error: connect ECONNREFUSED 127.0.0.1:9092\n    at TCPConnectWrap.afterConnect',
      broker: '127.0.0.1:9092',
    });
    expect(lines[0]).toMatchObject({ msg: REFUSED, broker: '127.0.0.1:9092' });
    expect(lines[0]).not.toHaveProperty('stack');
  });
});
