import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const READ_CHUNK_BYTES = 64 * 1024;
const MAX_MESSAGE_LENGTH = 300;

/** FILE, or stdin when it is - or absent. */
export async function openInput(file: string | undefined): Promise<Readable> {
  if (file === undefined || file === '-') return process.stdin;
  const handle = await open(file, 'r');
  try {
    if ((await handle.stat()).isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
}

/** Why a FILE cannot be read, in the words of `cannot read FILE: …`. */
export function openFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return oneLine(messageOf(error));
  }
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The input's bytes, gunzipped when they start with gzip's magic number, whatever the file is called. */
export async function* unpacked(input: Readable, counts: { bytesRead: number }): AsyncGenerator<Uint8Array> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  async function* raw() {
    try {
      for (const chunk of head) {
        counts.bytesRead += chunk.length;
        yield chunk;
      }
      for (let next = await source.next(); !next.done; next = await source.next()) {
        counts.bytesRead += next.value.length;
        yield next.value;
      }
    } finally {
      await source.return?.();
    }
  }
  const start = Buffer.concat(head);
  head.splice(0, head.length, start);
  if (start[0] === 0x1f && start[1] === 0x8b) {
    // pipeline hands a failure of either side (a read error, corrupt gzip) to the gunzip stream we iterate.
    yield* pipeline(Readable.from(raw()), createGunzip({ chunkSize: READ_CHUNK_BYTES }), () => {});
  } else {
    yield* raw();
  }
}

/** A message fit for one line of a terminal: no control characters, and not too long. */
export function oneLine(message: string): string {
  const flat = message.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH)}…` : flat;
}
