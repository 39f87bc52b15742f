// Lint: typescript-eslint's recommended rules, plus the boundaries that keep Coffer's shape:
// nothing but the shell and the preload imports electron; pure domain rules import no I/O; and, with
// the types, no promise left floating (a write not awaited would run outside its transaction).
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
    files: ['{main,preload,test,bench}/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // an async handler on a React attribute is how forms submit; elsewhere a promise where void is expected is a bug
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
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
  {
    // The books' writer connection is read only inside a write transaction: a job's or a control's read
    // made beside an import's open transaction would see rows a cancel removes (issue 14 §1).
    files: ['main/api/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression:not([callee.name=/^(inWriteTx|booksFile|booksReadOnly|inReadSnapshot|inOwnSnapshot|passwordMatches|exportAndMarkInvoices)$/]) > MemberExpression.arguments[property.name='books']:matches([object.name=/^(ctx|api)$/], [object.property.name='api'])",
          message:
            'read the books through ctx.snapshot or inReadSnapshot (one committed state); ctx.books and api.books are for inWriteTx and what needs the file',
        },
      ],
    },
  },
);
