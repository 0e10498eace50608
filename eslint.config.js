import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error'],
    },
  },
  { files: ['src/cli/**', 'test/**', 'bench/**'], rules: { 'no-console': 'off' } },
  // a readable core: small functions, few positional parameters (an options object counts as one)
  { files: ['src/**/*.ts'], rules: { complexity: ['error', 15], 'max-params': ['error', 4] } },
);
