import { isEmpty, isRecord, readPath, toText } from '../values';
import { define } from './define';

// map()'s filter values arrive as a comma-separated text (Make's documented form) or an array.
function filterSet(values: unknown): Set<string> {
  const list = Array.isArray(values) ? values : toText(values).split(',');
  return new Set(list.map((value) => toText(value).trim()));
}

/** Array functions: projection, ends, joining, collections and appending. */
export const arrayFunctions = {
  map: define(([array, key, filterKey, filterValues]) => {
    if (!Array.isArray(array) || typeof key !== 'string') return undefined;
    const filtering = typeof filterKey === 'string' && filterKey !== '';
    const allowed = filtering ? filterSet(filterValues) : undefined;
    return array
      .filter((item) => !allowed || allowed.has(toText(readPath(item, filterKey as string))))
      .map((item) => readPath(item, key))
      .filter((value) => value !== undefined);
  }),
  first: define(([array]) => (Array.isArray(array) ? array[0] : undefined)),
  last: define(([array]) => (Array.isArray(array) ? array[array.length - 1] : undefined)),
  join: define(([array, separator]) => {
    if (!Array.isArray(array)) return undefined;
    return array.filter((value) => !isEmpty(value)).map(toText).join(separator === undefined ? ',' : toText(separator));
  }),
  toCollection: define(([array, keyField, valueField]) => {
    if (!Array.isArray(array) || typeof keyField !== 'string' || typeof valueField !== 'string') return undefined;
    const collection: Record<string, unknown> = {};
    for (const item of array) {
      const key = readPath(item, keyField);
      if (isRecord(item) && !isEmpty(key)) collection[toText(key)] = readPath(item, valueField);
    }
    return collection;
  }),
  add: define(([array, ...values]) => (Array.isArray(array) ? [...array, ...values] : undefined)),
};
