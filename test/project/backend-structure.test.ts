// The backend's shape, checked on every run: imports point inward only. Platform adapters (line/, hubspot/)
// and the core (db/, jobs/, http/, crypto/, observability/) never import a feature; no two folders import
// each other's code at run time, directly or round a loop; and no file imports itself round a loop. A change
// that breaks one of these fails here with the path of imports that closes the loop.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../backend/src');
const CORE = ['db', 'jobs', 'http', 'crypto', 'observability'];
const ADAPTERS = ['line', 'hubspot'];

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => ({
    from: relative(ROOT, file),
    to: relative(ROOT, resolve(dirname(file), m[2])),
    typeOnly: Boolean(m[1]),
  }));
}

const imports = sourceFiles(ROOT).flatMap(importsOf);
/** Top folder of a file; files at the top level are each a node of their own (composition, context, config). */
const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : file);
const features = new Set(readdirSync(ROOT).filter((name) => statSync(join(ROOT, name)).isDirectory() && ![...CORE, ...ADAPTERS].includes(name)));

/** One cycle of the graph, as the list of nodes that closes it, or undefined. */
function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  function visit(node: string): string[] | undefined {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  }
  for (const node of edges.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

function graph(list: Import[], node: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const i of list) {
    const [a, b] = [node(i.from), node(i.to)];
    if (a === b) continue;
    edges.set(a, (edges.get(a) ?? new Set()).add(b));
  }
  return edges;
}

describe('backend structure', () => {
  it('finds the imports it checks (the parser still reads the tree)', () => {
    expect(imports.length).toBeGreaterThan(300);
    expect(features).toContain('inbound');
  });

  it('platform adapters and the core import no feature folder', () => {
    const reaching = imports.filter((i) => [...CORE, ...ADAPTERS].includes(folderOf(i.from)) && features.has(folderOf(i.to)));
    expect(reaching.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  // Type-only imports are left out: they vanish at run time, and the context type necessarily names
  // services (the queue) whose own types name the context.
  const runtime = imports.filter((i) => !i.typeOnly);

  it('no two folders depend on each other, directly or round a loop', () => {
    expect(findCycle(graph(runtime, folderOf))?.join(' -> ')).toBeUndefined();
  });

  it('no file imports itself round a loop', () => {
    expect(findCycle(graph(runtime, (file) => file))?.join(' -> ')).toBeUndefined();
  });
});
