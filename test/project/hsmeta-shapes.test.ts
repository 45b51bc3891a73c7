// Every *-hsmeta.json of both uploads has the shape HubSpot's 2026.03 sample projects give its type
// (hsmeta-shapes.ts), so a misspelt key, a missing field or a bad uid fails CI instead of the upload.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findHsMetaFiles, readJson, stageUpload } from './hsmeta.ts';
import { hsmetaProblems } from './hsmeta-shapes.ts';

const staged = stageUpload({ withAppEvents: true });
afterAll(() => rmSync(path.dirname(staged), { recursive: true, force: true }));
const files = findHsMetaFiles(staged);

describe('hsmeta shapes (platform version 2026.03)', () => {
  it.each(files.map((file) => [file.relativePath, file] as const))('%s has the shape of its type', (_, file) => {
    expect(file.parseError).toBeUndefined();
    expect(hsmetaProblems(file.content)).toEqual([]);
  });

  const card = () => readJson(path.join(staged, 'app/cards/line-card-hsmeta.json')) as { uid: string; type: string; config: Record<string, unknown> };

  it('catches a misspelt key, a missing required field, a bad uid and a type a marketplace app cannot have', () => {
    const { uid, type, config } = card();
    expect(hsmetaProblems({ uid, type, config: { ...config, objectType: ['contacts'] } })).toEqual([
      expect.stringMatching(/^config: .*objectType/),
    ]);
    const { entrypoint: _, ...withoutEntrypoint } = config;
    expect(hsmetaProblems({ uid, type, config: withoutEntrypoint })).toEqual([expect.stringMatching(/^config\.entrypoint: /)]);
    expect(hsmetaProblems({ uid: 'line card', type, config })).toEqual([expect.stringMatching(/^uid: /)]);
    expect(hsmetaProblems({ uid, type: 'app-function', config })).toEqual(['type: "app-function" is not available to a marketplace OAuth app']);
    expect(hsmetaProblems({ uid, type: 'cards', config })).toEqual(['type: unknown component type "cards"']);
    expect(hsmetaProblems({ uid, type, config, extra: true })).toEqual([expect.stringMatching(/^\(root\): .*extra/)]);
  });
});
