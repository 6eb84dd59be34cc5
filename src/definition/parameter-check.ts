import { closest, distance } from 'fastest-levenshtein';
import { isRecord } from '../iml/values';
import type { Parameter } from './types';

/** What one Make parameter type accepts, in words for a message, and the check. */
interface Expectation {
  words: string;
  accepts(value: unknown): boolean;
}

const text: Expectation = { words: 'a text', accepts: (value) => typeof value === 'string' };
const number: Expectation = { words: 'a number', accepts: (value) => typeof value === 'number' && Number.isFinite(value) };
const integer: Expectation = { words: 'a whole number', accepts: (value) => Number.isInteger(value) };
const anything: Expectation = { words: 'any value', accepts: () => true };

// Make's parameter types (developers.make.com/custom-apps-documentation/component-blocks/parameters): the ones
// a trigger setting can use. A type not listed here is only checked for its name, not its value.
const BY_TYPE: Record<string, Expectation> = {
  boolean: { words: 'true or false', accepts: (value) => typeof value === 'boolean' },
  text,
  email: text,
  url: text,
  password: text,
  hidden: anything,
  color: text,
  timezone: text,
  uuid: text,
  number,
  integer,
  uinteger: { words: 'a whole number ≥ 0', accepts: (value) => Number.isInteger(value) && (value as number) >= 0 },
  date: { words: 'a date (ISO 8601 text)', accepts: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) },
  array: { words: 'a list', accepts: Array.isArray },
  collection: { words: 'an object', accepts: isRecord },
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** One value's expectation: a select's listed option values, else its type's; `multiple` makes it a list of those. */
function expectationOf(parameter: Parameter): Expectation {
  let single = BY_TYPE[parameter.type] ?? anything;
  if (parameter.type === 'select') {
    const options = Array.isArray(parameter.options) ? parameter.options.map((option) => option.value) : undefined;
    single = options
      ? { words: `one of ${options.map((option) => JSON.stringify(option)).join(', ')}`, accepts: (value) => options.includes(value) }
      : // Options from an RPC (e.g. product ids) are only known with a connection: their values are texts.
        { words: 'a text (an option value, e.g. an id)', accepts: (value) => typeof value === 'string' };
  }
  if (!parameter.multiple) return single;
  return { words: `a list, each ${single.words}`, accepts: (value) => Array.isArray(value) && value.every(single.accepts) };
}

/** The nearest known name, when it is close enough to be a typo. */
export function didYouMean(given: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  const nearest = closest(given, known);
  return distance(given.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(nearest.length / 3)) ? nearest : undefined;
}

/**
 * Checks trigger parameter values against a module's parameter definitions: unknown names (with a did-you-mean),
 * wrong types (naming the expected type) and missing required ones. One message per problem; empty when valid.
 * `map`, the admin API (and so the CLI and the inspector) all call this.
 */
export function parameterProblems(owner: string, definitions: Parameter[], given: unknown): string[] {
  if (!isRecord(given)) return [`parameters must be a JSON object such as {"${definitions[0]?.name ?? 'name'}": …}, not ${describe(given)}`];
  const names = definitions.map((definition) => definition.name);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const definition = definitions.find((candidate) => candidate.name === name);
    if (!definition) {
      const guess = didYouMean(name, names);
      problems.push(`unknown parameter '${name}' for ${owner}${guess ? `; did you mean '${guess}'?` : ''} (known: ${names.join(', ') || 'none'})`);
      continue;
    }
    const expected = expectationOf(definition);
    if (expected.accepts(value)) continue;
    // A lone value where a list is expected is the usual slip: show the list it was meant to be.
    const asList = definition.multiple && expected.accepts([value]) ? ` (write [${JSON.stringify(value)}])` : '';
    problems.push(`parameter '${name}' must be ${expected.words}, not ${describe(value)}${asList}`);
  }
  for (const definition of definitions) {
    if (definition.required && definition.default === undefined && given[definition.name] === undefined) problems.push(`parameter '${definition.name}' is required`);
  }
  return problems;
}
