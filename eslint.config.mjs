// Lint configuration for every TypeScript part of the repository.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // k8s/imports/ holds models generated from a CRD: checked by tsc, never hand-formatted.
  { ignores: ['node_modules/**', 'cdk.out/**', 'dist/**', 'coverage/**', 'k8s/imports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through service/src/config.ts or infra/config.',
        },
      ],
    },
  },
  {
    files: ['jest.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The configuration modules are the only readers of the environment.
    files: ['service/src/config.ts', '**/test/**', 'scripts/**', 'bench/**', 'jest.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
