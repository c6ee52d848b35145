import { defineConfig } from 'vitest/config';

// The harness and the tests run on Node 20, which the SDK supports; its notice about a future floor is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 1 },
          include: ['shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'infra/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One broker and one emulator serve every file; files run one after another so their timings hold.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          // The delivery guarantees again, on the Kafka 3.9 line many Amazon MSK clusters still run.
          name: 'kafka-3',
          include: [
            'test/pipeline.test.ts',
            'test/subscriber.test.ts',
            'test/faults/sigkill.test.ts',
            'test/faults/scale-out.test.ts',
            'test/faults/upstream-duplicates.test.ts',
          ],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
