import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IML = resolve(__dirname, '..', '..', 'src', 'iml');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? sources(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
}

// Relative imports of a file (type-only imports too: a cycle of types still ties the files together).
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map(([, target]) => {
    const base = resolve(dirname(file), target);
    return statSync(base, { throwIfNoEntry: false })?.isDirectory() ? join(base, 'index.ts') : `${base}.ts`;
  });
}

describe('the IML engine modules', () => {
  it('import each other without a cycle (codegen no longer imports evaluate)', () => {
    const graph = new Map(sources(IML).map((file) => [file, imports(file)]));
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (path.includes(file)) {
        cycles.push([...path.slice(path.indexOf(file)), file].map((step) => relative(IML, step)).join(' → '));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(graph.get(join(IML, 'codegen.ts'))).to.not.include(join(IML, 'evaluate.ts'));
    expect(cycles).to.deep.equal([]);
  });
});
