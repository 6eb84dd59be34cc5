import { isAbsolute, join, relative } from 'node:path';
import { DEFAULT_APP_DIR } from '../definition/loader';
import { formatProblem, ReportedProblem } from '../definition/problems';
import type { AppDefinition } from '../definition/types';
import { isValid, validateApp, ValidationReport } from '../definition/validate';
import { CliIo, ExitCode } from './io';

/** The path an editor or CI opens from the working directory (absolute when the app is elsewhere). */
export function displayPath(appDir: string, file: string): string {
  const absolute = join(appDir, file);
  const shown = relative(process.cwd(), absolute);
  return shown.startsWith('..') || isAbsolute(shown) ? absolute : shown;
}

/** One `file:line:column: severity: message` line per problem, as compilers print them. */
export function problemLines(report: ValidationReport, appDir: string): string[] {
  return report.problems.map((problem) => formatProblem({ ...problem, file: displayPath(appDir, problem.file) }));
}

/** "2 errors, 1 warning". */
export function countProblems(problems: ReportedProblem[]): string {
  const count = (severity: string) => problems.filter((problem) => problem.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}

/**
 * The app, validated, for a command that must not run an invalid one (export, deploy, serve): otherwise the
 * same report `validate` prints, and exit 1. Warnings are printed and do not stop it.
 */
export function validAppFor(io: CliIo, dir: string | undefined, refusal: string): AppDefinition {
  const appDir = dir ?? DEFAULT_APP_DIR;
  const report = validateApp(appDir);
  problemLines(report, appDir).forEach((line) => io.stderr(`${line}\n`));
  if (!isValid(report)) {
    io.stderr(`${refusal}: ${countProblems(report.problems)}; fix the errors above (\`plugnpaid-connector validate\` checks again)\n`);
    throw new ExitCode(report.usable ? 1 : 2);
  }
  return report.app!;
}
