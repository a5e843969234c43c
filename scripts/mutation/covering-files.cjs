/**
 * Preloaded into Stryker's test runner processes (stryker.config.mjs, testRunnerNodeArgs): a mutant runs only the
 * test FILES that hold a test covering it, one file at a time, cheapest first, stopping at the first failure.
 *
 * Why: Stryker's jest runner runs a mutant as one `jest --findRelatedTests <mutated file> -t <covering tests>`, in
 * band and without bail (jest's bail exits the process). Every test file importing the mutated file, however
 * indirectly, is loaded (its module graph evaluated, its beforeAll run) even when none of its tests match: 19
 * files for compiler/verify.ts. And a mutant the first file already kills still runs every other covering file.
 * Here the dry run (the one run without a test name pattern) records which file holds each test and how long the
 * file took; a mutant run then goes through just the files whose tests match its pattern. Every covering test of a
 * surviving mutant still runs, and a killed mutant is killed by a test that failed, as before; only the work after
 * the first failing file is skipped, as Stryker's own bail would (disableBail is off). test/README.md gives the
 * measured speed-up.
 *
 * Plain CommonJS because Node loads it with --require before anything could compile TypeScript.
 */
'use strict';
const Module = require('module');
const fs = require('fs');
const path = require('path');

let jestMain;
try {
  jestMain = require.resolve('jest', { paths: [process.cwd()] });
} catch {
  return; // not a folder with jest: nothing to narrow
}

/**
 * The dry run's tests, for the other runner processes: in the sandbox they share (the path is taken when a run
 * starts because the runner moves into the sandbox after this file is loaded).
 */
const indexPath = () => path.join(process.cwd(), '.stryker-test-files.json');
/** @type {{ tests: [string, string][], fileMs: Record<string, number> } | null} */
let index = null;
const readIndex = () => {
  if (index === null && fs.existsSync(indexPath())) index = JSON.parse(fs.readFileSync(indexPath(), 'utf8'));
  return index;
};
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Two runs' results as one, as if jest had run both sets of files. */
function merge(a, b) {
  if (a === null) return b;
  const r = { ...b.results, testResults: [...a.results.testResults, ...b.results.testResults] };
  for (const key of Object.keys(b.results)) {
    if (key.startsWith('num') && typeof b.results[key] === 'number') r[key] = a.results[key] + b.results[key];
  }
  r.success = a.results.success && b.results.success;
  return { ...b, results: r };
}

function wrap(jest) {
  const runCLI = async (argv, projects) => {
    if (argv.testNamePattern && argv.findRelatedTests && readIndex()) {
      // jest matches -t case-insensitively against a test's full name; so do we.
      const pattern = new RegExp(argv.testNamePattern, 'i');
      const files = [...new Set(index.tests.filter(([name]) => pattern.test(name)).map(([, file]) => file))]
        .sort((x, y) => (index.fileMs[x] ?? 0) - (index.fileMs[y] ?? 0));
      if (files.length > 0) {
        let out = null;
        for (const file of files) {
          out = merge(out, await jest.runCLI({ ...argv, _: [`^${escapeRegExp(file)}$`], findRelatedTests: false }, projects));
          if (out.results.numFailedTests > 0 || out.results.numRuntimeErrorTestSuites > 0) break;
        }
        return out;
      }
    }
    const out = await jest.runCLI(argv, projects);
    // The dry run is the first run without a test name pattern. Later ones (a static mutant, run against every
    // test when ignoreStatic is off) must not replace its index: their timings are a mutant's, not the code's.
    if (!argv.testNamePattern && !readIndex()) {
      const files = out.results.testResults;
      const entries = {
        tests: files.flatMap((file) => file.testResults.map((t) => [t.fullName, file.testFilePath])),
        fileMs: Object.fromEntries(files.map((file) => [file.testFilePath, file.perfStats.end - file.perfStats.start])),
      };
      const tmp = `${indexPath()}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(entries));
      fs.renameSync(tmp, indexPath());
      index = entries;
    }
    return out;
  };
  return new Proxy(jest, { get: (target, key) => (key === 'runCLI' ? runCLI : target[key]) });
}

const load = Module._load;
let wrapped = null;
Module._load = function (request) {
  const loaded = load.apply(this, arguments);
  return request === jestMain ? (wrapped ??= wrap(loaded)) : loaded;
};
