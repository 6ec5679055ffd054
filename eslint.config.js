import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// shared/ is the pure domain core: no I/O of any kind may enter it (ARCHITECTURE "Packages").
const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'child_process', 'node:child_process', 'dgram', 'node:dgram', 'tls', 'node:tls', 'os', 'node:os',
  'path', 'node:path', 'worker_threads', 'node:worker_threads', 'cluster', 'node:cluster', 'process', 'node:process',
  'typeorm', 'express', 'socket.io', 'socket.io-client', 'react', 'react-dom', 'better-sqlite3', 'pg', 'redis',
  'serialport', 'node-hid', 'node-thermal-printer',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: 'No .only in committed tests.' },
        { selector: "CallExpression[callee.property.name='skip'][callee.object.name=/^(it|test|describe)$/]", message: 'No skipped tests in committed code.' },
      ],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'shared/ is pure: no I/O imports (ARCHITECTURE invariant).' })),
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure: no Node built-ins.' },
            { group: ['@tpv/drivers', '@tpv/drivers/*', '@tpv/terminal', '@tpv/terminal/*', '@tpv/backoffice', '@tpv/backoffice/*', 'typeorm/*', '@socket.io/*'], message: 'shared/ depends on nothing but pure libraries.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'shared/ is pure: inject configuration.' }, { name: 'fetch', message: 'shared/ is pure: no network.' }],
    },
  },
  {
    files: ['drivers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tpv/terminal', '@tpv/terminal/*', '@tpv/backoffice', '@tpv/backoffice/*'], message: 'drivers/ may import shared/ only.' }] }],
    },
  },
  {
    files: ['terminal/**/*.ts', 'terminal/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tpv/backoffice', '@tpv/backoffice/*'], message: 'terminal/ may import shared/ and drivers/ only.' }] }],
    },
  },
  {
    files: ['backoffice/**/*.ts', 'backoffice/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tpv/terminal', '@tpv/terminal/*', '@tpv/drivers', '@tpv/drivers/*'], message: 'backoffice/ may import shared/ only.' }] }],
    },
  },
  {
    // Issue 19: HQ's receipt preview is made by the till's own ESC/POS encoder, decoder and renderer (pure code).
    files: ['backoffice/src/receipts/preview.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tpv/terminal', '@tpv/terminal/*', '@tpv/drivers/adapters/*', '@tpv/drivers/virtual/*'], message: 'the preview may use drivers/escpos only.' }] }],
    },
  },
);
