import { DefinitionError, formatProblem } from '../definition/problems';
import { loadApp } from '../definition/loader';
import type { AppDefinition } from '../definition/types';
import { CliIo, ExitCode } from './io';

/** Loads the app for a command, or explains why not (pointing at `validate`) and exits 1. */
export function loadAppFor(io: CliIo, dir: string | undefined): AppDefinition {
  try {
    return loadApp(dir);
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    io.stderr('The app definition has problems; run `plugnpaid-connector validate` for the full list:\n');
    error.problems.slice(0, 10).forEach((problem) => io.stderr(`  ${formatProblem(problem)}\n`));
    throw new ExitCode(1);
  }
}
