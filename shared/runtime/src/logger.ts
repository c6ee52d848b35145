import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  name: string;
  level: string;
  format: 'json' | 'pretty';
}

/** JSON to stdout for machines; pretty only when a person runs the stack locally. */
export function createLogger({ name, level, format }: LoggerOptions): Logger {
  if (format === 'pretty') {
    return pino({
      name,
      level,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
      },
    });
  }
  return pino({ name, level });
}
