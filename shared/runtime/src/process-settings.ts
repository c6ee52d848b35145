/**
 * The V8 settings every sarwatch service process starts with: the image's entry point, `sarwatch local`'s
 * enricher, and the bench's, so what is measured is what runs. SARWATCH_ALLOCATOR_ENV below goes with them.
 *
 * Young generation. Node 24 sizes it from the memory it sees: 128 MiB of new space on a 24 GiB host (Node 20
 * took 32 MiB), 2 MiB in a 384 MiB container. A pipeline's garbage is short-lived pages of records, and a
 * 4 MiB semi-space holds one page's worth while a scavenge stays in cache: in a 200,000-event drain (`npm run
 * bench -- --only e2e`), it took the enricher from 127 to about 100 µs of CPU per event and its peak RSS from
 * 537 to about 400 MiB, against 134 µs with 2 MiB and 112 µs with 8 MiB. Set here, it is the same on any host.
 *
 * Old generation. V8 starts a full collection once the old generation has grown by a factor over what the last
 * one kept, and picks the factor from the heap limit, which Node derives from the memory it sees: up to 4 on a
 * 24 GiB host, 1.3 in a 384 MiB container. Neither suits a process whose live heap is 30-50 MiB. On the large host
 * the heap, and the buffers that wait for the same collection, took a drain's peak RSS to 262-290 MiB; in a 384 MiB
 * memory cgroup the collections came so often that an event cost 88 µs of CPU. With the factor fixed at 2.25, the
 * same drain took 49-51 µs and 234-242 MiB on the host, and 57 µs and 241 MiB in the cgroup, whose overload then
 * peaked at 240 MiB charged of its 384. Factors of 2 and 2.5 gave 54-56 µs and 229-231 MiB, 48-50 µs and 237-246
 * MiB. Once a page's GetRecords body no longer went to the old generation, full collections came less than half as
 * often (19 in `--only e2e` with --trace-gc, against 43), and 1.75 took the overload's peak from 257-262 to
 * 240-246 MiB (`--only overload`, interleaved) for 31 full collections and 0.6 s more of their time on the main
 * thread in that drain. V8 still lets the heap grow at most halfway to its limit at once, so a container's limit
 * bounds it as before.
 */
export const SARWATCH_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--heap-growing-percent=75',
];

/**
 * glibc's allocator settings, for the same processes as SARWATCH_NODE_FLAGS (the image sets them as ENV). Read by
 * glibc when a process starts, so they cannot be set from within it.
 *
 * A pipeline frees buffers of a few megabytes many times a second: a page's GetRecords body and data, a produce
 * request. glibc maps such a buffer on its own and unmaps it when freed, but raises its threshold for doing so to
 * the size of each one freed, so that soon after start they come from its heap instead, where freed memory stays
 * with the process. With the threshold fixed, the freed memory leaves at once. A drain's peak RSS varied from 203
 * (`npm run bench -- --only e2e`) to 266 MiB (`--only e2e,overload,outage`) between two runs of the same build;
 * fixed, the second run's figures were 198 MiB, and 257 against 292 MiB in the overload, at 2.5 µs more CPU per
 * event for the mapping. Two arenas rather than eight per core keep the allocations of V8's and libuv's threads from
 * holding memory of their own.
 */
export const SARWATCH_ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_ARENA_MAX: '2',
};
