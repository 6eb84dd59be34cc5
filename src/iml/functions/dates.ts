import dayjs from 'dayjs';
import { isValidDate } from '../values';
import { parseInZone } from './date-parse';
import { formatInZone } from './date-tokens';
import { define } from './define';

function validOrUndefined(date: Date): Date | undefined {
  return isValidDate(date) ? date : undefined;
}

// Make: "Only the values listed in the TZ database name column are recognized … Any other value will be
// ignored and the Organization's timezone … used instead" (help.make.com/date-and-time-functions).
function knownZone(zone: unknown, fallback: string): string {
  if (typeof zone !== 'string' || zone === '') return fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

// Text where a date is expected is read as ISO 8601 (help.make.com/type-coercion); without an offset, in the zone.
function isoDate(text: string, zone: string): Date | undefined {
  if (!ISO_8601.test(text)) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  return validOrUndefined(hasOffset ? new Date(text) : dayjs.tz(text, zone).toDate());
}

/** Make's parseDate: text in a format of moment's parsing tokens (`X` unix seconds, `x` milliseconds), read in `zone` unless it has an offset. */
export function parseDateValue(value: unknown, format: unknown, zone = 'UTC'): Date | undefined {
  if (value instanceof Date) return validOrUndefined(value);
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || text === '') return undefined;
  if (typeof format !== 'string' || format === '') return isoDate(text, zone);
  return parseInZone(text, format, zone);
}

/** Make's formatDate: a date (or ISO 8601 text, or epoch milliseconds) in a format of moment's formatting tokens and a zone. */
export function formatDateValue(value: unknown, format: unknown, zone = 'UTC'): string | undefined {
  if (typeof format !== 'string') return undefined;
  const date =
    value instanceof Date ? validOrUndefined(value) : typeof value === 'string' ? isoDate(value.trim(), zone) : typeof value === 'number' ? validOrUndefined(new Date(value)) : undefined;
  return date ? formatInZone(date, format, zone) : undefined;
}

/** Date functions. */
export const dateFunctions = {
  parseDate: define(([value, format, zone], context) => {
    const date = parseDateValue(value, format, knownZone(zone, context.timezone));
    if (date === undefined && ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number')) {
      context.conversionFailed?.({ function: 'parseDate', value, expected: typeof format === 'string' && format !== '' ? `a date in the format '${format}'` : 'an ISO 8601 date' });
    }
    return date;
  }),
  formatDate: define(([value, format, zone], context) => formatDateValue(value, format, knownZone(zone, context.timezone))),
};
