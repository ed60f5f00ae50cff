/** Three tiers: unit specs beside the code, integration specs of a lib against real PostgreSQL/Redis,
 *  end-to-end specs that boot the built apps. `npm test` builds first, then runs all three.
 *  Integration and e2e hooks start and stop real clusters: they get 60 s, not jest's 5 s. Jest reads
 *  `testTimeout` from the top-level config only (a project's own is ignored), so it is set there. */
const moduleNameMapper = {
  // A deep entry point declared in tsconfig.json `paths` (e.g. @kasho/testing/transforms) lies under the lib's src.
  '^@kasho/([^/]+)/(.+)$': '<rootDir>/libs/$1/src/$2',
  '^@kasho/([^/]+)$': '<rootDir>/libs/$1/src',
};
const base = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  testEnvironment: 'node',
  moduleNameMapper,
};
module.exports = {
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench,tools}/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
