// Shared Jest setup: SWC compiles TypeScript with decorator metadata (NestJS needs it), and
// `@bosun/<lib>` resolves to the lib's source so tests never depend on a prior build.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      require.resolve('@swc/jest'),
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
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // A service's entry points for other projects' tests and benchmarks (never its src/).
    '^@bosun/([a-z0-9-]+)-service/(testing|bench)$': path.join(
      __dirname,
      'services/$1/$2/index.ts',
    ),
    '^@bosun/([a-z0-9-]+)/bench$': path.join(__dirname, 'libs/$1/bench/index.ts'),
    '^@bosun/([a-z0-9-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Integration tests drive real processes (kubectl, Postgres, runc) on a shared 2-core machine;
  // Jest's 5 s default fails them under load. A ceiling against hangs, never a timing assertion.
  testTimeout: 60_000,
};
