/**
 * The V8 settings every sarwatch service process starts with: the image's entry point, `sarwatch local`'s
 * enricher, and the bench's, so what is measured is what runs.
 *
 * Node 24 sizes the young generation from the memory it sees: 128 MiB of new space on a 24 GiB host (Node 20
 * took 32 MiB), 2 MiB in a 384 MiB container. A pipeline's garbage is short-lived pages of records, and a
 * 4 MiB semi-space holds one page's worth while a scavenge stays in cache: in a 200,000-event drain (`npm run
 * bench -- --only e2e`), it took the enricher from 127 to about 100 µs of CPU per event and its peak RSS from
 * 537 to about 400 MiB, against 134 µs with 2 MiB and 112 µs with 8 MiB. Set here, it is the same on any host.
 */
export const SARWATCH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
