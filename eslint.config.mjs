// ESLint flat config: typescript-eslint's recommended rules on every TypeScript file, switches
// over unions checked for exhaustiveness (with type information), and the folder rules that
// keep the direction of data: protocol imports nothing of ours; core imports only protocol
// (and no Node or VS Code), and its folders import only those below them (CORE_LAYERS); the
// engine never imports the CLI, the extension or the webview; the webview imports only
// protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns forbidding the given folders of src/ (and webview/). */
function forbid(message, ...groups) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: groups.flat(), message }] }],
  };
}

const NODE_AND_EDITOR = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'vscode'];
const OUTSIDE_CORE = ['**/engine/**', '**/cli/**', '**/extension/**', '**/webview/**'];

/**
 * The folders of src/core and what each may use, lowest first: a folder imports only those
 * below it, so no two of them import each other. `vocabulary` (the resolved file's types and
 * the names of its choices) and `rng` sit under all of them.
 */
const CORE_LAYERS = {
  kernels: [],
  linalg: ['kernels', 'rng'],
  data: ['vocabulary', 'rng'],
  model: ['vocabulary', 'rng', 'kernels', 'linalg', 'data'],
  optim: ['vocabulary', 'rng', 'linalg', 'model'],
  analysis: ['vocabulary', 'rng', 'linalg', 'model', 'data'],
  lossfile: ['vocabulary', 'rng', 'data', 'model', 'optim', 'analysis'],
};
const CORE_PARTS = [...Object.keys(CORE_LAYERS), 'vocabulary', 'rng'];
const corePattern = (part) =>
  part === 'vocabulary' || part === 'rng' ? `**/${part}` : `**/${part}/**`;

/** The rule of one folder of src/core: core's own, and none of the folders above it. */
function coreLayer(folder, allowed) {
  const above = CORE_PARTS.filter((part) => part !== folder && !allowed.includes(part));
  return {
    files: [`src/core/${folder}/**/*.ts`],
    rules: forbid(
      `src/core/${folder} may use ${allowed.length ? allowed.join(', ') : 'nothing else'} of src/core (the layers in eslint.config.mjs), src/protocol, and no Node or VS Code.`,
      OUTSIDE_CORE,
      NODE_AND_EDITOR,
      above.map(corePattern),
    ),
  };
}

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
      OUTSIDE_CORE,
      NODE_AND_EDITOR,
    ),
  },
  ...Object.entries(CORE_LAYERS).map(([folder, allowed]) => coreLayer(folder, allowed)),
  {
    files: ['src/core/vocabulary.ts', 'src/core/rng.ts'],
    rules: forbid(
      'src/core/vocabulary.ts and rng.ts are the bottom of src/core: they import nothing of it.',
      OUTSIDE_CORE,
      NODE_AND_EDITOR,
      ['./**'],
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
