// ESLint: typescript-eslint's type-checked recommended rules over the code, tests, mocks, bench and examples.
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // .ci/package is compiled in a throwaway app against the packed tarball, .ci/readme-context.d.ts beside the README's
  // code by .ci/strict-types.mjs, the .ci/smoke consumers by tsc against dist/ after the build (lint runs before it, on a
  // clone with no dist/, where their imports have no types); .scratch holds throwaway probes.
  {
    ignores: ['dist/', 'coverage/', '.ci/package/', '.ci/readme-context.d.ts', '.ci/smoke/consumer.*ts', '.scratch/', '.tmp/'],
  },
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An async function without await is how a function that must return a promise turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // node:http and Express take async (req, res) handlers as void listeners; the handlers answer their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // `const { field: _gone, ...rest } = x` is how a copy leaves a field out.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // An AbortSignal's reason (typed any) is passed on as it is, as fetch and node:timers/promises do.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // Messages describe untyped input with String(value); an unknown narrowed past undefined and null is typed {}.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] }],
    },
  },
  {
    files: ['test/**'],
    // Tests read parsed JSON and use vitest's asymmetric matchers (expect.any, stringContaining), which are typed any.
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  // Plain JS (this file, the built-package smoke tests) has no types to check against; CommonJS requires.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], extends: [tseslint.configs.disableTypeChecked] },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
);
