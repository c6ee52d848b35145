/**
 * Gives a buffer's memory back at once by detaching it, which empties every view of it; dropping the last reference
 * instead waits for a full collection. Only for memory nothing reads any more.
 */
export function freeNow(buffer: ArrayBufferLike): void {
  if (buffer instanceof ArrayBuffer) buffer.transfer(0);
}
