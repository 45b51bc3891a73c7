// backend/build.ts turns each backend module into JavaScript without moving anything: types are blanked
// out in place (same lines, same columns) and relative imports of .ts files name .js files.
import { describe, expect, it } from 'vitest';
import { javascriptOf } from '../../backend/build.ts';

describe('the backend build', () => {
  it('blanks out types in place and renames relative .ts imports, static, side-effect and dynamic', () => {
    const source = [
      "import { a, type B } from './a.ts';",
      "import type { C } from '../c.ts';",
      "import './side-effect.ts';",
      'export {',
      '  d,',
      "} from './d/index.ts';",
      "import express from 'express';",
      "const { e } = await import('./e.ts');",
      "const label: string = 'see ./not-an-import.ts';",
      'export function f(x: number): B | C { return a(x) as B; }',
    ].join('\n');
    const js = javascriptOf(source);
    const lines = js.split('\n');
    expect(lines).toHaveLength(source.split('\n').length);
    expect(lines[0]).toMatch(/^import \{ a,\s+\} from '\.\/a\.js';$/);
    expect(lines[1].trim()).toBe('');
    expect(lines[2]).toBe("import './side-effect.js';");
    expect(lines[5]).toBe("} from './d/index.js';");
    expect(lines[6]).toBe("import express from 'express';");
    expect(lines[7]).toBe("const { e } = await import('./e.js');");
    expect(lines[8]).toMatch(/^const label\s+= 'see \.\/not-an-import\.ts';$/);
    // Same column for the function's body as in the source.
    expect(lines[9].indexOf('return a(x)')).toBe(source.split('\n')[9].indexOf('return a(x)'));
  });
});
