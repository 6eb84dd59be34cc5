import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

/** An ajv instance that knows our schema annotations and the standard formats. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, keywords: ['x-iml', 'x-iml-subject'] });
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

/** Keeps the most specific errors: drops oneOf/anyOf summaries when a branch explains more. */
export function usefulErrors(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  const list = errors ?? [];
  const specific = list.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && error.keyword !== 'if');
  const chosen = specific.length > 0 ? specific : list;
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${error.instancePath} ${describeAjvError(error)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
