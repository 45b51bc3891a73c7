// The benchmarks start the backend the way `npm run <script>` does: the Node options written in that
// package.json script (e.g. the young-generation size) are part of what is measured.
import { readFileSync } from 'node:fs';

/** The options between `node` and the script file in package.json's `scripts[name]`. */
export function nodeOptionsOfScript(name: string): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts[name] ?? '').split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json script "${name}" does not start with node`);
  const script = words.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  return words.slice(1, script === -1 ? undefined : script);
}
