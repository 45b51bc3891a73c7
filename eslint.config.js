// ESLint for the whole repository (backend, UI extensions, tests, bench): TypeScript's recommended rules,
// nothing unused, no import cycles, and HubSpot's own UI-extension rules (the package `hs project lint`
// and HubSpot's sample projects use) for the card and the settings page. Part of `npm test`.
import js from '@eslint/js';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const UI_EXTENSION_FILES = ['src/app/**/*.{js,jsx,ts,tsx}'];

export default tseslint.config(
  { ignores: ['node_modules/', '**/node_modules/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
    },
    settings: { 'import-x/extensions': ['.ts', '.tsx'], 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
  },
  // Packages whose entry loads far more than the backend uses (issue 16, idle memory): their values come in
  // only where said, types from anywhere.
  {
    files: ['backend/src/**/*.ts'],
    ignores: ['backend/src/line/line-sdk.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@line/bot-sdk', allowTypeImports: true, message: 'Import it through line/line-sdk.ts: the build bundles only what that module exports.' },
            { name: 'pg', allowTypeImports: true, message: 'Use the driver Knex loaded (db.client.driver): a SQLite deployment never loads pg.' },
            { name: 'qrcode', allowTypeImports: true, message: 'Load it with import() where a QR code is drawn: few processes ever draw one.' },
          ],
          patterns: [
            { group: ['@hubspot/api-client/lib/codegen/*'], allowTypeImports: true, message: "A value from the client's codegen loads that object's whole API: use hubspot/crm-enum-values.ts." },
          ],
        },
      ],
    },
  },
  // The demo page's scripts run in a browser as they are, with no build step (test/emulators/demo/page).
  {
    files: ['test/emulators/demo/page/*.js'],
    languageOptions: {
      globals: Object.fromEntries(['crypto', 'document', 'fetch', 'FileReader', 'Intl', 'navigator', 'setTimeout'].map((name) => [name, 'readonly'])),
    },
  },
  // HubSpot's package scopes its rules to every file; here they apply to the UI extensions only, which
  // run in HubSpot's sandbox (no DOM, no browser storage, no fetch besides hubspot.fetch, no parent imports).
  ...hubspotUiExtensions.filter((entry) => 'rules' in entry).map((entry) => ({ ...entry, files: UI_EXTENSION_FILES })),
);
