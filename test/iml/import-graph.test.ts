import { expect } from 'chai';
import { join, resolve } from 'node:path';
import { importCycles, importGraph } from '../helpers/import-graph';

const IML = resolve(__dirname, '..', '..', 'src', 'iml');

describe('the IML engine modules', () => {
  it('import each other without a cycle (codegen no longer imports evaluate)', () => {
    const graph = importGraph(IML);
    expect(graph.get(join(IML, 'codegen.ts'))).to.not.include(join(IML, 'evaluate.ts'));
    expect(importCycles(graph, IML)).to.deep.equal([]);
  });
});
