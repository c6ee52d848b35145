/** The slice of a logger devstack needs; a pino logger (or a child of one) satisfies it. */
export interface DevstackLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
