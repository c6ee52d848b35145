// TextDecoder is a WHATWG global in Node and in browsers. It is declared here rather than by pulling in
// @types/node, so that nothing else from Node (and its I/O) can be used in this package by accident.
interface TextDecoder {
  decode(input?: Uint8Array): string;
}
declare const TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};
