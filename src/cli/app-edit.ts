import { renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatProblem } from '../definition/problems';
import { validateApp } from '../definition/validate';
import { CliIo, ExitCode } from './io';

// Written beside the file and renamed over it: a reader never sees half a file.
function replaceFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Writes a changed definition file and validates the whole app; when the app no longer validates, the file
 * gets its old text back and every problem is listed (exit 1), so an edit never leaves the app broken.
 */
export function writeValidated(io: CliIo, appDir: string, file: string, before: string, after: string): void {
  replaceFile(file, after);
  const { problems } = validateApp(appDir);
  if (problems.length === 0) return;
  replaceFile(file, before);
  io.stderr(`${relative(appDir, file)} was not changed: with the change the app would not validate (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  problems.slice(0, 20).forEach((problem) => io.stderr(`  ${formatProblem(problem)}\n`));
  throw new ExitCode(1);
}
