import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    testTimeout: 20_000,
    coverage: { include: ['src/**/*.ts'], reporter: ['text-summary'] },
  },
});
