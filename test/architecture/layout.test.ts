import { expect } from 'chai';
import { relative, resolve, sep } from 'node:path';
import { importCycles, importGraph } from '../helpers/import-graph';

const SRC = resolve(__dirname, '..', '..', 'src');
const RUNTIME = resolve(SRC, 'runtime');

// The runtime's stages, in the order an event goes through them. A stage may import the shared rooms beside it
// (store, drift, search, the runtime's root files) and the stages before it; never one after it.
const STAGES = ['intake', 'processing', 'delivery', 'api'];

function stageOf(file: string): string | undefined {
  const [first, second] = relative(RUNTIME, file).split(sep);
  return second === undefined ? undefined : first;
}

describe('the source layout', () => {
  const graph = importGraph(SRC);

  it('has no import cycle anywhere in src/', () => {
    expect(importCycles(graph, SRC)).to.deep.equal([]);
  });

  it('lays the runtime out by stage: each imports only stages before it, and the store imports no stage', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      if (!file.startsWith(RUNTIME + sep)) continue;
      const from = stageOf(file);
      for (const target of targets.filter((candidate) => candidate.startsWith(RUNTIME + sep))) {
        const to = stageOf(target);
        if (!to || !STAGES.includes(to) || to === from) continue;
        const allowed = from !== undefined && STAGES.includes(from) && STAGES.indexOf(to) < STAGES.indexOf(from);
        if (!allowed) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    // server.ts, at the runtime's root, wires the stages together: the one file that may import them all.
    expect(wrong.filter((line) => !line.startsWith(`runtime${sep}server.ts`))).to.deep.equal([]);
  });
});
