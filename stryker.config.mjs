// Mutation testing with Stryker. `npm run test:mutation` (scripts/mutation.ts) runs it in chunks of files, each
// with this config and its own mutate list, report and incremental file; test/README.md says how to read and
// re-run it. Not part of `npm test`: a full run takes hours on two cores. `npx stryker run` alone uses this file
// as it is (one run over everything, results only at its end).
import { fileURLToPath } from 'url';

/** Folders holding code that tests import, directly or through one another. */
const SOURCE_FOLDERS = ['test', 'bench', 'cli', 'compiler', 'examples', 'format', 'models', 'pipeline', 'report',
  'scripts', 'simulator', 'sweep', 'targets'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Our jest.config.js as it is; for each mutated file, jest --findRelatedTests narrows the tests to those importing it.
  // jest's dependency graph covers only its roots, and jest.config.js's roots are test/ alone (Stryker adds the mutated
  // file's folder): a test reaching simulator/trace.ts through cli/ or pipeline/ was not found (simulator-5 ran no
  // tests at all; simulator/report.ts had 3 related test files instead of 17). Every source folder is a root here.
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: true,
    config: { roots: SOURCE_FOLDERS.map((folder) => `<rootDir>/${folder}`) },
  },
  // Mutants that do not type-check are discarded before any test runs (strict TypeScript makes many).
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  // Left to the checker: tests transpile with @swc/jest, which never type-checks, so the sandbox needs no
  // `// @ts-nocheck` (Stryker's default adds it to source files, and test/simd.test.ts, which compares
  // models/kernels/wasm/simd-bytes.ts with its generated text, failed every models-3 dry run on it).
  disableTypeChecks: false,
  mutate: ['compiler/**/*.ts', 'simulator/**/*.ts', 'models/**/*.ts', '!**/*.d.ts'],
  // Only the tests that cover a mutant run against it,
  coverageAnalysis: 'perTest',
  // and only the test files that hold them (scripts/mutation/covering-files.cjs says why).
  testRunnerNodeArgs: ['--require', fileURLToPath(new URL('./scripts/mutation/covering-files.cjs', import.meta.url))],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // One test process: the machine's other core belongs to training runs.
  concurrency: 1,
  // A mutant times out (and counts as detected) after timeoutFactor x its tests' dry-run time + timeoutMS. Most
  // timeouts are endless loops the hit limit misses; at 20 s + 1.5x they took ~45% of compiler-1/2's run (114 of 490
  // scored mutants). 5 s + 3x: the dry run may have seen an idle machine and a mutant a loaded one (the full suite
  // beside it runs tests 2-2.5x slower), and a test merely slowed by load must not count as a kill.
  timeoutMS: 5000,
  timeoutFactor: 3,
  // The dry run of a chunk whose files nearly every test imports (models/train.ts, models/settings.ts) is the whole
  // suite with coverage: 3.5 min idle, more than Stryker's default 5 min beside other work (models-7 stopped so
  // on 2026-12-04 at load ~12).
  dryRunTimeoutMinutes: 30,
  ignorePatterns: ['neuromap-out', 'sweep-out', 'coverage', 'examples/*/out'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
};
