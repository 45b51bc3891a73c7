// `npm test` lints the UI extensions with HubSpot's rules (@hubspot/eslint-config-ui-extensions, wired in
// eslint.config.js): code that cannot run in HubSpot's extension sandbox fails CI, not the upload.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './hsmeta.ts';

const eslint = new ESLint({ cwd: PROJECT_ROOT });

async function hubspotRulesBroken(relativePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, relativePath) });
  return result.messages.map((message) => message.ruleId ?? '').filter((rule) => rule.startsWith('@hubspot/ui-extensions/')).sort();
}

const SANDBOX_BREAKER = `
import { Text } from '@hubspot/ui-extensions';
import { helper } from '../shared/helper.ts';
export function Probe() {
  window.alert('hi');
  localStorage.setItem('k', helper());
  void fetch('https://example.com');
  return <div><Text>x</Text></div>;
}
`;

describe('HubSpot UI-extension lint', () => {
  it('flags browser dialogs, browser storage, plain fetch, HTML elements and parent imports in the card and settings code', async () => {
    for (const folder of ['src/app/cards', 'src/app/settings']) {
      expect(await hubspotRulesBroken(`${folder}/Probe.tsx`, SANDBOX_BREAKER)).toEqual(
        expect.arrayContaining([
          '@hubspot/ui-extensions/no-browser-dialogs',
          '@hubspot/ui-extensions/no-browser-storage',
          '@hubspot/ui-extensions/no-html-elements',
          '@hubspot/ui-extensions/no-native-http',
          '@hubspot/ui-extensions/no-parent-imports',
        ]),
      );
    }
  });

  it('leaves the backend alone, which runs on Node', async () => {
    expect(await hubspotRulesBroken('backend/src/probe.ts', "void fetch('https://example.com');\n")).toEqual([]);
  });
});
