// ESLint flat config: typescript-eslint's recommended rules on every TypeScript file, switches
// over unions checked for exhaustiveness (with type information), and the folder rules that
// keep the direction of data: protocol imports nothing of ours; core imports only protocol
// (and no Node or VS Code); the engine never imports the CLI, the extension or the webview;
// the webview imports only protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns forbidding the given folders of src/ (and webview/). */
function forbid(message, ...groups) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: groups.flat(), message }] }],
  };
}

const NODE_AND_EDITOR = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'vscode'];

export default tseslint.config(
  {
    ignores: [
      'scratch/**',
      'wasm/**',
      'dist/**',
      'out/**',
      'node_modules/**',
      'test-results/**',
      '.vscode-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: forbid(
      'src/protocol stands alone: it imports nothing of the project.',
      ['**/core/**', '**/engine/**', '**/cli/**', '**/extension/**', '**/webview/**'],
      ['**/schemas/**'],
      NODE_AND_EDITOR,
    ),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: forbid(
      'src/core is pure: it imports only src/protocol (no Node, no VS Code, no engine).',
      ['**/engine/**', '**/cli/**', '**/extension/**', '**/webview/**'],
      NODE_AND_EDITOR,
    ),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: forbid('src/engine never imports the CLI, the extension or the webview.', [
      '**/cli/**',
      '**/extension/**',
      '**/webview/**',
      'vscode',
    ]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: forbid('src/cli goes through the engine and the protocol.', [
      '**/core/**',
      '**/extension/**',
      '**/webview/**',
      'vscode',
    ]),
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: forbid('src/extension goes through the engine and the protocol.', [
      '**/core/**',
      '**/cli/**',
      '**/webview/**',
    ]),
  },
  {
    files: ['webview/**/*.ts'],
    rules: forbid(
      'The webview sees only src/protocol.',
      ['**/src/core/**', '**/src/engine/**', '**/src/cli/**', '**/src/extension/**'],
      NODE_AND_EDITOR,
    ),
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);
