import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { didYouMean } from '../definition/parameter-check';
import type { AppDefinition } from '../definition/types';
import { CliIo, ExitCode } from './io';

/** "unknown module 'x'. Did you mean 'y'? Modules: a, b": the name, the nearest one, and every one. */
export function unknownModuleMessage(app: AppDefinition, name: string): string {
  const names = app.modules.map((module) => module.name);
  const guess = didYouMean(name, names);
  return `unknown module '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Modules: ${names.join(', ')}`;
}

/** Why a file cannot be read, naming the file and the folder it was looked for in. */
export function unreadableFileMessage(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = dirname(resolve(file));
  if (code === 'ENOENT') return existsSync(folder) ? `cannot read ${file}: there is no such file in ${folder}` : `cannot read ${file}: there is no folder ${folder}`;
  if (code === 'EISDIR') return `cannot read ${file}: it is a folder, not a file`;
  if (code === 'EACCES') return `cannot read ${file}: no permission to read it (in ${folder})`;
  return `cannot read ${file}: ${(error as Error).message}`;
}

/** The text of a file the user named, or the reason it cannot be read on stderr and exit 2. */
export function readNamedFile(io: CliIo, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`${unreadableFileMessage(file, error)}\n`);
    throw new ExitCode(2);
  }
}
