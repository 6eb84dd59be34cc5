/**
 * The built-in functions this engine runs, with their parameters as Make's function reference names them.
 * One table: the evaluator takes each function's argument count from it, and `validate` reports calls
 * outside it with the documented signature. Make documents `name (a; b; [c])` for scenario mapping; app IML
 * writes the same call with commas (developers.make.com/custom-apps-documentation/block-elements/iml).
 */
export interface FunctionSignature {
  /** Parameters Make documents without brackets. */
  required: readonly string[];
  /** Parameters Make documents in brackets, in order. */
  optional: readonly string[];
  /** True when the last parameter repeats (`add (array; value1; value2; …)`). */
  repeats?: boolean;
  /** The Make page that documents the function. */
  page: string;
}

// help.make.com pages (the stored copy of the date page is make.com/en/help/functions/date---time-functions.html).
const GENERAL = 'https://help.make.com/general-functions';
const TEXT = 'https://help.make.com/text-and-binary-functions';
const ARRAY = 'https://help.make.com/array-functions';
const MATH = 'https://help.make.com/math-functions';
const DATE = 'https://help.make.com/date-and-time-functions';

const signature = (required: string[], optional: string[], page: string, repeats = false): FunctionSignature => ({ required, optional, page, ...(repeats ? { repeats } : {}) });

/** Every built-in function the evaluator implements, keyed by name. */
export const FUNCTION_SIGNATURES = {
  // if (expression; value1; value2) — GENERAL
  if: signature(['expression', 'value1', 'value2'], [], GENERAL),
  // ifempty (value1; value2) — GENERAL; the app IML page documents it too
  ifempty: signature(['value1', 'value2'], [], GENERAL),
  // get (object or array; path) — GENERAL
  get: signature(['object or array', 'path'], [], GENERAL),
  // toString (value) — TEXT
  toString: signature(['value'], [], TEXT),
  // length (text or buffer) — TEXT; length (array) — ARRAY
  length: signature(['text, buffer or array'], [], TEXT),
  // contains (text; search string) — TEXT; contains (array; value) — ARRAY
  contains: signature(['text or array', 'search string or value'], [], TEXT),
  // lower (text), upper (text), trim (text), split (text; separator) — TEXT
  lower: signature(['text'], [], TEXT),
  upper: signature(['text'], [], TEXT),
  trim: signature(['text'], [], TEXT),
  split: signature(['text', 'separator'], [], TEXT),
  // substring (text; start; end) — TEXT: 0-based, the end not included
  substring: signature(['text', 'start', 'end'], [], TEXT),
  // map (complex array; key; [key for filtering]; [possible values for filtering]) — ARRAY
  map: signature(['complex array', 'key'], ['key for filtering', 'possible values for filtering'], ARRAY),
  // first (array), last (array), join (array; separator), toCollection (array; key; value) — ARRAY
  first: signature(['array'], [], ARRAY),
  last: signature(['array'], [], ARRAY),
  join: signature(['array', 'separator'], [], ARRAY),
  toCollection: signature(['array', 'key', 'value'], [], ARRAY),
  // add (array; value1; value2; …) — ARRAY
  add: signature(['array', 'value1'], [], ARRAY, true),
  // parseNumber (number; decimal separator) — MATH
  parseNumber: signature(['number', 'decimal separator'], [], MATH),
  // parseDate (text; format; [timezone]), formatDate (date; format; [timezone]) — DATE
  parseDate: signature(['text', 'format'], ['timezone'], DATE),
  formatDate: signature(['date', 'format'], ['timezone'], DATE),
} satisfies Record<string, FunctionSignature>;

/** A function name the table documents. */
export type BuiltinName = keyof typeof FUNCTION_SIGNATURES;

/** The argument counts a signature allows. */
export function arityOf(signature: FunctionSignature): { minArgs: number; maxArgs: number } {
  const minArgs = signature.required.length;
  return { minArgs, maxArgs: signature.repeats ? Infinity : minArgs + signature.optional.length };
}

/** The signature as written in app IML, e.g. `parseDate(text, format, [timezone])`. */
export function documentedSignature(name: string, signature: FunctionSignature): string {
  const parts = [...signature.required, ...signature.optional.map((parameter) => `[${parameter}]`)];
  return `${name}(${parts.join(', ')}${signature.repeats ? ', …' : ''})`;
}

/** The signature of a documented built-in, or undefined for any other name. */
export function signatureOf(name: string): FunctionSignature | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTION_SIGNATURES, name) ? FUNCTION_SIGNATURES[name as BuiltinName] : undefined;
}
