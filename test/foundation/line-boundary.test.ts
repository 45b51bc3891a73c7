// backend/src/line/ is the only backend code that talks to LINE: features call its operations and read
// LineApiError, never the SDK's clients or its HTTPFetchError (see DESIGN.md, "Platform adapters").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BACKEND = path.resolve(import.meta.dirname, '../../backend/src');
const ADAPTER = path.join(BACKEND, 'line') + path.sep;

function backendFiles(): string[] {
  return readdirSync(BACKEND, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(BACKEND, file));
}

const outsideAdapter = backendFiles().filter((file) => !file.startsWith(ADAPTER));
const relative = (file: string) => path.relative(BACKEND, file);

describe('the LINE boundary', () => {
  it('finds the backend’s files', () => {
    expect(outsideAdapter.length).toBeGreaterThan(50);
  });

  it('no backend file outside line/ mentions HTTPFetchError', () => {
    expect(outsideAdapter.filter((file) => readFileSync(file, 'utf8').includes('HTTPFetchError')).map(relative)).toEqual([]);
  });

  it('no backend file outside line/ imports @line/bot-sdk', () => {
    const importsSdk = /from\s+['"]@line\/bot-sdk['"]|import\(\s*['"]@line\/bot-sdk['"]/;
    expect(outsideAdapter.filter((file) => importsSdk.test(readFileSync(file, 'utf8'))).map(relative)).toEqual([]);
  });
});
