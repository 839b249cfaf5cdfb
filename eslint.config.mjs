// Lint rules that keep the layers apart (see docs/DECISIONS.md, "Layering").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const editorApis = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver-textdocument'];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'test/fixtures/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Tests read JSON responses loosely; the assertions are what check their shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    files: ['src/engine/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: editorApis.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'The engine and CLI never import editor APIs.' })),
        patterns: [
          { group: editorApis, message: 'The engine and CLI never import editor APIs.' },
          { group: ['**/extension/**', '**/server/**', '**/webviews/**'], message: 'The engine and CLI never import editor layers.' },
        ],
      }],
    },
  },
  {
    files: ['src/extension/**/*.ts', 'src/webviews/**/*.ts'],
    rules: restrict(['**/engine/**', '**/engine', '**/cli/**', '**/server/**'], 'The extension and webviews talk to the engine over HTTP and import only src/shared.'),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(['../*', '**/engine/**', '**/extension/**', '**/cli/**', '**/server/**', 'vscode'], 'src/shared holds contracts only and imports nothing.'),
  },
);
