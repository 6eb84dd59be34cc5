/** One thing wrong with an app definition: where (file + JSON pointer) and what, in plain language. */
export interface Problem {
  /** Path relative to the app directory, with forward slashes. */
  file: string;
  /** JSON pointer inside the file ('' for the whole file). */
  pointer: string;
  message: string;
  /** The module folder the problem belongs to, when it belongs to one. */
  module?: string;
}

/** Raised when a definition cannot be loaded at all; carries every problem found. */
export class DefinitionError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DefinitionError';
  }
}

/** `file#pointer [module]: message`, one line. */
export function formatProblem(problem: Problem): string {
  const where = problem.pointer ? `${problem.file}#${problem.pointer}` : problem.file;
  const owner = problem.module ? ` [${problem.module}]` : '';
  return `${where}${owner}: ${problem.message}`;
}
