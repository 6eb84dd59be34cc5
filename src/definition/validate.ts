import { DEFAULT_APP_DIR, inspectApp } from './loader';
import type { Problem } from './problems';
import { appRules } from './rules';
import type { AppDefinition } from './types';

/** Everything `validate` reports: the problems, and counts of what was checked. */
export interface ValidationReport {
  app?: AppDefinition;
  problems: Problem[];
}

/** Runs every check on an app directory: file meta-schemas first, then the cross-file rules. */
export function validateApp(dir: string = DEFAULT_APP_DIR): ValidationReport {
  const { app, problems } = inspectApp(dir);
  if (!app) return { problems };
  return { app, problems: [...problems, ...appRules.flatMap((rule) => rule(app))] };
}
