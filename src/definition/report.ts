import type { AppFiles } from './app-files';
import type { Problem, ReportedProblem } from './problems';

/**
 * Turns what the checks found into the report: each problem at line:column of its file, and the copies that a
 * shared place (a fragment, a broken file) produced for several modules merged into one listing them.
 */
export function reportProblems(problems: Problem[], files: AppFiles): ReportedProblem[] {
  const merged = new Map<string, ReportedProblem>();
  for (const problem of problems) {
    const severity = problem.severity ?? 'error';
    const key = JSON.stringify([severity, problem.file, problem.pointer, problem.message, problem.suggestion ?? '']);
    const modules = [...(problem.modules ?? []), ...(problem.module ? [problem.module] : [])];
    const existing = merged.get(key);
    if (existing) {
      if (modules.length > 0) existing.modules = [...new Set([...(existing.modules ?? []), ...modules])];
      continue;
    }
    const located = files.source(problem.file)?.locate(problem.pointer, problem.index);
    const position = problem.at ?? located?.position ?? { line: 1, column: 1 };
    merged.set(key, {
      severity,
      file: problem.file,
      pointer: located?.pointer ?? problem.pointer,
      line: position.line,
      column: position.column,
      message: problem.message,
      ...(modules.length > 0 ? { modules: [...new Set(modules)] } : {}),
      ...(problem.suggestion ? { suggestion: problem.suggestion } : {}),
    });
  }
  return [...merged.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
