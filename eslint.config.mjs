import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

/** Test code: specs, test/ harnesses, the testing/ entry points services export, benchmarks. */
const TEST_FILES = ['**/*.spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts', '**/bench/**/*.ts'];

/**
 * Dependencies point one way: apps -> services -> libs, never back; libs never import services,
 * and nothing imports an app. A service's production code uses libs only; its tests may also use
 * another service's public test entry point (`@bosun/<service>-service/testing`), which makes the
 * dependency an edge of the Nx graph instead of a waiver.
 */
const boundaries = (serviceTests) => [
  'error',
  {
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:service',
        onlyDependOnLibsWithTags: serviceTests ? ['type:lib', 'type:service'] : ['type:lib'],
      },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      // The bosun command starts services as processes by path (implicit dependencies), and
      // imports only libs; its integration tests use the services' testing entry points.
      {
        sourceTag: 'scope:cli',
        onlyDependOnLibsWithTags: serviceTests ? ['type:lib', 'type:service'] : ['type:lib'],
      },
      // The bench runner imports every benchmark through its project's `bench` entry point.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:service'] },
      // The deployment files' checks read the repository; they import only libs.
      { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: ['type:lib'] },
      // The end-to-end suite drives the built services as processes; it imports only libs.
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'libs/proto/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': boundaries(false),
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': boundaries(true),
    },
  },
);
