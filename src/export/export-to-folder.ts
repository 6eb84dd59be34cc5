import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDefinition } from '../definition/types';
import { buildMakeTree, MakeTree } from './make-layout';
import { writeTree } from './write-tree';

/** Exports into a folder, keeping the `origins` of a makecomapp.json already there; returns the tree written. */
export function exportToFolder(app: AppDefinition, dir: string): MakeTree {
  const existing = join(dir, 'makecomapp.json');
  const origins = existsSync(existing) ? ((JSON.parse(readFileSync(existing, 'utf8')) as { origins?: unknown[] }).origins ?? []) : [];
  const tree = buildMakeTree(app, origins);
  writeTree(tree, dir);
  return tree;
}
