import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MakeTree } from './make-tree';

/** Writes an exported tree under `dir`, creating folders as needed. */
export function writeTree(tree: MakeTree, dir: string): void {
  for (const [path, text] of tree) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
