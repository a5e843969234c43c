// @swc/jest transpiles without type-checking (tsc --noEmit does that once in `npm test`), which keeps
// the suite about 3x faster than type-checking ts-jest.
module.exports = {
  // One realm for typed arrays (msgpackr must recognise a test's Float32Array): see test/fixtures/node-environment.js.
  // An absolute path rather than <rootDir>: Stryker's jest runner requires the environment by this string as it is.
  testEnvironment: require('path').join(__dirname, 'test/fixtures/node-environment.js'),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 120000,
  // NEUROMAP_PROGRESS=off: no progress output in the suite's log (test/fixtures/quiet-progress.js).
  setupFiles: ['<rootDir>/test/fixtures/quiet-progress.js'],
};
