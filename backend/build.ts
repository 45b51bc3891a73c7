// `npm start` runs the backend as JavaScript, built here into dist/backend/ from backend/src/ in about a
// second. Running the .ts files directly keeps Node's TypeScript stripper (a WebAssembly compiler and its
// 4 MB source) resident for the life of the process: 30 MB of an idle backend's 136 MB (issue 16).
//
// Each file's annotations are blanked out by Node's own stripper (module.stripTypeScriptTypes), so every
// line and column stays where it is in backend/src and stack traces point at the source as written; relative
// imports are renamed from .ts to .js. Nothing else changes, and files that are not TypeScript are copied.
// The exceptions are the facades in BUNDLED_MODULES: each is built as a bundle (rolldown) of just what it
// re-exports from its package, so that the process never loads the rest of that package.
// `node backend/build.ts [outDir]`
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const sourceDir = fileURLToPath(new URL('./src/', import.meta.url));
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../dist/backend/', import.meta.url));

/** `from './x.ts'`, `import './x.ts'` and `import('./x.ts')`: relative module specifiers naming a .ts file. */
const RELATIVE_TS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]*)\.ts\2/g;

/** A module's JavaScript: the same text with its types blanked out and its relative imports naming .js files. */
export function javascriptOf(typescript: string): string {
  return stripTypeScriptTypes(typescript, { mode: 'strip' }).replace(RELATIVE_TS_SPECIFIER, '$1$2$3.js$2');
}

/**
 * Modules of backend/src built as a bundle of what they export, with the code they use from their packages
 * inlined: facades over a package whose entry loads far more than the backend uses.
 */
export const BUNDLED_MODULES = ['line/line-sdk.ts'];

/** Writes `from` (a module re-exporting parts of packages) to `to` as one module holding just those parts. */
async function bundleModule(from: string, to: string): Promise<void> {
  const bundle = await rolldown({
    input: from,
    platform: 'node',
    external: [/^node:/],
    // A warning (an import that cannot be resolved, say) would leave a bundle that fails when it runs.
    onLog(level, log) {
      if (level === 'warn') throw new Error(`bundling ${from}: ${log.message}`);
    },
  });
  try {
    await bundle.write({ file: to, format: 'esm', banner: `// Built by backend/build.ts from backend/src/${from.slice(sourceDir.length)}: what it exports and nothing else of its packages.` });
  } finally {
    await bundle.close();
  }
}

/** Writes the backend's JavaScript into `outDir` (emptied first); answers how many modules it wrote. */
export async function buildBackend(outDir = DEFAULT_OUT_DIR): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  let modules = 0;
  for (const entry of readdirSync(sourceDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = join(entry.parentPath, entry.name);
    const relative = from.slice(sourceDir.length);
    const to = join(outDir, relative.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(to), { recursive: true });
    if (BUNDLED_MODULES.includes(relative.split(sep).join('/'))) {
      await bundleModule(from, to);
      modules++;
    } else if (relative.endsWith('.ts')) {
      writeFileSync(to, javascriptOf(readFileSync(from, 'utf8')));
      modules++;
    } else {
      copyFileSync(from, to);
    }
  }
  return modules;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBackend(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT_DIR);
}
