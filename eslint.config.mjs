// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import boundaries from './tools/lint/kasho-boundaries.js';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'bench/results/', 'tmp/', '**/generated/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { kasho: { rules: { boundaries } } },
    rules: {
      // The demo app starts its throwaway PostgreSQL and Redis with the test harness, on purpose.
      'kasho/boundaries': ['error', { testingApps: ['apps/demo'] }],
      // A rethrow here names the step and repeats the cause's message; pino's err serializer appends the
      // messages of `cause` to the logged message, so attaching it would print that message twice.
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', 'kasho', 'kasho-help', 'pg-change-stream', 'pg-translicator'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**', 'libs/*/test/**'],
    languageOptions: { globals: { ...globals.jest } },
  },
  prettier,
);
