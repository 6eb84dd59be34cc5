import { define } from './define';

/** Parses text as a number with the given decimal separator ('.' by default); other separators are grouping. */
export function parseLocalizedNumber(value: unknown, decimalSeparator: unknown = '.'): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const decimal = decimalSeparator === ',' ? ',' : '.';
  const grouping = decimal === ',' ? /[.\s\u00a0']/g : /[,\s\u00a0']/g;
  const normalized = value.trim().replace(grouping, '').replace(decimal, '.');
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(normalized)) return undefined;
  return Number(normalized);
}

/** Number functions. */
export const numberFunctions = {
  parseNumber: define(([value, decimalSeparator], context) => {
    const number = parseLocalizedNumber(value, decimalSeparator ?? '.');
    if (number === undefined && typeof value === 'string' && value.trim() !== '') {
      context.conversionFailed?.({ function: 'parseNumber', value, expected: `a number with '${decimalSeparator === ',' ? ',' : '.'}' as decimal separator` });
    }
    return number;
  }),
};
