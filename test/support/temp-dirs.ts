// Temporary directories for one test file, removed when its tests are done: left behind, every run of the
// suite added its directories to the temp directory. The suite runs files in shared workers (isolate: false),
// so a hook registered once, when this module is first imported, would only clean up that first file:
// each file calls tempDirs() at its top level, which registers its own afterAll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Call at a test file's top level: answers a maker of new empty temp directories, removed after the file's tests. */
export function tempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
