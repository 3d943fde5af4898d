import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'storage/', 'coverage/', 'tests/fixtures/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The recorder page: ES modules run by the browser, no build step.
    files: ['public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly',
        console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly',
        crypto: 'readonly', fetch: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        AbortController: 'readonly', Blob: 'readonly', FormData: 'readonly',
        XMLHttpRequest: 'readonly', MediaRecorder: 'readonly', Audio: 'readonly',
        AudioContext: 'readonly', DOMException: 'readonly', indexedDB: 'readonly',
        Intl: 'readonly',
        history: 'readonly',
        getComputedStyle: 'readonly',
      },
    },
  },
  {
    // Tests read JSON answers whose shape is what they assert.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
