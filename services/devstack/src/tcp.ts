import { connect } from 'node:net';

export const LOCALHOST = '127.0.0.1';

/** True when something accepts a TCP connection on host:port within the timeout. */
export function isPortOpen(port: number, host = LOCALHOST, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
