// Lint, including the import boundaries of ARCHITECTURE.md:
// shared → nothing; electron/services → never electron; renderer → only shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'http',
  'url',
];

/** What renderer code may not import (its only way out is window.studio). */
const rendererImportRules = [
  {
    group: [...nodeBuiltins, 'electron', 'electron-store'],
    message: 'The renderer talks only to window.studio.',
  },
  { group: ['**/electron/**'], message: 'The renderer imports only shared/.' },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist-web/**',
      'test-results/**',
      '.reports/**',
      'playwright-report/**',
      'bench/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'electron-store', 'react', 'react-dom'],
              message: 'shared/ is pure TypeScript: no Node, DOM or Electron.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron-store', 'electron/*'],
              message:
                'Services run in plain Node: never import electron (use electron/platform adapters via injection).',
            },
            {
              group: ['**/renderer/**', '**/main/**', '**/platform/**'],
              message: 'Services do not depend on the app shell or the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/*.config.ts', 'renderer/vite.shared.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rendererImportRules,
            {
              group: ['**/test-support/**'],
              message: 'renderer/src/test-support/ is for tests (*.test.ts) only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and their support may use test support; the rest of the rule stands.
    files: ['renderer/**/*.test.{ts,tsx}', 'renderer/src/test-support/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: rendererImportRules,
        },
      ],
    },
  },
);
