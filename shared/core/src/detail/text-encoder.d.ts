// TextEncoder is a WHATWG global in Node and in browsers; declared here for the same reason as TextDecoder.
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare const TextEncoder: { new (): TextEncoder };
