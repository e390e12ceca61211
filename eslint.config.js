// Lint: typescript-eslint and Vue rules, plus the layer rules of Cadenza's architecture, so that what
// each folder may import is enforced by the tools rather than remembered.
import js from '@eslint/js'
import { builtinModules } from 'node:module'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]
const layer = (name) => ({
  regex: `(^|/)(src/)?${name}(/|$)`,
  message: `this layer may not import src/${name}`,
})
const packages = (names, why) => names.map((name) => ({ group: [name, `${name}/*`], message: why }))

/** Each folder's forbidden imports (architecture.md, "Layers"). */
function restrict({ builtins = false, modules = [], layers = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        ...(builtins && {
          paths: nodeBuiltins.map((name) => ({ name, message: 'no Node built-ins in this layer' })),
        }),
        patterns: [...modules, ...layers.map(layer)],
      },
    ],
  }
}

const electron = packages(['electron'], 'only src/main and src/preload talk to Electron')
const tensorflow = packages(['@tensorflow'], 'TensorFlow.js runs in the engine only')
const browserOnly = packages(
  ['vue', 'pinia', 'tone', 'webmidi'],
  'UI and audio libraries belong to the renderer',
)

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // Prettier lays out templates; these rules of the Vue preset would fight it.
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    // Tests of shared code run in Node and may read the corpus from disk.
    rules: restrict({
      builtins: true,
      modules: [...electron, ...tensorflow, ...browserOnly],
      layers: ['engine', 'main', 'preload', 'renderer', 'cli'],
    }),
  },
  {
    files: ['src/shared/**/*.test.ts'],
    rules: restrict({
      modules: [...electron, ...tensorflow, ...browserOnly],
      layers: ['engine', 'main', 'preload', 'renderer', 'cli'],
    }),
  },
  {
    files: ['src/engine/**'],
    rules: restrict({
      modules: [...electron, ...browserOnly],
      layers: ['main', 'preload', 'renderer', 'cli'],
    }),
  },
  {
    files: ['src/main/**'],
    rules: restrict({
      modules: [
        ...tensorflow,
        ...browserOnly,
        // Main knows the engine only as the path of its bundle, for utilityProcess.fork: electron-vite's
        // `?modulePath` import of the engine's entry builds that bundle and gives its path.
        {
          regex: '(^|/)(src/)?engine(/|$)(?!process/engineEntry\\?modulePath$)',
          message: 'src/main may import the engine only as ../engine/process/engineEntry?modulePath',
        },
      ],
      layers: ['preload', 'renderer', 'cli'],
    }),
  },
  {
    files: ['src/preload/**'],
    rules: restrict({
      builtins: true,
      modules: [...tensorflow, ...browserOnly],
      layers: ['engine', 'main', 'renderer', 'cli'],
    }),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict({
      builtins: true,
      modules: [...electron, ...tensorflow],
      layers: ['engine', 'main', 'preload', 'cli'],
    }),
  },
  {
    files: ['src/cli/**'],
    rules: restrict({ modules: [...electron, ...browserOnly], layers: ['main', 'preload', 'renderer'] }),
  },
)
