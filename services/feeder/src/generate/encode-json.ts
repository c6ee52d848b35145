const encoder = new TextEncoder();

/** The Kinesis record data: UTF-8 JSON, compact, as EventBridge writes it. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}
