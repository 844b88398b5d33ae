// Lint rules, including the import arrows of ARCHITECTURE.md ("what may import what").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const ONLY = { bullmq: 'jobs/ is the only bullmq importer', mongoose: 'store/mongo is the only mongoose importer' };
const PURE = ['express', 'bullmq', 'mongoose', 'ioredis', 'axios'];

function restrictedPackages() {
  const rule = (names, why) => ({ 'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message: why(name) })) }] });
  const pure = ['src/civic/**/*.ts', 'src/conversation/**/*.ts', 'src/shared/**/*.ts'];
  return [
    { files: ['src/**/*.ts'], ignores: ['src/jobs/**', 'src/store/mongo/**', ...pure], rules: rule(['bullmq', 'mongoose'], (n) => ONLY[n]) },
    { files: ['src/jobs/**/*.ts'], rules: rule(['mongoose'], (n) => ONLY[n]) },
    { files: ['src/store/mongo/**/*.ts'], rules: rule(['bullmq'], (n) => ONLY[n]) },
    { files: pure, rules: rule(PURE, () => 'pure layers do no I/O') },
  ];
}

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'var/**', 'artifacts/**', 'src/admin/ui/**'] },
  js.configs.recommended,
  { files: ['*.js', '*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/shared', './src', 'shared/ is a leaf: it imports nothing of ours', ['./shared']),
            zone('./src/channels/types.ts', './src/!(shared)/**', 'channels/types may import shared only'),
            zone('./src/conversation', './src/civic', 'conversation and civic never import each other'),
            zone('./src/conversation', './src/jobs', 'conversation is pure: no jobs'),
            zone('./src/conversation', './src/store', 'conversation is pure: no store'),
            zone('./src/conversation', './src/channels/messenger', 'conversation sees only channels/types'),
            zone('./src/conversation', './src/channels/zalo', 'conversation sees only channels/types'),
            zone('./src/civic', './src/conversation', 'conversation and civic never import each other'),
            zone('./src/civic', './src/jobs', 'civic never imports jobs'),
            zone('./src/civic', './src/channels', 'civic never imports channels'),
            zone('./src/civic', './src/i18n.ts', 'civic reads no file: the translator is given (civic/words.ts useWords)'),
            zone('./src/civic', './src/paths.ts', 'civic reads no file: the translator is given (civic/words.ts useWords)'),
            zone('./src/civic', './src/store/memory', 'civic uses store ports only'),
            zone('./src/civic', './src/store/mongo', 'civic uses store ports only'),
            zone('./src/channels', './src/jobs', 'channels never import jobs'),
            zone('./src/channels', './src/conversation', 'channels never import conversation'),
            zone('./src/channels', './src/civic', 'channels never import civic'),
            zone('./src/channels', './src/store/memory', 'channels use store ports only'),
            zone('./src/channels', './src/store/mongo', 'channels use store ports only'),
            zone('./src/channels/messenger', './src/channels/zalo', 'one platform never imports another'),
            zone('./src/channels/zalo', './src/channels/messenger', 'one platform never imports another'),
            zone('./src/store/ports', './src/store/memory', 'ports are interfaces only'),
            zone('./src/store/ports', './src/store/mongo', 'ports are interfaces only'),
            zone('./src/store/memory', './src/store/mongo', 'adapters are independent'),
            zone('./src/store/mongo', './src/store/memory', 'adapters are independent'),
            zone('./src/jobs', './src/store/memory', 'only main/server choose adapters'),
            zone('./src/jobs', './src/store/mongo', 'only main/server choose adapters'),
            zone('./src/admin', './src/jobs', 'admin never imports jobs'),
            zone('./src/admin', './src/store/memory', 'only main/server choose adapters'),
            zone('./src/admin', './src/store/mongo', 'only main/server choose adapters'),
          ],
        },
      ],
      'no-restricted-imports': ['error', { paths: [] }],
    },
  },
  // One no-restricted-imports setting per group of files: in a flat config a later block replaces
  // an earlier block's setting for the same rule, so each group lists everything it may not import.
  ...restrictedPackages(),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'settings come from config.ts only' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
