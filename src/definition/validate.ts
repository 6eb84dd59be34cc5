import { DEFAULT_APP_DIR, inspectApp } from './loader';
import type { ReportedProblem } from './problems';
import { reportProblems } from './report';
import { appRules } from './rules';
import type { AppDefinition } from './types';

/** Everything `validate` reports: the app as loaded, each problem located, and whether the folder is an app at all. */
export interface ValidationReport {
  app?: AppDefinition;
  problems: ReportedProblem[];
  /** False when there is no app to check (no manifest.json, or the folder cannot be read). */
  usable: boolean;
}

/** Runs every check on an app directory: file meta-schemas first, then the cross-file rules (skipping what failed to load). */
export function validateApp(dir: string = DEFAULT_APP_DIR): ValidationReport {
  const { app, problems, files, gaps, usable } = inspectApp(dir);
  const found = app ? [...problems, ...appRules.flatMap((rule) => rule(app, gaps))] : problems;
  return { ...(app ? { app } : {}), problems: reportProblems(found, files), usable };
}

/** True when nothing blocks the app: no error (and, when strict, no warning either). */
export function isValid(report: ValidationReport, strict = false): boolean {
  return report.app !== undefined && !report.problems.some((problem) => problem.severity === 'error' || strict);
}
