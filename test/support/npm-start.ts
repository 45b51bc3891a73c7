// The backend as `npm run <script>` starts it: built by backend/build.ts, then run by the `node …` command
// the script ends with, with the Node options written there (e.g. the young-generation size). The start
// tests and the benchmarks use it so that they exercise and measure what an operator runs.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBackend, DEFAULT_OUT_DIR } from '../../backend/build.ts';

export interface NodeCommand {
  /** Options for node itself, before the script. */
  nodeOptions: string[];
  /** The script's absolute path. */
  script: string;
  args: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the backend into `outDir` and answers the `node …` command that package.json's `scripts[name]` ends with, run from there. */
export async function buildForScript(name: string, outDir = DEFAULT_OUT_DIR): Promise<NodeCommand> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = (pkg.scripts[name] ?? '').split('&&').pop()!.trim().split(/\s+/);
  const script = command.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  if (command[0] !== 'node' || script === -1) throw new Error(`package.json script "${name}" does not end with a node command`);
  await buildBackend(outDir);
  return {
    nodeOptions: command.slice(1, script),
    script: join(outDir, relative(relative(root, DEFAULT_OUT_DIR), command[script])),
    args: command.slice(script + 1),
  };
}
