import Ajv, { ErrorObject, Options } from 'ajv';
import addFormats from 'ajv-formats';
import { isRecord } from '../iml/values';
import { didYouMean, nearestNames } from './suggest';

/** An ajv instance that knows our schema annotations and the standard formats. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, keywords: ['x-iml', 'x-iml-subject'], ...options });
  // 'fast' format checks: the full URI and date-time regexes cost more than the rest of a bundle's validation.
  addFormats(ajv, { mode: 'fast' });
  return ajv;
}

/** One ajv error in plain language, e.g. "must have required property 'label'". */
export function describeAjvError(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `unknown property '${(error.params as { additionalProperty: string }).additionalProperty}'`;
  }
  if (error.keyword === 'enum') {
    return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword}`;
}

/** The pointer of what an error is about: an unknown property's own key, a duplicate's second copy. */
export function pointerOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    return `${error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  if (error.keyword === 'uniqueItems') {
    const { i, j } = error.params as { i: number; j: number };
    return `${error.instancePath}/${Math.max(i, j)}`;
  }
  return error.instancePath;
}

/** "did you mean …?" for a misspelt property or enum value (needs an ajv created with `verbose`). */
export function suggestionFor(error: ErrorObject): string | undefined {
  if (error.keyword === 'additionalProperties' && isRecord(error.parentSchema) && isRecord(error.parentSchema.properties)) {
    return didYouMean((error.params as { additionalProperty: string }).additionalProperty, Object.keys(error.parentSchema.properties));
  }
  if (error.keyword === 'enum' && typeof error.data === 'string') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.filter((value): value is string => typeof value === 'string');
    return didYouMean(error.data, allowed);
  }
  return undefined;
}

/** Keeps the most specific errors: drops oneOf/anyOf summaries when a branch explains more. */
export function usefulErrors(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  const list = errors ?? [];
  const specific = list.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && error.keyword !== 'if');
  const chosen = withoutMisspeltRequired(withoutLosingBranches(specific.length > 0 ? specific : list));
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${pointerOf(error)} ${describeAjvError(error)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Under oneOf/anyOf, the branch whose type fits explains more than "must be string" from the branch that does not.
function withoutLosingBranches(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (error) =>
      error.keyword !== 'type' ||
      !errors.some((other) => other.keyword !== 'type' && (other.instancePath === error.instancePath || other.instancePath.startsWith(`${error.instancePath}/`))),
  );
}

// `lable` for `label` is one mistake: the unknown property (with its suggestion) says it; "must have required
// property 'label'" on the same object would say it twice.
function withoutMisspeltRequired(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((error) => {
    if (error.keyword !== 'required') return true;
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return !errors.some(
      (other) =>
        other.keyword === 'additionalProperties' &&
        other.instancePath === error.instancePath &&
        nearestNames((other.params as { additionalProperty: string }).additionalProperty, [missing]).length > 0,
    );
  });
}
