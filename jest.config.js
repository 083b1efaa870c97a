/** Unit specs beside the code, e2e and security suites under test/. */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  // the fault suite (real server processes, a private PostgreSQL) runs only via `npm run test:faults`,
  // the operator kit (release, migration CLI, backup, seed: the built dist/) via `npm run test:ops`,
  // the dashboard in a real Chromium via `npm run test:browser`
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/', '/test/ops/', '/test/browser/'],
  testTimeout: 60000,
};
