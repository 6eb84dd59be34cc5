import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every TypeScript file under `dir`. */
export function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? sources(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
}

/** The files a file imports by relative path (type-only imports too: a cycle of types still ties the files together). */
export function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map(([, target]) => {
    const base = resolve(dirname(file), target);
    return statSync(base, { throwIfNoEntry: false })?.isDirectory() ? join(base, 'index.ts') : `${base}.ts`;
  });
}

/** The import graph of every file under `dir`. */
export function importGraph(dir: string): Map<string, string[]> {
  return new Map(sources(dir).map((file) => [file, imports(file)]));
}

/** Every import cycle in a graph, each written `a → b → a` relative to `root`. */
export function importCycles(graph: Map<string, string[]>, root: string): string[] {
  const cycles = new Set<string>();
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) {
      cycles.add([...path.slice(at), file].map((step) => relative(root, step)).join(' → '));
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return [...cycles];
}
