// Lint: typescript-eslint's recommended rules, plus the boundaries that keep Coffer's shape:
// nothing but the shell and the preload imports electron; pure domain rules import no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.electron-native', 'test-results', 'playwright-report', 'test/.artifacts', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'only main/shell and preload may import electron' }] }],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['main/shell/**', 'preload/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['main/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '**/services/**', '**/api/**', '**/formats/**', 'better-sqlite3', 'kysely', 'node:fs', 'fs', 'electron'],
              message: 'pure rules do no I/O',
            },
          ],
        },
      ],
    },
  },
);
