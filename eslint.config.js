// ESLint (flat config) with typescript-eslint; formatting is Prettier's job (see .prettierrc.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-dev/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', 'prof/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Late-bound references read by closures before assignment (supervisor, watcher) stay `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The sandbox and the benchmarks talk to a terminal; tests may print diagnostics.
    files: ['src/sandbox/**', 'src/app/sandbox.ts', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
