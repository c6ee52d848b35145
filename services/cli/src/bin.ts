#!/usr/bin/env node
// First, before anything loads kafkajs: see the module for the two internals it replaces.
import '@sarwatch/kafka/kafkajs-hot-path';
import { main } from './main.js';

// kafkajs 2.2.4 (frozen in maintenance) schedules its pending-request check with a negative delay whenever nothing is
// throttled. Node has always run such a timer after 1 ms; Node 24 also prints a TimeoutNegativeWarning for it, which
// would be the only line of noise in an otherwise one-line error. That warning, and only it, is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  if (
    type === 'TimeoutNegativeWarning' ||
    (warning instanceof Error && warning.name === 'TimeoutNegativeWarning')
  )
    return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// Exit explicitly: client libraries can keep sockets and timers alive after the work is done.
process.exit(await main(process.argv.slice(2)));
