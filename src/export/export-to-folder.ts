import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { AppDefinition } from '../definition/types';
import { DeployTarget, Origin, originFor } from '../deploy/origin';
import { buildMakeTree } from './make-layout';
import type { MakeTree } from './make-tree';
import { writeTree } from './write-tree';

interface PreviousExport {
  generalCodeFiles?: Record<string, string | null>;
  components?: Record<string, Record<string, { codeFiles?: Record<string, string | null> } | null>>;
  origins?: Origin[];
}

/** The code files a makecomapp.json refers to, relative to its folder. */
function referencedFiles(makecomapp: PreviousExport): string[] {
  const components = Object.values(makecomapp.components ?? {}).flatMap((byId) => Object.values(byId ?? {}));
  return [...Object.values(makecomapp.generalCodeFiles ?? {}), ...components.flatMap((component) => Object.values(component?.codeFiles ?? {}))].filter(
    (path): path is string => typeof path === 'string',
  );
}

/**
 * Removes the files an earlier export wrote (those its makecomapp.json refers to) that this one no longer writes,
 * and the folders that leaves empty; anything else in the folder (the API key file, notes) is left alone.
 */
function removeStale(dir: string, previous: PreviousExport, tree: MakeTree): void {
  for (const path of referencedFiles(previous).filter((candidate) => !tree.has(candidate))) {
    const file = resolve(dir, path);
    if (!file.startsWith(resolve(dir) + sep)) continue; // never outside the export folder
    rmSync(file, { force: true });
    for (let folder = dirname(file); folder !== resolve(dir) && existsSync(folder) && readdirSync(folder).length === 0; folder = dirname(folder)) rmdirSync(folder);
  }
}

/**
 * Exports into a folder: keeps the `origins` of a makecomapp.json already there (adding `target`'s, when given,
 * so the extension and `deploy` know where the app goes) and removes the files the earlier export wrote that
 * this one does not. Returns the tree written.
 */
export function exportToFolder(app: AppDefinition, dir: string, target?: DeployTarget): MakeTree {
  const existing = join(dir, 'makecomapp.json');
  const previous = existsSync(existing) ? (JSON.parse(readFileSync(existing, 'utf8')) as PreviousExport) : {};
  const origins = previous.origins ?? [];
  if (target) originFor(origins, target);
  const tree = buildMakeTree(app, origins);
  removeStale(dir, previous, tree);
  writeTree(tree, dir);
  return tree;
}

