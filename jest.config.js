// @swc/jest transpiles without type-checking (tsc --noEmit does that once in `npm test`), which keeps
// the suite about 3x faster than type-checking ts-jest.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 120000,
};
