// @ts-check
/**
 * Mutation testing with Stryker: `npm run mutate` (not part of `npm test`; slow, minutes per
 * folder). One folder at a time: `npm run mutate -- --mutate 'src/retry/**\/*.ts'`.
 * Reports (clear text on stdout, HTML and JSON) go to reports/mutation/, which git ignores.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Left out of the sandbox. docs-examples type-checks every docs page with the TypeScript
  // compiler on each run (seconds per mutant) and checks the docs, not the behaviour; the
  // built package and the bench are not needed by the remaining tests.
  ignorePatterns: ['dist', 'bench', 'coverage', 'reports', 'test/unit/docs-examples.test.ts'],
  // The barrels only re-export: nothing there to mutate.
  mutate: ['src/**/*.ts', '!src/**/index.ts'],
  // Two cores shared with others: one test process. Raise with --concurrency 2 on a free box.
  concurrency: 1,
  timeoutMS: 10_000,
  // The first run of the whole suite (with per-test coverage) takes minutes on a busy machine.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false, skipFull: true },
  // The issue asks for >= 85%; below 75% the run fails.
  thresholds: { high: 85, low: 75, break: 75 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
