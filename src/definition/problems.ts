/** How much a problem matters: an error blocks export, deploy and serve; a warning is Make's review conventions. */
export type Severity = 'error' | 'warning';

/**
 * One thing wrong with an app definition, as a check finds it: where (file + JSON pointer) and what, in plain
 * language. The report locates it (line:column) and merges the copies a shared place produces.
 */
export interface Problem {
  /** Default 'error'. */
  severity?: Severity;
  /** Path relative to the app directory, with forward slashes. */
  file: string;
  /** JSON pointer inside the file ('' for the whole file). */
  pointer: string;
  message: string;
  /** The module the problem was found for, when it belongs to one. */
  module?: string;
  /** Every module a shared place affects. */
  modules?: string[];
  /** What the author probably meant, e.g. "did you mean 'label'?". */
  suggestion?: string;
  /** A character of the string value at `pointer` (e.g. where an IML syntax error is), 0-based. */
  index?: number;
  /** A position already known (where JSON parsing stopped), used instead of the pointer's. */
  at?: { line: number; column: number };
}

/** A problem as `validate` reports it: at file:line:column, with every module it affects. */
export interface ReportedProblem {
  severity: Severity;
  file: string;
  pointer: string;
  line: number;
  column: number;
  message: string;
  modules?: string[];
  suggestion?: string;
}

/** Raised when a definition cannot be loaded at all; carries every error found. */
export class DefinitionError extends Error {
  constructor(readonly problems: ReportedProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DefinitionError';
  }
}

/** `file:line:column: severity: message; suggestion [modules]`, one line, as compilers print it. */
export function formatProblem(problem: ReportedProblem): string {
  const suggestion = problem.suggestion ? `; ${problem.suggestion}` : '';
  const modules = problem.modules ? ` [${problem.modules.join(', ')}]` : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}${suggestion}${modules}`;
}
